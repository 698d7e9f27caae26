package dev.mcpforge.engine.chat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Text builder that records assistant spans and tool names; plus shared helpers of the formats. */
final class Renderer {
    private final StringBuilder sb = new StringBuilder();
    private final List<RenderedChat.Span> spans = new ArrayList<>();
    private final List<RenderedChat.Span> names = new ArrayList<>();
    private int spanStart = -1;

    Renderer append(String s) {
        sb.append(s);
        return this;
    }

    void beginSpan() {
        spanStart = sb.length();
    }

    void endSpan() {
        spans.add(new RenderedChat.Span(spanStart, sb.length()));
        spanStart = -1;
    }

    /** Appends the name of a called tool, as written in the call, and records where it stands. */
    Renderer appendToolName(String written) {
        names.add(new RenderedChat.Span(sb.length(), sb.length() + written.length()));
        sb.append(written);
        return this;
    }

    /**
     * Appends one tool call as {@code syntax} writes it: {@code prefix + name + afterName + argumentsJson + suffix}
     * (the name JSON-escaped when it stands inside a JSON string). The only place a call following its format's
     * {@link ToolCallSyntax} is written, for the prompts and training texts ({@link ChatFormat#renderToolCall}) alike.
     */
    Renderer appendToolCall(ToolCallSyntax syntax, ToolCall call) {
        String quoted = JsonText.quote(call.name());
        String name = syntax.nameInJsonString() ? quoted.substring(1, quoted.length() - 1) : call.name();
        append(syntax.prefix());
        appendToolName(name);
        return append(syntax.afterName() + JsonText.write(call.arguments()) + syntax.suffix());
    }

    String text() {
        return sb.toString();
    }

    RenderedChat result() {
        return new RenderedChat(sb.toString(), spans, names);
    }

    /** Tools as OpenAI-style function entries: {"type": "function", "function": {name, description, parameters}}. */
    static List<JsonNode> functionTools(JsonNode tools) {
        List<JsonNode> out = new ArrayList<>();
        if (tools == null || tools.isNull() || tools.isMissingNode()) {
            return out;
        }
        if (!tools.isArray()) {
            throw new IllegalArgumentException("tools must be a JSON array of {name, description, inputSchema}");
        }
        for (JsonNode t : tools) {
            if (t.has("function") && t.get("function").isObject()) {
                out.add(t);
                continue;
            }
            if (!t.path("name").isString()) {
                throw new IllegalArgumentException("tool without a string 'name': " + JsonText.write(t));
            }
            ObjectNode fn = JsonText.MAPPER.createObjectNode();
            fn.put("name", t.get("name").asString());
            if (t.path("description").isString()) {
                fn.put("description", t.get("description").asString());
            }
            JsonNode schema = t.has("inputSchema") ? t.get("inputSchema") : t.get("parameters");
            fn.set("parameters", schema == null ? emptyObjectSchema() : withoutSchemaKeyword(schema));
            ObjectNode entry = JsonText.MAPPER.createObjectNode();
            entry.put("type", "function");
            entry.set("function", fn);
            out.add(entry);
        }
        return out;
    }

    private static JsonNode emptyObjectSchema() {
        ObjectNode o = JsonText.MAPPER.createObjectNode();
        o.put("type", "object");
        o.set("properties", JsonText.MAPPER.createObjectNode());
        return o;
    }

    /** Drops the top-level "$schema" URL: it carries no meaning for the model and costs context. */
    private static JsonNode withoutSchemaKeyword(JsonNode schema) {
        if (!schema.isObject() || !schema.has("$schema")) {
            return schema;
        }
        ObjectNode copy = JsonText.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> e : schema.properties()) {
            if (!e.getKey().equals("$schema")) {
                copy.set(e.getKey(), e.getValue());
            }
        }
        return copy;
    }

    static ArrayNode array(List<JsonNode> l) {
        ArrayNode a = JsonText.MAPPER.createArrayNode();
        l.forEach(a::add);
        return a;
    }

    /** Parses a tool-call JSON object with "name" and the given arguments keys; null if it is not one. */
    static ToolCall callFromJson(String json, String... argumentKeys) {
        JsonNode n;
        try {
            n = JsonText.MAPPER.readTree(json);
        } catch (RuntimeException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.path("name").isString()) {
            return null;
        }
        for (String k : argumentKeys) {
            JsonNode a = n.get(k);
            if (a != null) {
                if (!a.isObject()) {
                    // some models write the arguments as a JSON string
                    if (a.isString()) {
                        try {
                            JsonNode inner = JsonText.MAPPER.readTree(a.asString());
                            if (inner != null && inner.isObject()) {
                                return new ToolCall(n.get("name").asString(), inner);
                            }
                        } catch (RuntimeException e) {
                            return null;
                        }
                    }
                    return null;
                }
                return new ToolCall(n.get("name").asString(), a);
            }
        }
        return new ToolCall(n.get("name").asString(), null);
    }
}
