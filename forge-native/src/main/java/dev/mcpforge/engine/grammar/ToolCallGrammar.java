package dev.mcpforge.engine.grammar;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMLFormat;
import dev.mcpforge.engine.chat.JsonText;
import dev.mcpforge.engine.chat.ToolCallSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives a GBNF grammar (llama.cpp {@code llama_sampler_init_grammar}, start rule {@code root}) from the tools' JSON
 * Schemas, in a chat format's call syntax: the reply is either free text (optional) or one tool call whose name is one
 * of the tools and whose arguments follow that tool's {@code inputSchema}, printed exactly as the chat format prints
 * arguments ({@link JsonText}: {@code ", "} and {@code ": "} separators, properties in schema order).
 *
 * <p>Supported schema keywords: type (incl. type arrays), properties, required (optional properties may be omitted,
 * order fixed), additionalProperties (never adds undeclared keys; a schema-valued additionalProperties without
 * properties gives a map), items, minItems, enum, const, anyOf/oneOf, allOf of objects (merged), local $ref
 * ({@code #/...}, recursive allowed), minLength, minimum >= 0 for integers. Anything else (pattern, format,
 * maxLength, multipleOf, ...) is not enforced; an unknown construct falls back to a generic JSON value.
 * Hand-written: llama.cpp's json-schema-to-grammar is C++/Python only, and the call syntax is ours.
 */
public final class ToolCallGrammar {
    private static final Logger LOG = LoggerFactory.getLogger(ToolCallGrammar.class);
    private static final int MAX_INTEGER_DIGITS = 15;

    /**
     * Options: allow a free-text answer instead of a call; allow several calls (ChatML only; ignored otherwise);
     * spans of the user's message ({@link PromptSpans}) offered as the values of string arguments.
     *
     * <p>With spans, a string argument without enum/const is one of the spans (JSON-escaped, the ones that satisfy
     * its minLength/maxLength); free text is the fallback only when no span fits. The fallback cannot always be open:
     * llama.cpp's grammar sampler only masks tokens, so "a span or any string" accepts the same strings as "any
     * string" and decodes exactly the same output as the schema grammar.
     */
    public record Options(boolean allowFreeText, boolean allowParallelCalls, List<String> spans) {
        public static final Options DEFAULT = new Options(true, false);

        public Options {
            spans = spans == null ? List.of() : List.copyOf(spans);
        }

        public Options(boolean allowFreeText, boolean allowParallelCalls) {
            this(allowFreeText, allowParallelCalls, List.of());
        }

        public Options withSpans(List<String> s) {
            return new Options(allowFreeText, allowParallelCalls, s);
        }
    }

    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> bodyToName = new HashMap<>();
    private final Map<String, String> refNames = new HashMap<>();
    private final Set<String> generic = new HashSet<>();
    private JsonNode rootSchema;
    private List<String> spans = List.of();

    private ToolCallGrammar() {
    }

    /** The grammar for these tools (JSON array of {name, description, inputSchema}) in this format, free text allowed. */
    public static String build(JsonNode tools, ChatFormat format) {
        return build(tools, format, Options.DEFAULT);
    }

    public static String build(JsonNode tools, ChatFormat format, Options options) {
        return new ToolCallGrammar().generate(tools, format, options);
    }

    /** A GBNF grammar for the arguments object of one schema only (start rule {@code root}). */
    public static String forSchema(JsonNode schema) {
        ToolCallGrammar g = new ToolCallGrammar();
        g.rootSchema = schema;
        String expr = g.schema(schema, "args");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("root", expr);
        all.putAll(g.rules);
        g.addGeneric(all);
        return format(all);
    }

    private String generate(JsonNode tools, ChatFormat format, Options options) {
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            throw new IllegalArgumentException("a tool-call grammar needs at least one tool (a JSON array of {name, inputSchema})");
        }
        ToolCallSyntax syntax = format.toolCallSyntax();
        spans = options.spans();
        List<String> calls = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode t : tools) {
            JsonNode fn = t.has("function") ? t.get("function") : t;
            String name = fn.path("name").asString("");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("tool without a name: " + JsonText.write(t));
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("duplicate tool name '" + name + "'");
            }
            JsonNode schema = fn.has("inputSchema") ? fn.get("inputSchema") : fn.get("parameters");
            if (schema == null || schema.isNull()) {
                schema = JsonText.MAPPER.readTree("{\"type\": \"object\", \"properties\": {}}");
            }
            rootSchema = schema;
            refNames.clear();
            String base = ruleName(name);
            String args = named(base + "-args", objectLike(schema, base));
            String nameText = syntax.nameInJsonString()
                    ? JsonText.quote(name).substring(1, JsonText.quote(name).length() - 1) : name;
            String call = literal(syntax.prefix() + nameText + syntax.afterName()) + " " + args + " " + literal(syntax.suffix());
            calls.add(named(base + "-call", call));
        }
        Map<String, String> all = new LinkedHashMap<>();
        String prefix = format.replyPrefix().isEmpty() ? "" : literal(format.replyPrefix()) + " ";
        String toolCall = String.join(" | ", calls);
        // several calls only where the format writes them as consecutive blocks (ChatML: "\n"-separated)
        String callExpr = options.allowParallelCalls() && format instanceof ChatMLFormat
                ? "tool-call (\"\\n\" tool-call)*" : "tool-call";
        int firstChar = syntax.prefix().codePointAt(0);
        String answerClass = "[^" + classChar(firstChar) + "\\x00]";
        all.put("root", prefix + (options.allowFreeText() ? "(" + callExpr + " | answer)" : callExpr));
        all.put("tool-call", toolCall);
        if (options.allowFreeText()) {
            all.put("answer", answerClass + " " + answerClass + "*");
        }
        all.putAll(rules);
        addGeneric(all);
        String g = format(all);
        LOG.debug("Tool-call grammar for {} tools ({} rules, {} chars)", names.size(), all.size(), g.length());
        return g;
    }

    /** Tool arguments must be an object; a schema without type/properties means "any object". */
    private String objectLike(JsonNode schema, String hint) {
        if (schema.isObject() && !schema.has("type") && !schema.has("properties") && !schema.has("$ref")
                && !schema.has("anyOf") && !schema.has("oneOf") && !schema.has("allOf")) {
            return use("object");
        }
        return schema(schema, hint);
    }

    /** A GBNF expression matching the JSON values valid for {@code s}. */
    private String schema(JsonNode s, String hint) {
        if (s == null || s.isMissingNode() || (s.isBoolean() && s.booleanValue()) || (s.isObject() && s.isEmpty())) {
            return use("value");
        }
        if (!s.isObject()) {
            return use("value");
        }
        if (s.has("$ref")) {
            return ref(s.get("$ref").asString(""), hint);
        }
        if (s.has("const")) {
            return literal(JsonText.write(s.get("const")));
        }
        if (s.has("enum") && s.get("enum").isArray() && !s.get("enum").isEmpty()) {
            List<String> alts = new ArrayList<>();
            for (JsonNode v : s.get("enum")) {
                alts.add(literal(JsonText.write(v)));
            }
            return group(alts);
        }
        for (String k : new String[] {"anyOf", "oneOf"}) {
            if (s.has(k) && s.get(k).isArray() && !s.get(k).isEmpty()) {
                List<String> alts = new ArrayList<>();
                int i = 0;
                for (JsonNode sub : s.get(k)) {
                    alts.add(schema(inheritType(s, sub), hint + "-" + i++));
                }
                return group(new ArrayList<>(new LinkedHashSet<>(alts)));
            }
        }
        if (s.has("allOf") && s.get("allOf").isArray()) {
            JsonNode merged = mergeAllOf(s);
            return merged == null ? use("value") : schema(merged, hint);
        }
        JsonNode type = s.get("type");
        if (type != null && type.isArray()) {
            List<String> alts = new ArrayList<>();
            for (JsonNode t : type) {
                tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) s.deepCopy();
                copy.set("type", t);
                alts.add(schema(copy, hint));
            }
            return group(alts);
        }
        String t = type == null ? (s.has("properties") ? "object" : s.has("items") ? "array" : "") : type.asString("");
        switch (t) {
            case "string": {
                String spanRule = spans(s);
                if (spanRule != null) {
                    return spanRule;
                }
                int min = s.path("minLength").asInt(0);
                if (min <= 0) {
                    return use("string");
                }
                use("char");
                return named("string-min" + Math.min(min, 8), "\"\\\"\" " + "char ".repeat(Math.min(min, 8)) + "char* \"\\\"\"");
            }
            case "integer": {
                Long min = bound(s, "minimum", "exclusiveMinimum", +1);
                Long max = bound(s, "maximum", "exclusiveMaximum", -1);
                if (min == null && max == null) {
                    return use("integer");
                }
                if (min != null && max != null && min > max) {
                    throw new IllegalArgumentException("integer schema with minimum " + min + " > maximum " + max);
                }
                String name = "int-" + (min == null ? "any" : min.toString().replace('-', 'm')) + "-to-"
                        + (max == null ? "any" : max.toString().replace('-', 'm'));
                return named(name, IntegerRanges.expression(min, max, MAX_INTEGER_DIGITS));
            }
            case "number": {
                // enforced for integral bounds with minimum >= 0 (fractions allowed below the maximum)
                JsonNode minNode = s.get("minimum");
                JsonNode maxNode = s.get("maximum");
                boolean integralMin = minNode != null && minNode.isNumber() && minNode.doubleValue() >= 0
                        && minNode.doubleValue() == Math.rint(minNode.doubleValue()) && minNode.doubleValue() < 1e15;
                if (!integralMin || s.has("exclusiveMinimum") || s.has("exclusiveMaximum")) {
                    return use("number");
                }
                long lo = (long) minNode.doubleValue();
                String frac = " (\".\" [0-9]{1,15})?";
                if (maxNode == null || !maxNode.isNumber()) {
                    return named("number-" + lo + "-to-any", IntegerRanges.expression(lo, null, MAX_INTEGER_DIGITS) + frac);
                }
                double max = maxNode.doubleValue();
                if (max != Math.rint(max) || max < lo || max >= 1e15) {
                    return use("number");
                }
                long hi = (long) max;
                String body = hi == lo ? "\"" + lo + "\" (\".\" \"0\"+)?"
                        : "(" + IntegerRanges.expression(lo, hi - 1, MAX_INTEGER_DIGITS) + frac + " | \"" + hi + "\")";
                return named("number-" + lo + "-to-" + hi, body);
            }
            case "boolean":
                return use("boolean");
            case "null":
                return "\"null\"";
            case "array":
                return array(s, hint);
            case "object":
                return object(s, hint);
            default:
                return use("value");
        }
    }

    /** The alternation of the spans that fit this string schema's length bounds, or null (free text). */
    private String spans(JsonNode s) {
        if (spans.isEmpty()) {
            return null;
        }
        int min = s.path("minLength").asInt(0);
        int max = s.path("maxLength").asInt(Integer.MAX_VALUE);
        List<String> alts = new ArrayList<>();
        for (String span : spans) {
            int len = span.codePointCount(0, span.length());
            if (len >= min && len <= max) {
                alts.add(literal(JsonText.quote(span)));
            }
        }
        if (alts.isEmpty()) {
            return null;
        }
        return named("span", String.join(" | ", alts));
    }

    /** An inclusive integer bound from minimum/maximum or their exclusive forms; null if absent or not integral. */
    private static Long bound(JsonNode s, String inclusive, String exclusive, int direction) {
        JsonNode in = s.get(inclusive);
        JsonNode ex = s.get(exclusive);
        Long result = null;
        if (in != null && in.isNumber()) {
            double d = in.doubleValue();
            result = (long) (direction > 0 ? Math.ceil(d) : Math.floor(d));
        }
        if (ex != null && ex.isNumber()) {
            double d = ex.doubleValue();
            long e = direction > 0 ? (long) Math.floor(d) + 1 : (long) Math.ceil(d) - 1;
            result = result == null ? e : direction > 0 ? Math.max(result, e) : Math.min(result, e);
        }
        if (result != null && Math.abs(result) >= 1_000_000_000_000_000L) {
            return null; // e.g. Number.MAX_SAFE_INTEGER-style bounds: treat as unbounded
        }
        return result;
    }

    private String array(JsonNode s, String hint) {
        JsonNode items = s.get("items");
        String item = items == null || items.isArray() ? use("value") : schema(items, hint + "-item");
        int minItems = s.path("minItems").asInt(0);
        String list = item + " (\", \" " + item + ")*";
        String body = minItems > 0 ? "\"[\" " + list + " \"]\"" : "\"[\" (" + list + ")? \"]\"";
        return named(hint + "-array", body);
    }

    private String object(JsonNode s, String hint) {
        JsonNode props = s.get("properties");
        if (props == null || !props.isObject() || props.isEmpty()) {
            JsonNode ap = s.get("additionalProperties");
            if (ap != null && ap.isObject() && !ap.isEmpty()) {
                String v = schema(ap, hint + "-value");
                String kv = use("string") + " \": \" " + v;
                return named(hint + "-map", "\"{\" (" + kv + " (\", \" " + kv + ")*)? \"}\"");
            }
            if (ap != null && ap.isBoolean() && !ap.booleanValue()) {
                return literal("{}");
            }
            return use("object");
        }
        Set<String> required = new LinkedHashSet<>();
        s.path("required").forEach(r -> required.add(r.asString("")));
        List<String> keys = new ArrayList<>();
        List<String> kvs = new ArrayList<>();
        List<Boolean> req = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            keys.add(e.getKey());
            kvs.add(literal(JsonText.quote(e.getKey()) + ": ") + " " + schema(e.getValue(), hint + "-" + ruleName(e.getKey())));
            req.add(required.contains(e.getKey()));
        }
        for (String r : required) {
            if (!r.isEmpty() && !keys.contains(r)) { // required but undeclared: any value
                keys.add(r);
                kvs.add(literal(JsonText.quote(r) + ": ") + " " + use("value"));
                req.add(true);
            }
        }
        int n = keys.size();
        String[] rest = new String[n + 1]; // rest[i]: after something was written, properties i.. (null = nothing)
        String[] head = new String[n + 1]; // head[i]: nothing written yet, properties i..
        for (int i = n - 1; i >= 0; i--) {
            String tail = rest[i + 1] == null ? "" : " " + rest[i + 1];
            String restBody = req.get(i) ? "\", \" " + kvs.get(i) + tail : "(\", \" " + kvs.get(i) + ")?" + tail;
            rest[i] = named(hint + "-rest" + i, restBody);
            String headBody;
            if (req.get(i)) {
                headBody = kvs.get(i) + tail;
            } else if (head[i + 1] == null) {
                headBody = "(" + kvs.get(i) + tail + ")?";
            } else {
                headBody = kvs.get(i) + tail + " | " + head[i + 1];
            }
            head[i] = named(hint + "-props" + i, headBody);
        }
        return named(hint + "-object", "\"{\" " + head[0] + " \"}\"");
    }

    private String ref(String ref, String hint) {
        if (!ref.startsWith("#")) {
            return use("value");
        }
        String existing = refNames.get(ref);
        if (existing != null) {
            return existing;
        }
        JsonNode target = ref.equals("#") ? rootSchema : rootSchema.at(ref.substring(1));
        if (target == null || target.isMissingNode()) {
            LOG.warn("Unresolvable $ref '{}' in a tool schema: any JSON value is allowed there", ref);
            return use("value");
        }
        String name = unique(hint + "-ref");
        refNames.put(ref, name);
        rules.put(name, "\"\""); // placeholder so recursive references resolve
        String body = schema(target, name);
        rules.put(name, body);
        return name;
    }

    private static JsonNode inheritType(JsonNode parent, JsonNode sub) {
        if (parent.has("type") && sub.isObject() && !sub.has("type") && !sub.has("$ref") && !sub.has("const")
                && !sub.has("enum")) {
            tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) sub.deepCopy();
            copy.set("type", parent.get("type"));
            return copy;
        }
        return sub;
    }

    /** Merges allOf members that are plain objects; null if they cannot be merged simply. */
    private JsonNode mergeAllOf(JsonNode s) {
        tools.jackson.databind.node.ObjectNode merged = (tools.jackson.databind.node.ObjectNode) s.deepCopy();
        merged.remove("allOf");
        tools.jackson.databind.node.ObjectNode props = merged.has("properties")
                ? (tools.jackson.databind.node.ObjectNode) merged.get("properties") : JsonText.MAPPER.createObjectNode();
        tools.jackson.databind.node.ArrayNode req = merged.has("required")
                ? (tools.jackson.databind.node.ArrayNode) merged.get("required") : JsonText.MAPPER.createArrayNode();
        for (JsonNode part : s.get("allOf")) {
            if (part.has("$ref")) {
                String r = part.get("$ref").asString("");
                part = r.startsWith("#") ? rootSchema.at(r.substring(1)) : null;
            }
            if (part == null || !part.isObject()) {
                return null;
            }
            if (part.has("anyOf") || part.has("oneOf") || part.has("allOf") || part.has("$ref")) {
                return null;
            }
            if (part.has("type") && !"object".equals(part.get("type").asString(""))) {
                if (s.get("allOf").size() == 1 && !s.has("properties")) {
                    return part;
                }
                return null;
            }
            part.path("properties").properties().forEach(e -> props.set(e.getKey(), e.getValue()));
            part.path("required").forEach(req::add);
        }
        merged.put("type", "object");
        merged.set("properties", props);
        merged.set("required", req);
        return merged;
    }

    private static String group(List<String> alts) {
        return alts.size() == 1 ? alts.get(0) : "(" + String.join(" | ", alts) + ")";
    }

    /** Registers a rule (deduplicating identical bodies) and returns its name. */
    private String named(String hint, String body) {
        String existing = bodyToName.get(body);
        if (existing != null) {
            return existing;
        }
        String name = unique(hint);
        rules.put(name, body);
        bodyToName.put(body, name);
        return name;
    }

    private String unique(String hint) {
        String base = ruleName(hint);
        String name = base;
        int i = 2;
        while (rules.containsKey(name) || GENERIC.containsKey(name) || name.equals("root") || name.equals("tool-call")
                || name.equals("answer")) {
            name = base + "-" + i++;
        }
        return name;
    }

    private String use(String genericRule) {
        generic.add(genericRule);
        return genericRule;
    }

    private static final Map<String, String> GENERIC = new LinkedHashMap<>();

    static {
        GENERIC.put("value", "object | array | string | number | boolean | \"null\"");
        GENERIC.put("object", "\"{\" (string \": \" value (\", \" string \": \" value)*)? \"}\"");
        GENERIC.put("array", "\"[\" (value (\", \" value)*)? \"]\"");
        GENERIC.put("string", "\"\\\"\" char* \"\\\"\"");
        GENERIC.put("char", "[^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" ([0-9a-cA-Ce-fE-F] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}))"); // no lone surrogates
        GENERIC.put("number", "integer (\".\" [0-9]{1,15})? ([eE] [-+]? [0-9]{1,2})?");
        GENERIC.put("integer", "\"-\"? (\"0\" | [1-9] [0-9]{0," + (MAX_INTEGER_DIGITS - 1) + "})");
        GENERIC.put("boolean", "\"true\" | \"false\"");
    }

    private static final Map<String, List<String>> GENERIC_DEPS = Map.of(
            "value", List.of("object", "array", "string", "number", "boolean"),
            "object", List.of("string", "value"), "array", List.of("value"), "string", List.of("char"),
            "number", List.of("integer"), "char", List.of(), "integer", List.of(), "boolean", List.of());

    private void addGeneric(Map<String, String> all) {
        Set<String> need = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(generic);
        while (!todo.isEmpty()) {
            String g = todo.remove(todo.size() - 1);
            if (need.add(g)) {
                todo.addAll(GENERIC_DEPS.get(g));
            }
        }
        for (String g : GENERIC.keySet()) {
            if (need.contains(g)) {
                all.put(g, GENERIC.get(g));
            }
        }
    }

    private static final java.util.regex.Pattern REF = java.util.regex.Pattern.compile(
            "\"(?:[^\"\\\\]|\\\\.)*\"|\\[(?:[^\\]\\\\]|\\\\.)*\\]|\\{[0-9,]*\\}|([a-zA-Z0-9-]+)");

    /** Rule names referenced by a rule body (ignoring literals and character classes). */
    static Set<String> references(String body) {
        Set<String> out = new LinkedHashSet<>();
        java.util.regex.Matcher m = REF.matcher(body);
        while (m.find()) {
            if (m.group(1) != null) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Prints the rules reachable from root, in definition order. */
    private static String format(Map<String, String> all) {
        Set<String> reachable = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of("root"));
        while (!todo.isEmpty()) {
            String r = todo.remove(todo.size() - 1);
            if (reachable.add(r) && all.containsKey(r)) {
                todo.addAll(references(all.get(r)));
            }
        }
        StringBuilder sb = new StringBuilder();
        all.forEach((k, v) -> {
            if (reachable.contains(k)) {
                sb.append(k).append(" ::= ").append(v).append('\n');
            }
        });
        return sb.toString();
    }

    /** A GBNF string literal for the text. */
    static String literal(String text) {
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02X", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    private static String classChar(int c) {
        if (c == ']' || c == '[' || c == '\\' || c == '^' || c == '-') {
            return "\\" + (char) c;
        }
        if (c < 0x20) {
            return String.format("\\x%02X", c);
        }
        return new String(Character.toChars(c));
    }

    /** GBNF rule names are [a-zA-Z0-9-]+. */
    static String ruleName(String s) {
        String r = s.replaceAll("[^a-zA-Z0-9-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        return r.isEmpty() ? "r" : r;
    }
}
