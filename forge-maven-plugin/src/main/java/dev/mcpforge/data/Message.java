package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One chat message. Roles: {@code system, user, assistant, tool}. An assistant message may carry structured
 * {@code tool_calls}; a tool message carries the {@code name} of the tool whose result it is and, when the call
 * failed, {@code is_error: true}.
 *
 * @param role      system | user | assistant | tool
 * @param content   the text (may be null for an assistant message that only calls tools)
 * @param toolCalls calls made by an assistant message (empty otherwise), never null
 * @param name      tool name on a tool message, else null
 * @param isError   tool message only: the call failed
 */
public record Message(String role, String content, List<ToolCall> toolCalls, String name, boolean isError) {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    public Message {
        Objects.requireNonNull(role, "role");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static Message system(String text) {
        return new Message("system", text, List.of(), null, false);
    }

    public static Message user(String text) {
        return new Message("user", text, List.of(), null, false);
    }

    public static Message assistant(String text) {
        return new Message("assistant", text, List.of(), null, false);
    }

    public static Message assistantCall(String text, ToolCall call) {
        return new Message("assistant", text, List.of(call), null, false);
    }

    public static Message tool(String name, String text, boolean isError) {
        return new Message("tool", text, List.of(), name, isError);
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }

    public Message withContent(String newContent) {
        return new Message(role, newContent, toolCalls, name, isError);
    }

    public Message withToolCalls(List<ToolCall> calls) {
        return new Message(role, content, calls, name, isError);
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("role", role);
        if (content != null) {
            n.put("content", content);
        }
        if (!toolCalls.isEmpty()) {
            ArrayNode arr = n.putArray("tool_calls");
            toolCalls.forEach(c -> arr.add(c.toJson()));
        }
        if (name != null) {
            n.put("name", name);
        }
        if (isError) {
            n.put("is_error", true);
        }
        return n;
    }

    public static Message fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new SampleFormatException("a message must be a JSON object, got: " + Json.abbreviate(n));
        }
        JsonNode role = n.get("role");
        if (role == null || !role.isString() || !ROLES.contains(role.asString())) {
            throw new SampleFormatException("a message has no valid \"role\" (system, user, assistant or tool): "
                    + Json.abbreviate(n));
        }
        JsonNode c = n.get("content");
        if (c != null && !c.isNull() && !c.isString()) {
            throw new SampleFormatException("a " + role.asString() + " message's \"content\" must be a string, got: "
                    + Json.abbreviate(c));
        }
        List<ToolCall> calls = new ArrayList<>();
        JsonNode tc = n.get("tool_calls");
        if (tc != null && !tc.isNull()) {
            if (!tc.isArray()) {
                throw new SampleFormatException("\"tool_calls\" must be an array, got: " + Json.abbreviate(tc));
            }
            tc.forEach(x -> calls.add(ToolCall.fromJson(x)));
        }
        JsonNode name = n.get("name");
        return new Message(role.asString(), c == null || c.isNull() ? null : c.asString(), calls,
                name == null || name.isNull() ? null : name.asString(), n.path("is_error").asBoolean(false));
    }
}
