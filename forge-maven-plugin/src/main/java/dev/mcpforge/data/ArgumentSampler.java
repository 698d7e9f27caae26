package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Draws argument objects from a tool's {@code inputSchema}: types (incl. type lists), {@code enum}/{@code const},
 * {@code format}, numeric bounds (incl. exclusive ones and {@code multipleOf}), string lengths, {@code pattern}
 * (by trying realistic candidates; a pattern none of them match makes an optional argument be left out),
 * arrays ({@code items}, {@code minItems}/{@code maxItems}, {@code uniqueItems}), nested objects,
 * {@code anyOf}/{@code oneOf}/{@code allOf} and local {@code $ref}s. Every result is checked with
 * {@link SchemaValidator}; what does not validate is drawn again, and a schema that never yields a valid value is
 * reported as {@link UnsatisfiableSchemaException} naming the tool and the reason.
 *
 * <p>Hand-written because schema-to-data generators on the JVM produce random noise ("xQ3#"), while training
 * data needs realistic values a user would type (paths, names, dates).</p>
 */
public final class ArgumentSampler {

    /** TYPICAL: everyday values; BOUNDARY: minimum/maximum values, shortest strings, optional arguments left out. */
    public enum Mode { TYPICAL, BOUNDARY }

    private static final int ATTEMPTS = 40;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SchemaValidator validator;
    /** The tool being sampled works on directories: its path arguments are directories. Not thread-safe. */
    private boolean directoryTool;

    public ArgumentSampler(SchemaValidator validator) {
        this.validator = validator;
    }

