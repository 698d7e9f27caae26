package dev.mcpforge.qa;

import dev.mcpforge.tools.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentRepairTest {

    private static final JsonNode SCHEMA = Json.MAPPER.readTree("""
            {"type":"object","additionalProperties":false,"properties":{
              "n":{"type":"integer"},"x":{"type":"number"},"flag":{"type":"boolean"},"name":{"type":"string"},
              "either":{"type":["boolean","string"]},
              "author":{"type":"object","properties":{"age":{"type":"integer"}},"additionalProperties":false},
              "rows":{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"}}}},
              "free":{"type":"object","additionalProperties":true,"properties":{"k":{"type":"string"}}}}}""");

    @Test
    void repairsExactlyWhatItClaims() {
        ObjectNode args = (ObjectNode) Json.MAPPER.readTree("""
                {"n":"5","x":"2.5","flag":"TRUE","name":"007","either":"true","author":{"age":"41","nick":"al"},
                 "rows":[{"id":"3"},{"id":4}],"free":{"k":"v","extra":1},"bogus":1}""");
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> unknown = ArgumentRepair.repair(SCHEMA, args, true, counts);
        assertEquals(Json.canonical(Json.MAPPER.readTree("""
                {"n":5,"x":2.5,"flag":true,"name":"007","either":"true","author":{"age":41},
                 "rows":[{"id":3},{"id":4}],"free":{"k":"v","extra":1}}""")), Json.canonical(args));
        assertTrue(args.get("n").isIntegralNumber() && args.get("rows").get(0).get("id").isIntegralNumber());
        assertEquals(Map.of("coerce_integer", 3, "coerce_number", 1, "coerce_boolean", 1, "drop_unknown_property", 2),
                counts);
        assertEquals(List.of("author.nick", "bogus"), unknown);
    }

    @Test
    void leavesUnrepairableValuesAlone() {
        ObjectNode args = (ObjectNode) Json.MAPPER.readTree("{\"n\":\"five\",\"x\":\"1,5\",\"flag\":\"yes\",\"name\":5}");
        ObjectNode before = args.deepCopy();
        Map<String, Integer> counts = new LinkedHashMap<>();
        assertTrue(ArgumentRepair.repair(SCHEMA, args, true, counts).isEmpty());
        assertEquals(before, args);
        assertTrue(counts.isEmpty());
    }
}
