package dev.mcpforge.tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the tool-file shapes people actually have into our tool model (the seed's "OpenAI function format
 * adapter"). Accepted shapes, told apart per entry:
 * <ul>
 *   <li>our {@code tools.json} / an MCP {@code tools/list} result: {@code {"tools":[{name, inputSchema, ...}]}};</li>
 *   <li>OpenAI tools: {@code [{"type":"function","function":{name, description, parameters}}]} or
 *       {@code {"tools":[...]}} of the same;</li>
 *   <li>the older OpenAI functions list: {@code [{name, description, parameters}]} or {@code {"functions":[...]}}.</li>
 * </ul>
 * A bare array of MCP tools ({@code [{name, inputSchema}]}) is accepted too. OpenAI allows a function without
 * {@code parameters} ("an empty parameter list"); it becomes {@code {"type":"object","properties":{}}}. An MCP
 * tool without {@code inputSchema} is an error, because MCP requires one.
 */
public final class ToolFileFormats {

    private ToolFileFormats() {
    }

    /** The entries of a document: the {@code tools} or {@code functions} array, or the root array. */
    static List<JsonNode> entries(JsonNode root, String file) throws ToolException {
        JsonNode arr;
        if (root != null && root.isArray()) {
            arr = root;
        } else if (root != null && root.isObject() && root.get("tools") != null && root.get("tools").isArray()) {
            arr = root.get("tools");
        } else if (root != null && root.isObject() && root.get("functions") != null
                && root.get("functions").isArray()) {
            arr = root.get("functions");
        } else {
            throw new ToolException(file + " is not a tools file: expected {\"tools\": [...]} (tools.json, an MCP "
                    + "tools/list result or OpenAI tools), {\"functions\": [...]} or a JSON/YAML array of tools, but "
                    + "the document is " + describe(root) + ". Fix the file or point -Dforge.toolsFile at another one.");
        }
        List<JsonNode> out = new ArrayList<>();
        arr.forEach(out::add);
        return out;
    }

    /**
     * Converts one entry (of any accepted shape) to a tool definition.
     *
     * @param index 1-based position in the file, for messages
     */
    static ToolDefinition toTool(JsonNode entry, int index, String file) throws ToolException {
        String where = "tool #" + index + " in " + file;
        if (entry == null || !entry.isObject()) {
            throw new ToolException(where + " is " + describe(entry) + ", not an object; every tool must be an "
                    + "object with a \"name\" and an \"inputSchema\" (or OpenAI \"parameters\")");
        }
        JsonNode fn = entry.get("function");
        if (fn != null && fn.isObject()) {
            // OpenAI tools: {"type":"function","function":{...}}
            JsonNode type = entry.get("type");
            if (type != null && !"function".equals(type.asString(""))) {
                throw new ToolException(where + " has \"type\": " + type + "; only OpenAI tools of type "
                        + "\"function\" can be imported");
            }
            return fromFunction(fn, where);
        }
        if (entry.has("inputSchema")) {
            return fromMcp(entry, where);
        }
        if (entry.has("parameters")) {
            return fromFunction(entry, where);
        }
        String name = nameOf(entry, where);
        throw new ToolException("tool '" + name + "' (" + where + ") has no \"inputSchema\" (MCP/tools.json) or "
                + "\"parameters\" (OpenAI); add its JSON Schema, e.g. \"inputSchema\": {\"type\": \"object\", "
                + "\"properties\": {}}");
    }

    private static ToolDefinition fromMcp(JsonNode entry, String where) throws ToolException {
        String name = nameOf(entry, where);
        JsonNode in = entry.get("inputSchema");
        if (in == null || !in.isObject()) {
            throw new ToolException("tool '" + name + "' (" + where + "): \"inputSchema\" must be a JSON object "
                    + "(a JSON Schema), got " + describe(in));
        }
        try {
            return ToolDefinition.fromJson(entry);
        } catch (IllegalArgumentException e) {
            throw new ToolException(where + ": " + e.getMessage(), e);
        }
    }

    private static ToolDefinition fromFunction(JsonNode fn, String where) throws ToolException {
        String name = nameOf(fn, where);
        JsonNode params = fn.get("parameters");
        ObjectNode schema;
        if (params == null || params.isNull()) {
            schema = Json.MAPPER.createObjectNode();
            schema.put("type", "object");
            schema.putObject("properties");
        } else if (params.isObject()) {
            schema = (ObjectNode) params.deepCopy();
        } else {
            throw new ToolException("tool '" + name + "' (" + where + "): \"parameters\" must be a JSON object "
                    + "(a JSON Schema), got " + describe(params));
        }
        JsonNode desc = fn.get("description");
        return new ToolDefinition(name, null, desc == null || desc.isNull() ? "" : desc.asString(), schema, null, null);
    }

    private static String nameOf(JsonNode n, String where) throws ToolException {
        JsonNode name = n.get("name");
        if (name == null || !name.isString() || name.asString().isBlank()) {
            throw new ToolException(where + " has no \"name\" (a non-empty string): " + Json.abbreviate(n));
        }
        return name.asString();
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "empty";
        }
        if (n.isObject()) {
            return "an object with keys " + n.propertyNames();
        }
        if (n.isArray()) {
            return "an array";
        }
        return "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " (" + Json.abbreviate(n) + ")";
    }
}
