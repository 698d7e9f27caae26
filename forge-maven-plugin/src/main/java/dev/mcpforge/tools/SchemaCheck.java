package dev.mcpforge.tools;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks that every tool's {@code inputSchema} (and {@code outputSchema}) is itself a valid JSON Schema of its
 * declared dialect, as MCP requires ({@code $schema} honoured; 2020-12 when none is declared; unknown dialects are
 * an error, not silently accepted).
 * <p>
 * Uses com.networknt:json-schema-validator 3.x: it supports draft-04/06/07, 2019-09 and 2020-12 by
 * {@code $schema}, ships the meta-schemas (nothing is downloaded) and never fetches a remote {@code $ref} (a schema
 * whose {@code $ref} points outside itself is rejected, as the MCP spec asks). It is also the MCP Java SDK's own
 * validator. Three steps per schema:
 * <ol>
 *   <li>the dialect from {@code $schema} is one we know;</li>
 *   <li>the schema validates against that dialect's meta-schema (errors carry the path inside the schema);</li>
 *   <li>the schema compiles ({@code $ref}s resolve locally, patterns compile);</li>
 * </ol>
 * plus MCP's own rule that an {@code inputSchema} has {@code "type": "object"} at its root.
 */
public final class SchemaCheck {

    /** Deeper schemas are refused before compiling (the MCP spec asks clients to bound schema complexity). */
    public static final int MAX_DEPTH = 64;

    private static final Map<String, SpecificationVersion> DIALECTS = Map.of(
            "json-schema.org/draft-04/schema", SpecificationVersion.DRAFT_4,
            "json-schema.org/draft-06/schema", SpecificationVersion.DRAFT_6,
            "json-schema.org/draft-07/schema", SpecificationVersion.DRAFT_7,
            "json-schema.org/draft/2019-09/schema", SpecificationVersion.DRAFT_2019_09,
            "json-schema.org/draft/2020-12/schema", SpecificationVersion.DRAFT_2020_12);

