package dev.mcpforge.qa;

import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Safe repairs of tool arguments, each one derivable from the value and the schema alone: numbers and booleans
 * written as strings ("5" → 5 for an integer field, "true" → true for a boolean field) and properties the schema
 * does not declare (dropped when the schema lists its properties and does not allow others explicitly). Nothing is
 * ever filled in. Works on nested objects and arrays of objects.
 */
public final class ArgumentRepair {

    private static final Pattern INT = Pattern.compile("-?\\d{1,18}");
    private static final Pattern NUM = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ArgumentRepair() {
    }

    /**
     * Repairs {@code args} in place.
     *
     * @param counts receives one count per repair kind ({@code coerce_integer}, {@code coerce_number},
     *               {@code coerce_boolean}, {@code drop_unknown_property})
     * @return the unknown property paths found (dropped only when {@code dropUnknown})
     */
    public static List<String> repair(JsonNode schema, ObjectNode args, boolean dropUnknown, Map<String, Integer> counts) {
        List<String> unknown = new ArrayList<>();
        walkObject(schema, schema, args, "", dropUnknown, counts, unknown);
        return unknown;
    }

    private static void walkObject(JsonNode root, JsonNode schema, ObjectNode obj, String path, boolean dropUnknown,
                                   Map<String, Integer> counts, List<String> unknown) {
        JsonNode props = schema.get("properties");
        if (props == null || !props.isObject()) {
            return;
        }
        JsonNode addl = schema.get("additionalProperties");
        boolean openSchema = addl != null && (addl.isObject() || addl.isBoolean() && addl.asBoolean())
                || schema.has("patternProperties");
        for (String key : new ArrayList<>(obj.propertyNames())) {
            JsonNode ps = props.get(key);
            if (ps == null) {
                if (!openSchema) {
                    unknown.add(path + key);
                    if (dropUnknown) {
                        obj.remove(key);
                        counts.merge("drop_unknown_property", 1, Integer::sum);
                    }
                }
                continue;
            }
            ps = resolve(root, ps);
            JsonNode v = obj.get(key);
            JsonNode fixed = coerce(ps, v, counts);
            if (fixed != v) {
                obj.set(key, fixed);
                v = fixed;
            }
            if (v.isObject()) {
                walkObject(root, ps, (ObjectNode) v, path + key + ".", dropUnknown, counts, unknown);
            } else if (v.isArray() && ps.has("items") && ps.get("items").isObject()) {
                JsonNode items = resolve(root, ps.get("items"));
                for (int i = 0; i < v.size(); i++) {
                    JsonNode el = v.get(i);
                    JsonNode fe = coerce(items, el, counts);
                    if (fe != el) {
                        ((tools.jackson.databind.node.ArrayNode) v).set(i, fe);
                    }
                    if (fe.isObject()) {
                        walkObject(root, items, (ObjectNode) fe, path + key + "[" + i + "].", dropUnknown, counts,
                                unknown);
                    }
                }
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode s) {
        if (s.has("$ref") && s.get("$ref").isString() && s.get("$ref").asString().startsWith("#")) {
            JsonNode t = root.at(s.get("$ref").asString().substring(1));
            return t.isMissingNode() ? s : t;
        }
        return s;
    }

    private static boolean allows(JsonNode schema, String type) {
        JsonNode t = schema.get("type");
        if (t == null) {
            return false;
        }
        if (t.isString()) {
            return t.asString().equals(type);
        }
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (type.equals(x.asString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The coerced value, or {@code v} itself when nothing is safely derivable. */
    static JsonNode coerce(JsonNode schema, JsonNode v, Map<String, Integer> counts) {
        if (v == null || !v.isString() || allows(schema, "string")) {
            return v;
        }
        String s = v.asString().strip();
        if (allows(schema, "integer") && INT.matcher(s).matches()) {
            counts.merge("coerce_integer", 1, Integer::sum);
            return F.numberNode(Long.parseLong(s));
        }
        if (allows(schema, "number") && NUM.matcher(s).matches()) {
            counts.merge("coerce_number", 1, Integer::sum);
            BigDecimal d = new BigDecimal(s);
            return d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                    ? F.numberNode(d.longValueExact()) : F.numberNode(d);
        }
        if (allows(schema, "boolean") && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            counts.merge("coerce_boolean", 1, Integer::sum);
            return F.booleanNode(Boolean.parseBoolean(s.toLowerCase(java.util.Locale.ROOT)));
        }
        return v;
    }

    static String describe(JsonNode v) {
        return Json.abbreviate(v);
    }
}
