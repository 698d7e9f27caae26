package dev.mcpforge.engine.train;

import dev.mcpforge.engine.EngineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The training texts file: one sample per line, either a JSON string (the rendered chat; no assistant spans known) or
 * {@code {"text": "...", "spans": [[start, end], ...]}} with the character ranges {@code [start, end)} of the text the
 * model generates (RenderedChat's assistant spans), which the graph core scores with {@code lossOn=assistant}, and
 * optionally {@code "names": [[start, end], ...]}, the ranges of the called tools' names inside them (RenderedChat's
 * tool names), on which the graph core measures its held-out tool choice.
 */
public final class TrainTexts {
    /** One sample; {@code spans} is null when the line was a plain string; {@code names} is never null. */
    public record Entry(String text, List<int[]> spans, List<int[]> names) {
    }

    private TrainTexts() {
    }

    public static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(parse(line, file));
                }
            }
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    static Entry parse(String line, Path file) {
        JsonNode n;
        try {
            n = TrainRequest.MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, file + ": a line is not JSON ("
                    + e.getOriginalMessage() + "); each line must be a JSON string or {\"text\":...,\"spans\":[[s,e],...]}.", e);
        }
        if (n.isString()) {
            return new Entry(n.asString(), null, List.of());
        }
        if (n.isObject() && n.path("text").isString()) {
            String text = n.get("text").asString();
            return new Entry(text, ranges(n, "spans", "span", text, file),
                    ranges(n, "names", "tool-name range", text, file));
        }
        throw new EngineException(EngineException.Kind.INVALID_REQUEST, file + ": each line must be a JSON string or "
                + "{\"text\":...,\"spans\":[[s,e],...]}, not " + n.getNodeType());
    }

    private static List<int[]> ranges(JsonNode line, String key, String what, String text, Path file) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode s : line.path(key)) {
            int a = s.path(0).asInt(-1);
            int b = s.path(1).asInt(-1);
            if (a < 0 || b < a || b > text.length()) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, file + ": " + what + " " + s
                        + " is outside its text of " + text.length() + " characters.");
            }
            out.add(new int[] {a, b});
        }
        return out;
    }

    /** The JSON line of a sample with its assistant spans and the ranges of its called tools' names. */
    public static String line(String text, List<int[]> spans, List<int[]> names) {
        ObjectNode o = TrainRequest.MAPPER.createObjectNode();
        o.put("text", text);
        ArrayNode a = o.putArray("spans");
        for (int[] s : spans) {
            a.addArray().add(s[0]).add(s[1]);
        }
        if (!names.isEmpty()) {
            ArrayNode nm = o.putArray("names");
            for (int[] s : names) {
                nm.addArray().add(s[0]).add(s[1]);
            }
        }
        return o.toString();
    }
}
