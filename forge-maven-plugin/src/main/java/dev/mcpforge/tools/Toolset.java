package dev.mcpforge.tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools of one source, in the server's order, with a content hash.
 * {@code toolsetHash} = {@code sha256:<hex>} over the canonical JSON (sorted keys, no whitespace) of the
 * {@code tools} array, so key order and formatting never change it and any change of a schema does.
 *
 * @param source where the tools came from (a server command line, or a file path)
 * @param tools  the tools, names unique
 */
public record Toolset(String source, List<ToolDefinition> tools) {

    public Toolset {
        tools = List.copyOf(tools);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < tools.size(); i++) {
            Integer prev = seen.put(tools.get(i).name(), i);
            if (prev != null) {
                throw new IllegalArgumentException("duplicate tool name '" + tools.get(i).name() + "' (tools #"
                        + (prev + 1) + " and #" + (i + 1) + " of " + source
                        + "); tool names must be unique: rename one of them on the server or in the file");
            }
        }
    }

    /** The {@code tools} array as written in tools.json. */
    public ArrayNode toolsJson() {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        tools.forEach(t -> arr.add(t.toJson()));
        return arr;
    }

    /** {@code sha256:<hex>} of the canonical {@code tools} array. */
    public String hash() {
        return Json.sha256(toolsJson());
    }

    public Optional<ToolDefinition> find(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public List<String> names() {
        List<String> out = new ArrayList<>();
        tools.forEach(t -> out.add(t.name()));
        return out;
    }

    /** The tools.json document: {@code {source, tools, toolsetHash}}. */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("source", source);
        root.set("tools", toolsJson());
        root.put("toolsetHash", hash());
        return root;
    }

    /** Writes tools.json (pretty-printed, UTF-8, trailing newline), creating parent directories. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Json.PRETTY.writeValueAsString(toJson()) + "\n");
    }

    /** Parses a tools.json document (the {@code toolsetHash} in the file is checked if present). */
    public static Toolset fromJson(JsonNode root, String defaultSource) {
        if (root == null || !root.isObject() || !root.has("tools") || !root.get("tools").isArray()) {
            throw new IllegalArgumentException("not a tools.json document: expected {\"tools\": [...]}");
        }
        List<ToolDefinition> tools = new ArrayList<>();
        for (JsonNode t : root.get("tools")) {
            tools.add(ToolDefinition.fromJson(t));
        }
        JsonNode src = root.get("source");
        Toolset ts = new Toolset(src != null && src.isString() ? src.asString() : defaultSource, tools);
        JsonNode recorded = root.get("toolsetHash");
        if (recorded != null && recorded.isString() && !recorded.asString().equals(ts.hash())) {
            throw new IllegalArgumentException("toolsetHash mismatch: the file says " + recorded.asString()
                    + " but its tools hash to " + ts.hash()
                    + "; the file was edited by hand: remove \"toolsetHash\" or re-run forge:inspect");
        }
        return ts;
    }
}
