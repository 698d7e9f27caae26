package dev.mcpforge.engine.chat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * JSON text exactly as chat templates print it with Jinja's {@code tojson} (Python {@code json.dumps} with
 * {@code ensure_ascii=False}): separators {@code ", "} and {@code ": "} (or newline + indent), keys in document
 * order, only {@code "}, {@code \} and control characters escaped. Hand-written because Jackson's printers cannot
 * produce this spacing, and a model must see the same bytes in training and in its prompt.
 */
public final class JsonText {
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonText() {
    }

    /** Single-line form: {@code {"a": 1, "b": [1, 2]}}. */
    public static String write(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb, -1, 0);
        return sb.toString();
    }

    /** Indented form ({@code tojson(indent=n)}). */
    public static String write(JsonNode node, int indent) {
        StringBuilder sb = new StringBuilder();
        write(node, sb, indent, 0);
        return sb.toString();
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        quote(s, sb);
        return sb.toString();
    }

    private static void write(JsonNode n, StringBuilder sb, int indent, int level) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isString()) {
            quote(n.asString(), sb);
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isNumber()) {
            sb.append(number(n));
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (JsonNode e : n) {
                sep(sb, first, indent, level + 1);
                first = false;
                write(e, sb, indent, level + 1);
            }
            close(sb, indent, level);
            sb.append(']');
        } else if (n.isObject()) {
            if (n.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                sep(sb, first, indent, level + 1);
                first = false;
                quote(e.getKey(), sb);
                sb.append(": ");
                write(e.getValue(), sb, indent, level + 1);
            }
            close(sb, indent, level);
            sb.append('}');
        } else {
            sb.append(n.asString());
        }
    }

    private static String number(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        // Python repr of a float: shortest round-trip digits, always with a '.' or exponent
        String s = Double.toString(d);
        if (s.contains("E")) {
            java.math.BigDecimal bd = new java.math.BigDecimal(s);
            int exp = bd.precision() - bd.scale() - 1;
            if (exp >= -5 && exp < 16) {
                String plain = bd.toPlainString();
                return plain.contains(".") ? plain : plain + ".0";
            }
            String mant = bd.unscaledValue().abs().toString();
            String m = mant.length() > 1 ? mant.charAt(0) + "." + mant.substring(1) : mant;
            m = m.replaceAll("\\.?0+$", "");
            return (d < 0 ? "-" : "") + m + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        return s;
    }

    private static void sep(StringBuilder sb, boolean first, int indent, int level) {
        if (indent < 0) {
            if (!first) {
                sb.append(", ");
            }
        } else {
            if (!first) {
                sb.append(',');
            }
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static void close(StringBuilder sb, int indent, int level) {
        if (indent >= 0) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
