package dev.mcpforge.tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The result of {@code tools/call} as MCP shapes it: content blocks, optional structured content, and the
 * {@code isError} flag.
 *
 * @param content           the {@code content} array (text, image, resource, ... blocks), never null
 * @param structuredContent the {@code structuredContent} object, or null
 * @param isError           true when the tool reported a failure (or the server rejected the call, -32602)
 */
public record ToolCallResult(ArrayNode content, JsonNode structuredContent, boolean isError) {

    public ToolCallResult {
        content = content == null ? Json.MAPPER.createArrayNode() : content;
    }

    /** A result with one text block. */
    public static ToolCallResult text(String text, boolean isError) {
        ArrayNode c = Json.MAPPER.createArrayNode();
        c.addObject().put("type", "text").put("text", text);
        return new ToolCallResult(c, null, isError);
    }

    /** The text of all text blocks joined by newlines; other blocks as {@code [type]}. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : content) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            String type = b.path("type").asString("");
            sb.append("text".equals(type) ? b.path("text").asString("") : "[" + type + "]");
        }
        if (sb.isEmpty() && structuredContent != null) {
            sb.append(Json.canonical(structuredContent));
        }
        return sb.toString();
    }

    /** The wire shape: {@code {content, structuredContent?, isError}}. */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("content", content.deepCopy());
        if (structuredContent != null) {
            n.set("structuredContent", structuredContent.deepCopy());
        }
        n.put("isError", isError);
        return n;
    }

    public static ToolCallResult fromJson(JsonNode n) {
        JsonNode c = n.get("content");
        return new ToolCallResult(c != null && c.isArray() ? (ArrayNode) c.deepCopy() : null,
                n.hasNonNull("structuredContent") ? n.get("structuredContent").deepCopy() : null,
                n.path("isError").asBoolean(false));
    }
}
