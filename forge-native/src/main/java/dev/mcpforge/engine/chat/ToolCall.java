package dev.mcpforge.engine.chat;

import tools.jackson.databind.JsonNode;

import java.util.Objects;

/** A call of a tool by name with a JSON object of arguments. */
public record ToolCall(String name, JsonNode arguments) {
    public ToolCall {
        Objects.requireNonNull(name, "name");
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            arguments = JsonText.MAPPER.createObjectNode();
        }
    }
}
