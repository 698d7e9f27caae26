package dev.mcpforge.eval;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ParsedReply;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.tools.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Extracts the tool calls from a model's generated text, whatever format the model fell into. One parser: the chat
 * formats' own {@link ChatFormat#parse} (the exact syntax each family is trained on: ChatML/Hermes
 * {@code <tool_call>}, Llama 3 bare {@code {"name", "parameters"}}, DeepSeek-R1 tool-call tokens) is tried first,
 * with the model's own format ahead of the others; what none of them recognises is scanned for fenced
 * {@code ```json} blocks and JSON objects embedded in prose that look like calls ({@code name} plus
 * {@code arguments}/{@code parameters}, or OpenAI's {@code {"function": {...}}}). A DeepSeek {@code <think>} block is
 * set aside first.
 *
 * <p>Tolerant of whitespace, strict about JSON (Jackson's strict parser: no comments, no single quotes, no trailing
 * commas). Never throws: junk gives "no call", a broken call attempt gives a result with {@link Result#error()}.
 * The brace scanner is hand-written because no JSON library finds JSON values embedded in free text.
 */
public final class ToolCallParser {

    /**
     * @param calls     the calls that parsed, in order
     * @param content   the free text of the reply (without calls and reasoning), trimmed
     * @param reasoning the text of a {@code <think>} block, or ""
     * @param error     why a call attempt could not be parsed, or null
     */
    public record Result(List<ToolCall> calls, String content, String reasoning, String error) {
        public Result {
            calls = calls == null ? List.of() : List.copyOf(calls);
            content = content == null ? "" : content;
            reasoning = reasoning == null ? "" : reasoning;
        }

        /** The reply tried to call a tool (whether or not the call parsed). */
        public boolean attempted() {
            return !calls.isEmpty() || error != null;
        }

        /** At least one call and no broken one. */
        public boolean valid() {
            return !calls.isEmpty() && error == null;
        }
    }

    private static final List<ChatFormat> ALL = List.of(ChatFormat.chatml(), ChatFormat.llama3(), ChatFormat.deepseekR1());
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_-]*[ \\t]*\\r?\\n(.*?)```", Pattern.DOTALL);
    private static final String DEEPSEEK_CALLS = "<\uFF5Ctool\u2581calls\u2581begin\uFF5C>";
    private static final Pattern NAME_KEY = Pattern.compile("\"name\"\\s*:");

    private ToolCallParser() {
    }

    /** Parses with the model's format first ({@code format} may be null: all formats on an equal footing). */
    public static Result parse(String generated, ChatFormat format) {
        try {
            return parseUnchecked(generated == null ? "" : generated, format);
        } catch (RuntimeException | StackOverflowError e) {
            return new Result(List.of(), "", "", "unparseable reply: " + e);
        }
    }

    /**
     * Only the format's own call syntax counts as a call (for grammar-constrained replies, whose free-text branch may
     * contain anything): the {@code <think>} block is set aside, then {@link ChatFormat#parse} decides.
     */
    public static Result parseStrict(String generated, ChatFormat format) {
        try {
            String text = cutAtStops(generated == null ? "" : generated, format);
            String reasoning = "";
            int close = text.indexOf("</think>");
            if (close >= 0 && format != ChatFormat.deepseekR1()) {
                reasoning = text.substring(0, close).replaceFirst("^\\s*<think>", "").strip();
                text = text.substring(close + "</think>".length());
            }
            ParsedReply r = format.parse(text);
            return new Result(r.toolCalls(), r.content(), reasoning.isEmpty() ? r.reasoning() : reasoning, r.error());
        } catch (RuntimeException | StackOverflowError e) {
            return new Result(List.of(), "", "", "unparseable reply: " + e);
        }
    }

    private static Result parseUnchecked(String generated, ChatFormat format) {
        String text = cutAtStops(generated, format);
        String reasoning = "";
        int close = text.indexOf("</think>");
        if (close >= 0) {
            reasoning = text.substring(0, close).replaceFirst("^\\s*<think>", "").strip();
            text = text.substring(close + "</think>".length());
        }
        Set<ChatFormat> order = new LinkedHashSet<>();
        if (format != null) {
            order.add(format);
        }
        order.addAll(ALL);
        ParsedReply firstError = null;
        for (ChatFormat f : order) {
            ParsedReply r = f.parse(text);
            if (r.hasToolCalls()) {
                return new Result(r.toolCalls(), r.content(), reasoning, r.error());
            }
            if (r.error() != null && firstError == null) {
                firstError = r;
            }
        }
        Result lenient = lenient(text.strip(), reasoning);
        if (lenient.calls().isEmpty() && firstError != null && (NAME_KEY.matcher(text).find()
                || text.contains("<tool_call>") || text.contains(DEEPSEEK_CALLS))) {
            // a format's call marker (or a "name" key) with nothing parseable behind it: a broken call
            return new Result(List.of(), firstError.content(), reasoning, firstError.error());
        }
        return lenient;
    }

    private static String cutAtStops(String s, ChatFormat format) {
        List<String> stops = new ArrayList<>();
        if (format != null) {
            stops.addAll(format.stopStrings());
        }
        ALL.forEach(f -> stops.addAll(f.stopStrings()));
        String out = s;
        for (String stop : stops) {
            int i = out.indexOf(stop);
            if (i >= 0) {
                out = out.substring(0, i);
            }
        }
        return out;
    }

    /** Fenced blocks, then JSON objects/arrays embedded in the text. */
    private static Result lenient(String text, String reasoning) {
        List<ToolCall> calls = new ArrayList<>();
        String error = null;
        StringBuilder content = new StringBuilder();
        Matcher m = FENCE.matcher(text);
        int last = 0;
        boolean fenced = false;
        while (m.find()) {
            String body = m.group(1).strip();
            if (!(body.startsWith("{") || body.startsWith("["))) {
                continue;
            }
            JsonNode n = readStrict(body);
            if (n == null) {
                if (NAME_KEY.matcher(body).find()) {
                    error = "malformed JSON in a fenced tool call: " + abbreviate(body);
                    fenced = true;
                    content.append(text, last, m.start());
                    last = m.end();
                }
                continue;
            }
            List<ToolCall> found = callsOf(n);
            if (found == null) {
                continue;
            }
            calls.addAll(found);
            fenced = true;
            content.append(text, last, m.start());
            last = m.end();
        }
        if (fenced) {
            content.append(text.substring(last));
            return new Result(calls, content.toString().strip(), reasoning, error);
        }
        // bare JSON values embedded in the text
        String t = text.startsWith("<|python_tag|>") ? text.substring("<|python_tag|>".length()).strip() : text;
        int i = 0;
        last = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c != '{' && c != '[') {
                i++;
                continue;
            }
            int end = balancedEnd(t, i);
            if (end < 0) {
                // an unterminated object that looks like a call is a broken call (e.g. cut off by max tokens)
                if (c == '{' && NAME_KEY.matcher(t.substring(i, Math.min(t.length(), i + 200))).find()) {
                    error = "unterminated tool call JSON: " + abbreviate(t.substring(i));
                    content.append(t, last, i);
                    last = t.length();
                    break;
                }
                i++;
                continue;
            }
            String candidate = t.substring(i, end);
            JsonNode n = readStrict(candidate);
            List<ToolCall> found = n == null ? null : callsOf(n);
            if (found != null) {
                calls.addAll(found);
                content.append(t, last, i);
                last = end;
                i = end;
            } else if (n == null && c == '{' && NAME_KEY.matcher(candidate).find()) {
                error = "malformed tool call JSON: " + abbreviate(candidate);
                content.append(t, last, i);
                last = end;
                i = end;
            } else {
                i++;
            }
        }
        if (last < t.length()) {
            content.append(t.substring(last));
        }
        if (calls.isEmpty() && error == null) {
            return new Result(List.of(), text, reasoning, null);
        }
        return new Result(calls, content.toString().strip(), reasoning, error);
    }

    /** The calls a JSON value holds (an object or an array of objects), or null if it is not a call. */
    private static List<ToolCall> callsOf(JsonNode n) {
        if (n.isArray()) {
            if (n.isEmpty()) {
                return null;
            }
            List<ToolCall> out = new ArrayList<>();
            for (JsonNode e : n) {
                ToolCall c = callOf(e);
                if (c == null) {
                    return null;
                }
                out.add(c);
            }
            return out;
        }
        ToolCall c = callOf(n);
        return c == null ? null : List.of(c);
    }

    private static ToolCall callOf(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        if (n.path("function").isObject()) {
            n = n.get("function");
        }
        JsonNode name = n.get("name");
        if (name == null || !name.isString() || name.asString().isBlank()) {
            return null;
        }
        JsonNode args = n.has("arguments") ? n.get("arguments") : n.get("parameters");
        if (args == null) {
            return null;
        }
        if (args.isString()) {
            args = readStrict(args.asString());
        }
        if (args == null || !args.isObject()) {
            return null;
        }
        return new ToolCall(name.asString().strip(), args);
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 160 ? one : one.substring(0, 157) + "...";
    }

    static JsonNode readStrict(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Index just past the JSON object/array starting at {@code start} (string- and escape-aware), or -1. */
    static int balancedEnd(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
                if (depth < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