    /**
     * Holds the (bundled) meta-schemas, cached. Remote fetching is off by default in networknt 2.x/3.x; messages
     * are in English whatever the JVM locale.
     */
    private static final SchemaRegistry META = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));

    private SchemaCheck() {
    }

    /**
     * Checks every schema of every tool.
     *
     * @throws ToolException listing every problem found, each with the tool name and the path in its schema
     */
    public static void check(Toolset toolset) throws ToolException {
        List<String> problems = new ArrayList<>();
        for (ToolDefinition t : toolset.tools()) {
            problems.addAll(problems(t));
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder(problems.size() == 1 ? "invalid tool schema" : problems.size()
                    + " invalid tool schemas").append(" in ").append(toolset.source()).append(':');
            for (String p : problems) {
                sb.append("\n  - ").append(p);
            }
            sb.append("\nEvery inputSchema/outputSchema must be a valid JSON Schema of its $schema dialect ")
                    .append("(2020-12 when none is declared); fix the tool definition on the server or in the file.");
            throw new ToolException(sb.toString());
        }
    }

    /** The problems of one tool (empty when its schemas are fine). */
    public static List<String> problems(ToolDefinition tool) {
        List<String> out = new ArrayList<>(checkSchema(tool.name(), "inputSchema", tool.inputSchema(), true));
        if (tool.outputSchema() != null) {
            // 2025-11-25 asks for an object outputSchema, 2026-07-28 allows any: only validity is enforced.
            out.addAll(checkSchema(tool.name(), "outputSchema", tool.outputSchema(), false));
        }
        return out;
    }

    static List<String> checkSchema(String tool, String field, ObjectNode schema, boolean rootMustBeObject) {
        String prefix = "tool '" + tool + "': " + field;
        List<String> out = new ArrayList<>();
        JsonNode declared = schema.get("$schema");
        SpecificationVersion dialect;
        String metaId;
        if (declared == null) {
            dialect = SpecificationVersion.DRAFT_2020_12;
            metaId = dialect.getDialectId();
        } else if (!declared.isString()) {
            return List.of(prefix + "/$schema: must be a string (a dialect URI), got " + Json.abbreviate(declared));
        } else {
            dialect = DIALECTS.get(normalise(declared.asString()));
            if (dialect == null) {
                return List.of(prefix + "/$schema: unsupported JSON Schema dialect \"" + declared.asString()
                        + "\"; use draft-07 (http://json-schema.org/draft-07/schema#) or 2020-12 "
                        + "(https://json-schema.org/draft/2020-12/schema)");
            }
            metaId = dialect.getDialectId();
        }
        String dialectName = name(dialect);
        int depth = depth(schema, 0);
        if (depth > MAX_DEPTH) {
            return List.of(prefix + ": nested " + depth + " levels deep, more than the " + MAX_DEPTH + " allowed");
        }
        if (rootMustBeObject) {
            JsonNode type = schema.get("type");
            if (type == null || !type.isString() || !"object".equals(type.asString())) {
                out.add(prefix + "/type: the root of an inputSchema must be {\"type\": \"object\"} (MCP passes "
                        + "arguments as an object), got " + (type == null ? "no \"type\"" : Json.abbreviate(type)));
            }
        }
        // 1. the schema against its dialect's meta-schema (bundled with the validator, never downloaded)
        List<Error> errors;
        try {
            Schema meta = META.getSchema(SchemaLocation.of(metaId));
            errors = meta.validate(schema);
        } catch (RuntimeException e) {
            out.add(prefix + ": cannot check against the " + dialectName + " meta-schema: " + e.getMessage());
            return out;
        }
        // one line per path: a keyword with alternatives (e.g. "type": string or array) fails several ways at once
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        for (Error e : errors) {
            byPath.computeIfAbsent(pointer(e.getInstanceLocation()), k -> new LinkedHashSet<>()).add(e.getMessage());
        }
        byPath.forEach((path, msgs) -> out.add(prefix + path + ": " + String.join("; ", msgs)
                + " (" + dialectName + ")"));
        if (!errors.isEmpty()) {
            return out;
        }
        // 2. compile it: local $refs must resolve, remote ones are not fetched (and so fail), patterns must compile
        try {
            // a registry per schema: tool schemas are not cached in a JVM that lives on (Maven daemon, IDE)
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
            Schema compiled = registry.getSchema(schema);
            compiled.initializeValidators();
        } catch (RuntimeException e) {
            out.add(prefix + ": does not compile as " + dialectName + ": " + rootMessage(e)
                    + " (remote $refs are never fetched; inline the referenced schema under $defs/definitions)");
        }
        return out;
    }

    /** The dialect's common name, for messages. */
    static String name(SpecificationVersion v) {
        return switch (v) {
            case DRAFT_4 -> "draft-04";
            case DRAFT_6 -> "draft-06";
            case DRAFT_7 -> "draft-07";
            case DRAFT_2019_09 -> "2019-09";
            case DRAFT_2020_12 -> "2020-12";
            default -> v.name();
        };
    }

    private static String normalise(String id) {
        String s = id.trim();
        if (s.endsWith("#")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("https://")) {
            s = s.substring("https://".length());
        } else if (s.startsWith("http://")) {
            s = s.substring("http://".length());
        }
        return s;
    }

    /** A JSON Pointer ("/properties/count/type") for an instance location; "" for the root. */
    static String pointer(NodePath path) {
        StringBuilder sb = new StringBuilder();
        if (path != null) {
            for (int i = 0; i < path.getNameCount(); i++) {
                Object el = path.getElement(i);
                sb.append('/').append(String.valueOf(el).replace("~", "~0").replace("/", "~1"));
            }
        }
        return sb.toString();
    }

    private static int depth(JsonNode n, int d) {
        int max = d;
        if (d > MAX_DEPTH) {
            return d;
        }
        if (n.isObject() || n.isArray()) {
            for (JsonNode c : n.values()) {
                max = Math.max(max, depth(c, d + 1));
            }
        }
        return max;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        if (t != e && t.getMessage() != null && !m.contains(t.getMessage())) {
            m += " (" + t + ")";
        }
        return m;
    }
}
