package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming JSONL for samples: one JSON object per line, UTF-8, {@code \n} line ends. Reading never stops at a bad
 * line: each one is reported with its 1-based line number and the rest is read on.
 */
public final class SampleJsonl {

    private SampleJsonl() {
    }

    /** Why a line could not be turned into a sample. {@code kind} is {@code json_parse} or {@code structure}. */
    public record LineError(long line, String kind, String message, String excerpt) {
        @Override
        public String toString() {
            return "line " + line + ": " + message + (excerpt.isEmpty() ? "" : " [" + excerpt + "]");
        }
    }

    /** Receives the lines of a file in order. */
    public interface Handler {
        void sample(long line, Sample sample);

        void error(LineError error);
    }

    /** Writes samples one per line. */
    public static final class Writer implements Closeable {
        private final BufferedWriter out;
        private long count;

        public Writer(Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                    1 << 16);
        }

        public void write(Sample s) throws IOException {
            out.write(Json.MAPPER.writeValueAsString(s.toJson()));
            out.write('\n');
            count++;
        }

        public long count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    public static void write(Path file, Iterable<Sample> samples) throws IOException {
        try (Writer w = new Writer(file)) {
            for (Sample s : samples) {
                w.write(s);
            }
        }
    }

    /**
     * Reads a file line by line. Blank lines are skipped. Invalid UTF-8 is replaced (so binary garbage becomes a
     * {@code json_parse} error on its line, not an exception).
     *
     * @return the number of non-blank lines seen
     */
    public static long read(Path file, Handler handler) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        long lineNo = 0;
        long seen = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder),
                1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                seen++;
                parseLine(lineNo, line, handler);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return seen;
    }

    static void parseLine(long lineNo, String line, Handler handler) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JacksonException e) {
            handler.error(new LineError(lineNo, "json_parse", "not valid JSON: " + firstLine(e.getOriginalMessage()),
                    excerpt(line)));
            return;
        }
        if (node == null || !node.isObject()) {
            handler.error(new LineError(lineNo, "json_parse", "not a JSON object", excerpt(line)));
            return;
        }
        try {
            handler.sample(lineNo, Sample.fromJson(node));
        } catch (SampleFormatException e) {
            handler.error(new LineError(lineNo, "structure", e.getMessage(), ""));
        }
    }

    /** Reads a whole file into memory, collecting errors. For tests and small files. */
    public static List<Sample> readAll(Path file, List<LineError> errors) throws IOException {
        List<Sample> out = new ArrayList<>();
        read(file, new Handler() {
            @Override
            public void sample(long line, Sample sample) {
                out.add(sample);
            }

            @Override
            public void error(LineError error) {
                errors.add(error);
            }
        });
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    static String excerpt(String line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < line.length() && sb.length() < 60; i++) {
            char c = line.charAt(i);
            sb.append(c < 0x20 || c == '\uFFFD' ? '?' : c);
        }
        return line.length() > 60 ? sb + "…" : sb.toString();
    }
}
