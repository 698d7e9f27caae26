package dev.mcpforge.tools;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tools from a file: our {@code tools.json}, an MCP {@code tools/list} result, a YAML file of the same shape,
 * or OpenAI tools / functions (see {@link ToolFileFormats}). Listing only: {@link #supportsExecution()} is false.
 * The file is read and checked when the provider is opened, so every problem surfaces at once with the file name
 * and, for syntax errors, the line and column.
 */
public final class FileToolProvider implements ToolProvider {

    /** Duplicate keys in a schema are a real defect (which one did the server mean?), so they are errors here. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Toolset toolset;

    private FileToolProvider(Toolset toolset) {
        this.toolset = toolset;
    }

    /**
     * Reads a tools file.
     *
     * @param file  the file (.json, .yaml or .yml; anything else is read as JSON)
     * @param label how the file is named in {@code tools.json}'s {@code source} and in messages (e.g. a path
     *              relative to the project, so the output does not depend on where the project lives)
     */
    public static FileToolProvider open(Path file, String label) throws ToolException {
        return new FileToolProvider(read(file, label));
    }

    public static FileToolProvider open(Path file) throws ToolException {
        return open(file, file.toString());
    }

    /** Parses a tools file into a toolset (no schema validation: that is {@link SchemaCheck}'s job). */
    public static Toolset read(Path file, String label) throws ToolException {
        boolean yaml = isYaml(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ToolException("tools file " + file + " does not exist; check -Dforge.toolsFile / <toolsFile>");
        } catch (IOException e) {
            throw new ToolException("cannot read tools file " + file + ": " + e + "; check the path and permissions",
                    e);
        }
        JsonNode root;
        try {
            root = (yaml ? YAML : JSON).readTree(text);
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            String at = loc != null && loc.getLineNr() > 0
                    ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "";
            throw new ToolException("malformed " + (yaml ? "YAML" : "JSON") + " in tools file " + file + at + ": "
                    + e.getOriginalMessage() + ". Fix the syntax there (or re-export the file).", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ToolException("tools file " + file + " is empty; it must hold {\"tools\": [...]} or a list "
                    + "of OpenAI tools/functions");
        }
        List<JsonNode> entries = ToolFileFormats.entries(root, file.toString());
        List<ToolDefinition> tools = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            tools.add(ToolFileFormats.toTool(entries.get(i), i + 1, file.toString()));
        }
        if (tools.isEmpty()) {
            throw new ToolException("tools file " + file + " lists no tools; a model needs at least one tool");
        }
        String source = label;
        JsonNode src = root.isObject() ? root.get("source") : null;
        if (src != null && src.isString() && !src.asString().isBlank()) {
            source = src.asString(); // re-importing our own tools.json keeps where the tools came from
        }
        Toolset ts;
        try {
            ts = new Toolset(source, tools);
        } catch (IllegalArgumentException e) {
            throw new ToolException("tools file " + file + ": " + e.getMessage(), e);
        }
        JsonNode recorded = root.isObject() ? root.get("toolsetHash") : null;
        if (recorded != null && recorded.isString() && !recorded.asString().equals(ts.hash())) {
            throw new ToolException("tools file " + file + ": toolsetHash mismatch: the file says "
                    + recorded.asString() + " but its tools hash to " + ts.hash() + "; the file was edited by hand: "
                    + "remove \"toolsetHash\" or re-run forge:inspect");
        }
        return ts;
    }

    private static boolean isYaml(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    @Override
    public Toolset listTools() {
        return toolset;
    }

    @Override
    public ToolCallResult callTool(String name, ObjectNode arguments) {
        throw new UnsupportedOperationException("a tools file describes tools but cannot run them ("
                + toolset.source() + "); use a live MCP server (-Dforge.server) or the stub server");
    }

    @Override
    public boolean supportsExecution() {
        return false;
    }

    @Override
    public void close() {
    }
}
