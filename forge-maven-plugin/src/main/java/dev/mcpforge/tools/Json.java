package dev.mcpforge.tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/** Shared JSON helpers: one mapper, canonical serialisation and sha256 fingerprints. */
public final class Json {

    /** The project's mapper (Jackson 3, as the MCP SDK's {@code mcp-json-jackson3} uses). */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** Pretty printer for files a person reads ({@code tools.json}, reports). */
    public static final ObjectMapper PRETTY = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {
    }

    /**
     * Canonical JSON: object keys sorted (by UTF-16 code units, recursively), no insignificant whitespace,
     * array order kept. Numbers are written as Jackson parsed them, so {@code 1} and {@code 1.0} differ on purpose
     * (a schema's {@code "minimum": 1} and {@code 1.0} are not the same text).
     */
    public static String canonical(JsonNode node) {
        return MAPPER.writeValueAsString(sortKeys(node));
    }

    /** {@code sha256:<hex>} of the UTF-8 bytes of {@link #canonical(JsonNode)}. */
    public static String sha256(JsonNode node) {
        return "sha256:" + sha256Hex(canonical(node).getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A deep copy of {@code node} in which every object's keys are in sorted order. */
    public static JsonNode sortKeys(JsonNode node) {
        if (node == null) {
            return MAPPER.nullNode();
        }
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.propertyNames());
            Collections.sort(names);
            ObjectNode out = MAPPER.createObjectNode();
            for (String n : names) {
                out.set(n, sortKeys(node.get(n)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(sortKeys(e)));
            return out;
        }
        return node;
    }

    /** A short one-line rendering of a node for error messages. */
    public static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

}
