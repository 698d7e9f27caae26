package dev.mcpforge.tools.stub;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recorded tool calls: {@code tool name + canonical JSON of the arguments -> result}. The file format is JSON
 * Lines, one call per line:
 * <pre>{"arguments":{...},"result":{"content":[...],"structuredContent":{...},"isError":false},"tool":"name"}</pre>
 * ({@code structuredContent} optional; lines written by {@link #write} have sorted keys). Blank lines and lines
 * starting with {@code //} are ignored. A later line with the same key replaces an earlier one.
 */
public final class Fixtures {

    /** One recorded call. */
    public record Entry(String tool, ObjectNode arguments, ToolCallResult result) {
        public Entry {
            arguments = arguments == null ? Json.MAPPER.createObjectNode() : arguments.deepCopy();
        }

        /** The JSONL line (canonical: sorted keys, no whitespace). */
        public String toLine() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("tool", tool);
            n.set("arguments", arguments);
            n.set("result", result.toJson());
            return Json.canonical(n);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public Fixtures() {
    }

    public Fixtures(List<Entry> list) {
        list.forEach(this::put);
    }

    /** The lookup key: tool name, a NUL, the canonical arguments ({@code {}} when absent). */
    public static String key(String tool, JsonNode arguments) {
        return tool + '\u0000' + Json.canonical(arguments == null || arguments.isNull()
                ? Json.MAPPER.createObjectNode() : arguments);
    }

    /** Adds or replaces the entry for its key. */
    public synchronized void put(Entry e) {
        entries.put(key(e.tool(), e.arguments()), e);
    }

    public synchronized Optional<ToolCallResult> find(String tool, JsonNode arguments) {
        Entry e = entries.get(key(tool, arguments));
        return e == null ? Optional.empty() : Optional.of(e.result());
    }

    /**
     * The recorded result, or an {@code isError} result saying that nothing was recorded for this call (so a
     * model under test sees a tool failure, not a crash).
     */
    public ToolCallResult answer(String tool, JsonNode arguments) {
        return find(tool, arguments).orElseGet(() -> ToolCallResult.text("stub MCP server: no recorded fixture "
                + "for tool '" + tool + "' with arguments " + Json.abbreviate(Json.sortKeys(arguments))
                + "; record it from the live server with forge:inspect -Dforge.record=<fixtures.jsonl> "
                + "or add a line to the fixtures file", true));
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Reads a fixtures file; a malformed line gives a ToolException naming the file and line. */
    public static Fixtures load(Path file) throws ToolException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolException("cannot read the fixtures file " + file + ": " + e.getMessage(), e);
        }
        Fixtures f = new Fixtures();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode n;
            try {
                n = Json.MAPPER.readTree(line);
            } catch (JacksonException e) {
                throw new ToolException(where + ": not valid JSON (" + e.getOriginalMessage() + "); each line must be "
                        + "{\"tool\":..., \"arguments\":{...}, \"result\":{\"content\":[...], \"isError\":...}}", e);
            }
            if (!n.isObject() || !n.path("tool").isString()) {
                throw new ToolException(where + ": a fixture needs a string \"tool\"");
            }
            JsonNode args = n.get("arguments");
            if (args != null && !args.isNull() && !args.isObject()) {
                throw new ToolException(where + ": \"arguments\" must be a JSON object");
            }
            JsonNode result = n.get("result");
            if (result == null || !result.isObject() || !result.path("content").isArray()) {
                throw new ToolException(where + ": a fixture needs \"result\": {\"content\": [...], \"isError\": ...}");
            }
            f.put(new Entry(n.get("tool").asString(), args == null || args.isNull() ? null : (ObjectNode) args,
                    ToolCallResult.fromJson(result)));
        }
        return f;
    }

    /** Writes all entries, one canonical line each, atomically (temp file + move). */
    public synchronized void write(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries.values()) {
            sb.append(e.toLine()).append('\n');
        }
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A copy of the entries as a list (for tests and reports). */
    public List<Entry> toList() {
        return new ArrayList<>(entries());
    }
}
