package dev.mcpforge.eval;

import dev.mcpforge.engine.chat.ToolCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Compares a model's call with the expected call the way BFCL's AST checker does
 * (anchors-toolcalling.md §2): the name must match; every required parameter must be present; a parameter that is not
 * in the schema, or that the expected call does not have, is unexpected; an int is accepted where a number is expected
 * (values compare numerically); strings compare after normalisation (lower case; spaces and {@code ,./-_*^} removed;
 * quotes unified); lists element-wise; objects key by key. Optional parameters of the expected call may be omitted.
 * Hand-written: BFCL's checker is Python and no Java library implements these rules.
 */
public final class ArgumentMatcher {
    private ArgumentMatcher() {
    }

    /** Why {@code actual} does not match {@code expected}, or null when it does. */
    public static String mismatch(ToolCall expected, ToolCall actual, JsonNode schema) {
        if (!expected.name().equals(actual.name())) {
            return "wrong tool: expected " + expected.name() + ", got " + actual.name();
        }
        JsonNode props = schema == null ? null : schema.get("properties");
        Set<String> required = new HashSet<>();
        if (schema != null && schema.path("required").isArray()) {
            schema.get("required").forEach(r -> required.add(r.asString()));
        }
        JsonNode a = actual.arguments();
        JsonNode e = expected.arguments();
        for (String r : required) {
            if (!a.has(r)) {
                return "missing required parameter '" + r + "'";
            }
        }
        for (String k : a.propertyNames()) {
            if (props != null && props.isObject() && !props.has(k)) {
                return "unknown parameter '" + k + "' (not in the tool's schema)";
            }
            if (!e.has(k)) {
                return "unexpected parameter '" + k + "' (the expected call does not set it)";
            }
        }
        for (String k : e.propertyNames()) {
            if (!a.has(k)) {
                if (required.contains(k)) {
                    return "missing required parameter '" + k + "'";
                }
                continue; // optional parameters may be omitted
            }
            if (!valueMatches(e.get(k), a.get(k))) {
                return "wrong value for '" + k + "': expected " + ToolCallParser.abbreviate(e.get(k).toString())
                        + ", got " + ToolCallParser.abbreviate(a.get(k).toString());
            }
        }
        return null;
    }

    /** Order-free comparison of several calls: each expected call must be matched by a distinct actual call. */
    public static String mismatch(List<ToolCall> expected, List<ToolCall> actual, java.util.function.Function<String, JsonNode> schemas) {
        if (expected.size() != actual.size()) {
            return "expected " + expected.size() + " call(s), got " + actual.size();
        }
        List<ToolCall> left = new ArrayList<>(actual);
        String firstReason = null;
        for (ToolCall ex : expected) {
            boolean matched = false;
            for (Iterator<ToolCall> it = left.iterator(); it.hasNext(); ) {
                ToolCall ac = it.next();
                String why = mismatch(ex, ac, schemas.apply(ex.name()));
                if (why == null) {
                    it.remove();
                    matched = true;
                    break;
                }
                if (firstReason == null || ac.name().equals(ex.name())) {
                    firstReason = why;
                }
            }
            if (!matched) {
                return firstReason;
            }
        }
        return null;
    }

    static boolean valueMatches(JsonNode e, JsonNode a) {
        if (e.isNumber() && a.isNumber()) {
            return e.decimalValue().compareTo(a.decimalValue()) == 0;
        }
        if (e.isString() && a.isString()) {
            return normalise(e.asString()).equals(normalise(a.asString()));
        }
        if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!valueMatches(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (e.isObject() && a.isObject()) {
            if (e.size() != a.size()) {
                return false;
            }
            for (String k : e.propertyNames()) {
                if (!a.has(k) || !valueMatches(e.get(k), a.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return e.equals(a);
    }

    /** BFCL's string normalisation. */
    static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[\\s,./\\-_*^]", "")
                .replace('\'', '"').replace('\u2018', '"').replace('\u2019', '"')
                .replace('\u201C', '"').replace('\u201D', '"');
    }
}
