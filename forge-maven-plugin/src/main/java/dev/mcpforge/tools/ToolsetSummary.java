package dev.mcpforge.tools;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The human summary of a toolset, as the seed's {@code tools inspect} prints it:
 * <pre>
 *   get_forecast
 *     Get weather forecast for the next N days
 *     Parameters: location* (string), days (integer)
 * </pre>
 * Required parameters are marked with {@code *}.
 */
public final class ToolsetSummary {

    /** Descriptions longer than this are cut (first line only) with an ellipsis. */
    public static final int DESCRIPTION_WIDTH = 100;

    private ToolsetSummary() {
    }

    public static List<String> lines(Toolset ts) {
        List<String> out = new ArrayList<>();
        out.add("Found " + ts.tools().size() + (ts.tools().size() == 1 ? " tool" : " tools") + " in " + ts.source()
                + ":");
        for (ToolDefinition t : ts.tools()) {
            out.add("");
            out.add("  " + t.name() + (t.title() != null && !t.title().equals(t.name()) ? "  (" + t.title() + ")" : ""));
            String d = shorten(t.description());
            if (!d.isEmpty()) {
                out.add("    " + d);
            }
            out.add("    Parameters: " + parameters(t));
        }
        return out;
    }

    /** {@code location* (string), days (integer)}, or {@code (none)}. */
    public static String parameters(ToolDefinition t) {
        Set<String> required = new LinkedHashSet<>(t.requiredArguments());
        JsonNode props = t.inputSchema().get("properties");
        List<String> parts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        if (props != null && props.isObject()) {
            for (String name : props.propertyNames()) {
                seen.add(name);
                parts.add(name + (required.contains(name) ? "*" : "") + " (" + type(props.get(name)) + ")");
            }
        }
        for (String r : required) {
            if (!seen.contains(r)) {
                parts.add(r + "* (any)");
            }
        }
        return parts.isEmpty() ? "(none)" : String.join(", ", parts);
    }

    static String type(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return "any";
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isString()) {
            String s = type.asString();
            if ("array".equals(s) && schema.path("items").isObject() && schema.path("items").has("type")) {
                return "array of " + type(schema.get("items"));
            }
            return s;
        }
        if (type != null && type.isArray()) {
            List<String> ts = new ArrayList<>();
            type.forEach(x -> ts.add(x.asString()));
            return String.join("|", ts);
        }
        if (schema.has("enum")) {
            return "enum";
        }
        if (schema.has("const")) {
            return "const";
        }
        for (String k : List.of("anyOf", "oneOf")) {
            if (schema.path(k).isArray()) {
                List<String> ts = new ArrayList<>();
                schema.get(k).forEach(x -> ts.add(type(x)));
                return String.join("|", ts);
            }
        }
        if (schema.has("$ref")) {
            return "ref";
        }
        return "any";
    }

    static String shorten(String description) {
        if (description == null || description.isBlank()) {
            return "";
        }
        String s = description.strip();
        int nl = s.indexOf('\n');
        boolean cut = false;
        if (nl >= 0) {
            s = s.substring(0, nl).strip();
            cut = true;
        }
        if (s.length() > DESCRIPTION_WIDTH) {
            s = s.substring(0, DESCRIPTION_WIDTH - 1).stripTrailing();
            cut = true;
        }
        return cut ? s + "…" : s;
    }
}
