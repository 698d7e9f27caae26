package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One structured tool call on an assistant message: {@code {"name": ..., "arguments": {...}}}.
 * Arguments are kept as a JSON object (never as a JSON string), so QA can validate them directly.
 */
public record ToolCall(String name, ObjectNode arguments) {

    public ToolCall {
        Objects.requireNonNull(name, "tool call name");
        arguments = arguments == null ? Json.MAPPER.createObjectNode() : arguments;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", name);
        n.set("arguments", arguments.deepCopy());
        return n;
    }

    /**
     * Reads a call. {@code arguments} given as a JSON string (the OpenAI wire habit) is parsed; anything else that
     * is not an object is a format error.
     */
    public static ToolCall fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new SampleFormatException("a tool call must be an object {name, arguments}, got: " + Json.abbreviate(n));
        }
        JsonNode fn = n.has("function") && n.get("function").isObject() ? n.get("function") : n;
        JsonNode name = fn.get("name");
        if (name == null || !name.isString() || name.asString().isBlank()) {
            throw new SampleFormatException("a tool call has no \"name\": " + Json.abbreviate(n));
        }
        JsonNode args = fn.get("arguments");
        if (args != null && args.isString()) {
            try {
                args = Json.MAPPER.readTree(args.asString());
            } catch (RuntimeException e) {
                throw new SampleFormatException("tool call '" + name.asString() + "': \"arguments\" is a string that is"
                        + " not JSON: " + Json.abbreviate(args));
            }
        }
        if (args != null && !args.isNull() && !args.isObject()) {
            throw new SampleFormatException("tool call '" + name.asString() + "': \"arguments\" must be a JSON object,"
                    + " got: " + Json.abbreviate(args));
        }
        return new ToolCall(name.asString(), args == null || args.isNull() ? null : (ObjectNode) args.deepCopy());
    }
}
