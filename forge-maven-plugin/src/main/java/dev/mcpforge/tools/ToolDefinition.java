package dev.mcpforge.tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One tool as an MCP server describes it in {@code tools/list}: the fields MCP-Forge keeps.
 * Schemas are kept as raw JSON trees so that what is written to {@code tools.json} equals what the
 * server sent, key for key.
 *
 * @param name         unique tool name (required)
 * @param title        human title (optional, may be null)
 * @param description  what the tool does (may be empty, never null)
 * @param inputSchema  JSON Schema of the arguments object (required; {@code {"type":"object"}} at least)
 * @param outputSchema JSON Schema of {@code structuredContent} (optional, may be null)
 * @param annotations  MCP tool annotations (readOnlyHint, destructiveHint, ...; optional, may be null)
 */
public record ToolDefinition(String name, String title, String description, ObjectNode inputSchema,
                             ObjectNode outputSchema, ObjectNode annotations) {

    public ToolDefinition {
        Objects.requireNonNull(name, "tool name");
        Objects.requireNonNull(inputSchema, "inputSchema of tool " + name);
        description = description == null ? "" : description;
    }

    /** Writes this tool as a JSON object in the {@code tools.json} / MCP wire shape (absent optional fields omitted). */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", name);
        if (title != null) {
            n.put("title", title);
        }
        n.put("description", description);
        n.set("inputSchema", inputSchema.deepCopy());
        if (outputSchema != null) {
            n.set("outputSchema", outputSchema.deepCopy());
        }
        if (annotations != null) {
            n.set("annotations", annotations.deepCopy());
        }
        return n;
    }

    /** Reads one tool object ({@code name, title?, description?, inputSchema, outputSchema?, annotations?}). */
    public static ToolDefinition fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a tool must be a JSON object, got: " + n);
        }
        JsonNode name = n.get("name");
        if (name == null || !name.isString() || name.asString().isBlank()) {
            throw new IllegalArgumentException("a tool has no \"name\": " + Json.abbreviate(n));
        }
        JsonNode in = n.get("inputSchema");
        if (in == null || in.isNull()) {
            throw new IllegalArgumentException("tool '" + name.asString() + "' has no \"inputSchema\"");
        }
        if (!in.isObject()) {
            throw new IllegalArgumentException("tool '" + name.asString() + "': \"inputSchema\" must be a JSON object");
        }
        return new ToolDefinition(name.asString(), textOrNull(n.get("title")), textOrNull(n.get("description")),
                (ObjectNode) in.deepCopy(), objectOrNull(n, "outputSchema"), objectOrNull(n, "annotations"));
    }

    /**
     * Whether the description retires the tool itself: an upper-case {@code DEPRECATED} (server-filesystem's
     * {@code read_file}: "... DEPRECATED: Use read_text_file instead."), a description that starts with
     * "Deprecated", a {@code (deprecated)} / {@code [deprecated]} tag, or "this tool is deprecated". A lower-case
     * mention elsewhere ("the 'x' parameter is deprecated") does not count: the tool itself is still current.
     */
    public boolean deprecated() {
        return DEPRECATED.matcher(description).find();
    }

    private static final java.util.regex.Pattern DEPRECATED = java.util.regex.Pattern.compile(
            "\\bDEPRECATED\\b|(?i)^\\W*deprecated\\b|[(\\[]deprecated[)\\]]|\\b(?:this|the) tool is (?:now )?deprecated\\b");

    /** Names of the required arguments ({@code inputSchema.required}), in declared order. */
    public java.util.List<String> requiredArguments() {
        java.util.List<String> out = new java.util.ArrayList<>();
        JsonNode req = inputSchema.get("required");
        if (req != null && req.isArray()) {
            req.forEach(r -> out.add(r.asString()));
        }
        return out;
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asString();
    }

    private static ObjectNode objectOrNull(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("tool '" + parent.get("name").asString() + "': \"" + field
                    + "\" must be a JSON object");
        }
        return (ObjectNode) n.deepCopy();
    }
}