    /**
     * Arguments for one call of {@code tool}.
     *
     * @param optionalShare probability of including each optional top-level argument (0 = required only)
     */
    public ObjectNode sample(ToolDefinition tool, Random r, Mode mode, double optionalShare) {
        ObjectNode schema = tool.inputSchema();
        String tn = tool.name().toLowerCase(Locale.ROOT);
        directoryTool = tn.contains("dir") || tn.contains("tree") || tn.contains("list") && !tn.contains("file");
        String problem = staticProblem(tool.name(), schema, schema, "", 0);
        if (problem != null) {
            throw new UnsatisfiableSchemaException(problem);
        }
        String last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            JsonNode v = object(schema, schema, "", r, mode, attempt < ATTEMPTS / 2 ? optionalShare : 0, 0);
            if (v != null && v.isObject()) {
                List<SchemaValidator.Violation> errs = validator.validate(schema, v);
                if (errs.isEmpty()) {
                    return (ObjectNode) v;
                }
                last = errs.get(0).message() + " for " + Json.abbreviate(v);
            }
        }
        throw new UnsatisfiableSchemaException("tool '" + tool.name() + "': no valid arguments after " + ATTEMPTS
                + " attempts" + (last == null ? "" : "; last violation: " + last)
                + ". The inputSchema may admit no value (contradictory constraints) or use a pattern the sampler"
                + " cannot satisfy; fix the schema on the server or give the tool weight 0 (forge.toolWeights)");
    }

    /** A reason why {@code schema} cannot have any value, found without sampling, or null. */
    static String staticProblem(String tool, JsonNode root, JsonNode schema, String path, int depth) {
        String where = "tool '" + tool + "'" + (path.isEmpty() ? "" : ", argument '" + path + "'");
        if (schema == null || depth > 12) {
            return null;
        }
        if (schema.isBoolean()) {
            return schema.asBoolean() ? null : where + ": the schema is 'false', which admits no value";
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray() && en.isEmpty()) {
            return where + ": \"enum\" is empty, so no value is allowed";
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isArray() && type.isEmpty()) {
            return where + ": \"type\" is an empty list, so no value is allowed";
        }
        Double min = num(schema, "minimum");
        Double max = num(schema, "maximum");
        if (min != null && max != null && min > max) {
            return where + ": minimum " + min + " is greater than maximum " + max;
        }
        Double minL = num(schema, "minLength");
        Double maxL = num(schema, "maxLength");
        if (minL != null && maxL != null && minL > maxL) {
            return where + ": minLength " + minL.intValue() + " is greater than maxLength " + maxL.intValue();
        }
        Double minI = num(schema, "minItems");
        Double maxI = num(schema, "maxItems");
        if (minI != null && maxI != null && minI > maxI) {
            return where + ": minItems " + minI.intValue() + " is greater than maxItems " + maxI.intValue();
        }
        JsonNode props = schema.get("properties");
        JsonNode req = schema.get("required");
        if (req != null && req.isArray()) {
            boolean closed = schema.has("additionalProperties") && schema.get("additionalProperties").isBoolean()
                    && !schema.get("additionalProperties").asBoolean();
            for (JsonNode rq : req) {
                JsonNode p = props == null ? null : props.get(rq.asString());
                if (p == null && closed) {
                    return where + ": required argument '" + rq.asString() + "' is not among the properties and"
                            + " additionalProperties is false";
                }
                if (p != null) {
                    String sub = staticProblem(tool, root, resolve(root, p),
                            path.isEmpty() ? rq.asString() : path + "." + rq.asString(), depth + 1);
                    if (sub != null) {
                        return sub;
                    }
                }
            }
        }
        return null;
    }

    /** The node's text when it is a string, else "" (never throws on containers). */
    static String text(JsonNode n) {
        return n != null && n.isString() ? n.asString() : "";
    }

    private static Double num(JsonNode s, String key) {
        JsonNode n = s.get(key);
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    static JsonNode resolve(JsonNode root, JsonNode schema) {
        int guard = 0;
        while (schema != null && schema.isObject() && schema.has("$ref") && guard++ < 10) {
            String ref = schema.get("$ref").asString();
            if (!ref.startsWith("#")) {
                return schema;
            }
            JsonNode target = ref.equals("#") ? root : root.at(ref.substring(1));
            if (target == null || target.isMissingNode()) {
                return schema;
            }
            schema = target;
        }
        return schema;
    }

    /** A value for {@code schema} or null when this draw failed. */
    JsonNode value(JsonNode root, JsonNode schema, String name, Random r, Mode mode, double optionalShare, int depth) {
        schema = resolve(root, schema);
        if (schema == null || schema.isBoolean()) {
            return schema != null && !schema.asBoolean() ? null : F.stringNode(ValuePools.string(name, "", null, r));
        }
        if (depth > 8) {
            return null;
        }
        if (schema.has("const")) {
            return schema.get("const").deepCopy();
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray() && !en.isEmpty()) {
            if (mode == Mode.BOUNDARY && r.nextBoolean()) {
                return en.get(r.nextBoolean() ? 0 : en.size() - 1).deepCopy();
            }
            return en.get(r.nextInt(en.size())).deepCopy();
        }
        JsonNode alts = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
        if (alts != null && alts.isArray() && !alts.isEmpty()) {
            JsonNode branch = alts.get(r.nextInt(alts.size()));
            ObjectNode merged = mergeSiblings(schema, resolve(root, branch));
            return value(root, merged, name, r, mode, optionalShare, depth + 1);
        }
        JsonNode all = schema.get("allOf");
        if (all != null && all.isArray()) {
            ObjectNode merged = (ObjectNode) schema.deepCopy();
            merged.remove("allOf");
            for (JsonNode part : all) {
                merged = mergeSiblings(merged, resolve(root, part));
            }
            return value(root, merged, name, r, mode, optionalShare, depth + 1);
        }
        String type = type(schema, r);
        String desc = text(schema.get("description"));
        return switch (type) {
            case "object" -> object(root, schema, name, r, mode, optionalShare, depth);
            case "array" -> array(root, schema, name, r, mode, depth);
            case "integer" -> number(schema, name, r, mode, true);
            case "number" -> number(schema, name, r, mode, false);
            case "boolean" -> F.booleanNode(r.nextBoolean());
            case "null" -> F.nullNode();
            default -> string(schema, directoryTool && name.equalsIgnoreCase("path") ? "directory" : name, desc, r, mode);
        };
    }

    private static ObjectNode mergeSiblings(JsonNode parent, JsonNode branch) {
        ObjectNode merged = Json.MAPPER.createObjectNode();
        parent.propertyNames().forEach(k -> {
            if (!k.equals("anyOf") && !k.equals("oneOf")) {
                merged.set(k, parent.get(k));
            }
        });
        if (branch != null && branch.isObject()) {
            branch.propertyNames().forEach(k -> merged.set(k, branch.get(k)));
        }
        return merged;
    }

    private static String type(JsonNode schema, Random r) {
        JsonNode t = schema.get("type");
        if (t != null && t.isString()) {
            return t.asString();
        }
        if (t != null && t.isArray() && !t.isEmpty()) {
            List<String> types = new ArrayList<>();
            t.forEach(x -> {
                if (!"null".equals(x.asString())) {
                    types.add(x.asString());
                }
            });
            return types.isEmpty() ? "null" : types.get(0);
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        if (schema.has("minimum") || schema.has("maximum")) {
            return "number";
        }
        return "string";
    }

    private JsonNode object(JsonNode root, JsonNode schema, String name, Random r, Mode mode, double optionalShare,
                            int depth) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode props = schema.get("properties");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(x -> required.add(x.asString()));
        if (props != null && props.isObject() && !props.isEmpty()) {
            for (String key : props.propertyNames()) {
                boolean req = required.contains(key);
                // nested objects keep more of their optional fields than the top level does
                double share = depth == 0 ? optionalShare : Math.max(optionalShare, 0.3);
                if (!req && (mode == Mode.BOUNDARY && depth == 0 || r.nextDouble() >= share)) {
                    continue;
                }
                JsonNode v = value(root, props.get(key), key, r, mode, optionalShare, depth + 1);
                if (v == null) {
                    if (req) {
                        return null;
                    }
                    continue;
                }
                out.set(key, v);
            }
            for (String key : required) {
                if (!out.has(key) && !props.has(key)) {
                    out.put(key, ValuePools.string(key, "", null, r));
                }
            }
            return out;
        }
        if (depth == 0) {
            for (String key : required) {
                out.put(key, ValuePools.string(key, "", null, r));
            }
            return out;
        }
        // a free-form object (no declared properties), e.g. a database row or a filter
        JsonNode addl = schema.get("additionalProperties");
        if (addl != null && addl.isObject() && addl.has("type") && !"string".equals(text(addl.get("type")))) {
            out.set(ValuePools.pick(ValuePools.WORDS, r), value(root, addl, "value", r, mode, optionalShare, depth + 1));
            return out;
        }
        for (String[] kv : ValuePools.record(r)) {
            out.set(kv[0], Json.MAPPER.readTree(kv[1]));
        }
        return out;
    }

    private JsonNode array(JsonNode root, JsonNode schema, String name, Random r, Mode mode, int depth) {
        int min = schema.path("minItems").asInt(0);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : Math.max(min, 3);
        int n;
        if (mode == Mode.BOUNDARY) {
            n = Math.max(min, 1) <= max ? Math.max(min, 1) : min;
        } else {
            int lo = Math.max(min, 1);
            int hi = Math.max(lo, Math.min(max, lo + 2));
            n = lo > max ? max : lo + r.nextInt(hi - lo + 1);
        }
        JsonNode items = schema.has("items") ? schema.get("items") : null;
        JsonNode prefix = schema.get("prefixItems");
        boolean unique = schema.path("uniqueItems").asBoolean(false) || name.toLowerCase(Locale.ROOT).endsWith("s");
        ArrayNode out = Json.MAPPER.createArrayNode();
        Set<String> seen = new HashSet<>();
        String itemName = singular(name);
        for (int i = 0, tries = 0; out.size() < n && tries < n * 8; tries++) {
            JsonNode s = prefix != null && prefix.isArray() && i < prefix.size() ? prefix.get(i) : items;
            JsonNode v = s == null ? F.stringNode(ValuePools.string(itemName, "", null, r))
                    : value(root, s, itemName, r, mode, 0.5, depth + 1);
            if (v == null) {
                continue;
            }
            if (unique && !seen.add(Json.canonical(v))) {
                continue;
            }
            out.add(v);
            i++;
        }
        return out.size() < min ? null : out;
    }

    static String singular(String name) {
        if (name.endsWith("ies")) {
            return name.substring(0, name.length() - 3) + "y";
        }
        if (name.endsWith("ses") || name.endsWith("xes")) {
            return name.substring(0, name.length() - 2);
        }
        if (name.endsWith("s") && name.length() > 1) {
            return name.substring(0, name.length() - 1);
        }
        return name;
    }

    private static JsonNode number(JsonNode schema, String name, Random r, Mode mode, boolean integer) {
        Double min = num(schema, "minimum");
        Double max = num(schema, "maximum");
        JsonNode exMin = schema.get("exclusiveMinimum");
        JsonNode exMax = schema.get("exclusiveMaximum");
        double step = integer ? 1 : 0.5;
        if (exMin != null && exMin.isNumber()) {
            min = exMin.asDouble() + step;
        } else if (exMin != null && exMin.asBoolean(false) && min != null) {
            min = min + step;
        }
        if (exMax != null && exMax.isNumber()) {
            max = exMax.asDouble() - step;
        } else if (exMax != null && exMax.asBoolean(false) && max != null) {
            max = max - step;
        }
        // realistic everyday range by the parameter's name, intersected with the schema's bounds
        String n = name.toLowerCase(Locale.ROOT);
        double lo;
        double hi;
        if (n.contains("line") || n.contains("head") || n.contains("tail")) {
            lo = 1;
            hi = 200;
        } else if (n.contains("count") || n.contains("limit") || n.contains("max") || n.contains("number")
                || n.contains("total") || n.contains("depth") || n.contains("step") || n.contains("size")) {
            lo = 1;
            hi = 50;
        } else if (n.contains("offset") || n.contains("skip")) {
            lo = 0;
            hi = 100;
        } else if (n.contains("duration") || n.contains("second") || n.contains("timeout")) {
            lo = 1;
            hi = 60;
        } else {
            lo = 0;
            hi = 1000;
        }
        if (min != null) {
            lo = Math.max(lo, min);
        }
        if (max != null) {
            hi = Math.min(hi, max);
        }
        if (lo > hi) {
            lo = min != null ? min : (max != null ? max - 10 : 0);
            hi = max != null ? max : lo + 100;
        }
        double v;
        if (mode == Mode.BOUNDARY && (min != null || max != null)) {
            boolean useMin = min != null && (max == null || max > 1e6 || r.nextBoolean());
            v = useMin ? min : max;
        } else if (integer || r.nextInt(4) != 0) {
            v = Math.floor(lo) + r.nextInt((int) Math.max(1, Math.min(1e6, Math.floor(hi) - Math.floor(lo) + 1)));
        } else {
            v = lo + Math.round(r.nextDouble() * (hi - lo) * 4) / 4.0;
        }
        JsonNode mult = schema.get("multipleOf");
        if (mult != null && mult.isNumber() && mult.asDouble() > 0) {
            double m = mult.asDouble();
            v = Math.ceil(v / m) * m;
        }
        if (integer || v == Math.rint(v) && Math.abs(v) < 1e15) {
            return F.numberNode((long) v);
        }
        return F.numberNode(BigDecimal.valueOf(v).stripTrailingZeros());
    }

    private static JsonNode string(JsonNode schema, String name, String desc, Random r, Mode mode) {
        String format = schema.has("format") && schema.get("format").isString() ? schema.get("format").asString() : null;
        int minLen = schema.path("minLength").asInt(0);
        int maxLen = schema.has("maxLength") ? schema.get("maxLength").asInt() : Integer.MAX_VALUE;
        Pattern pattern = null;
        if (schema.has("pattern") && schema.get("pattern").isString()) {
            try {
                pattern = Pattern.compile(schema.get("pattern").asString());
            } catch (PatternSyntaxException e) {
                pattern = null;
            }
        }
        for (int i = 0; i < 30; i++) {
            String v = i < 10 ? ValuePools.string(name, desc, format, r)
                    : i < 20 ? ValuePools.pick(ValuePools.WORDS, r) + (i % 2 == 0 ? "" : "_" + r.nextInt(100))
                    : ValuePools.pick(ValuePools.WORDS, r) + r.nextInt(10);
            if (mode == Mode.BOUNDARY && format == null && pattern == null && r.nextInt(3) == 0) {
                v = minLen > 0 ? v.substring(0, Math.min(v.length(), minLen)) : v;
            }
            if (v.length() > maxLen) {
                v = v.substring(0, maxLen).trim();
            }
            while (v.length() < minLen) {
                v = v + " " + ValuePools.pick(ValuePools.WORDS, r);
            }
            if (v.length() > maxLen) {
                v = v.substring(0, maxLen);
            }
            if (pattern == null || pattern.matcher(v).find()) {
                return F.stringNode(v);
            }
        }
        return null;
    }
}
