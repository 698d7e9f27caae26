package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One training conversation, the seed's §5.3 record with structured tool calls (ARCHITECTURE.md §4):
 * {@code {id, source, scenario, tool_name, messages}}.
 *
 * @param id       unique id within a dataset
 * @param source   who made it: {@code offline}, {@code teacher}, {@code topup}, ...
 * @param scenario scenario id ({@link Scenario#id()}); kept as text so QA can report unknown values
 * @param toolName the tool the sample is about, or null (no_tool)
 * @param messages the conversation
 */
public record Sample(String id, String source, String scenario, String toolName, List<Message> messages) {

    public Sample {
        Objects.requireNonNull(id, "id");
        messages = List.copyOf(messages);
    }

    /** All tool calls of all assistant messages, in order. */
    public List<ToolCall> toolCalls() {
        List<ToolCall> out = new ArrayList<>();
        messages.forEach(m -> out.addAll(m.toolCalls()));
        return out;
    }

    /** The text of the first user message, or "" when there is none. */
    public String userText() {
        for (Message m : messages) {
            if ("user".equals(m.role())) {
                return m.content() == null ? "" : m.content();
            }
        }
        return "";
    }

    public Sample withMessages(List<Message> newMessages) {
        return new Sample(id, source, scenario, toolName, newMessages);
    }

    public Sample withId(String newId) {
        return new Sample(newId, source, scenario, toolName, messages);
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", id);
        n.put("source", source);
        n.put("scenario", scenario);
        if (toolName == null) {
            n.putNull("tool_name");
        } else {
            n.put("tool_name", toolName);
        }
        ArrayNode arr = n.putArray("messages");
        messages.forEach(m -> arr.add(m.toJson()));
        return n;
    }

    public static Sample fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new SampleFormatException("a sample must be a JSON object, got: " + Json.abbreviate(n));
        }
        JsonNode id = n.get("id");
        if (id == null || id.isNull() || id.isContainer()) {
            throw new SampleFormatException("a sample has no \"id\"");
        }
        JsonNode msgs = n.get("messages");
        if (msgs == null || !msgs.isArray() || msgs.isEmpty()) {
            throw new SampleFormatException("sample " + id.asString() + " has no \"messages\" array");
        }
        List<Message> messages = new ArrayList<>();
        msgs.forEach(m -> messages.add(Message.fromJson(m)));
        JsonNode scenario = n.get("scenario");
        JsonNode tool = n.get("tool_name");
        return new Sample(id.asString(), n.path("source").asString("unknown"),
                scenario == null || scenario.isNull() ? "standard" : scenario.asString(),
                tool == null || tool.isNull() ? null : tool.asString(), messages);
    }
}
