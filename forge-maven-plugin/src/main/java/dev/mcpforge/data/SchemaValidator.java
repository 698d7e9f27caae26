package dev.mcpforge.data;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates tool arguments against a tool's {@code inputSchema} with networknt json-schema-validator. The schema's
 * own {@code $schema} picks the dialect (draft-07 and 2020-12 both occur in real servers); without one, 2020-12.
 * {@code format} is asserted (date, date-time, email, uri, ...), as a server that checks formats would.
 * Compiled schemas are cached by their canonical text.
 */
public final class SchemaValidator {

    /** One violation: the JSON Schema keyword that failed (e.g. {@code required}, {@code type}) and the message. */
    public record Violation(String keyword, String path, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    private final SchemaRegistry registry;
    private final Map<String, Schema> cache = new ConcurrentHashMap<>();

    public SchemaValidator() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .build();
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(config));
    }

    /** Violations of {@code value} against {@code schema}; empty when valid. */
    public List<Violation> validate(JsonNode schema, JsonNode value) {
        Schema s = cache.computeIfAbsent(Json.canonical(schema), k -> registry.getSchema(schema));
        List<Violation> out = new ArrayList<>();
        for (Error e : s.validate(value)) {
            out.add(new Violation(e.getKeyword(), String.valueOf(e.getInstanceLocation()), e.getMessage()));
        }
        return out;
    }

    public boolean isValid(JsonNode schema, JsonNode value) {
        return validate(schema, value).isEmpty();
    }
}
