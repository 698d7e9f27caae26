package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentSamplerTest {

    private final SchemaValidator validator = new SchemaValidator();
    private final ArgumentSampler sampler = new ArgumentSampler(validator);

    @Test
    void pathsAreComposedSoThatAModelMustCopyThemRatherThanRecallThem() {
        Random r = new Random(7);
        java.util.Set<String> files = new java.util.HashSet<>();
        java.util.Set<String> dirs = new java.util.HashSet<>();
        int relative = 0;
        for (int i = 0; i < 400; i++) {
            String f = ValuePools.path("path", r);
            assertTrue(f.matches("[~./A-Za-z0-9_-]+/[A-Za-z0-9_-]+\\.[A-Za-z]+"), f);
            files.add(f);
            relative += f.startsWith("/") || f.startsWith("~") || f.startsWith(".") ? 0 : 1;
            String d = ValuePools.path("directory", r);
            assertTrue(!d.contains(".") || d.startsWith(".") || d.startsWith("~"), d);
            dirs.add(d);
        }
        // the old fixed lists gave at most 15 x 18 = 270 file paths and 15 folders
        assertTrue(files.size() > 330, "distinct file paths: " + files.size());
        assertTrue(dirs.size() > 150, "distinct folders: " + dirs.size());
        assertTrue(relative > 100 && relative < 300, "relative paths: " + relative);
        assertEquals(ValuePools.path("path", new Random(3)), ValuePools.path("path", new Random(3)));
    }

    @Test
    void freeTextIsComposedSoThatAModelMustCopyIt() {
        Random r = new Random(11);
        java.util.Set<String> texts = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            String t = ValuePools.sentence(r);
            assertTrue(t.matches("[A-Za-z0-9][A-Za-z0-9 -]*"), t);
            texts.add(t);
        }
        // the fixed list has 16 sentences
        assertTrue(texts.size() > 200, "distinct texts: " + texts.size());
        assertTrue(texts.stream().anyMatch(ValuePools.SENTENCES::contains), "the fixed sentences still occur");
    }

    @Test
    void everyValueValidatesForAllFixtureToolsetsOverManySeeds() {
        int checked = 0;
        for (String fx : Fixtures.ALL) {
            Toolset ts = Fixtures.toolset(fx);
            for (ToolDefinition t : ts.tools()) {
                for (long seed = 0; seed < 60; seed++) {
                    for (ArgumentSampler.Mode mode : ArgumentSampler.Mode.values()) {
                        ObjectNode args = sampler.sample(t, new Random(seed * 7919 + mode.ordinal()), mode, 0.5);
                        List<SchemaValidator.Violation> v = validator.validate(t.inputSchema(), args);
                        assertTrue(v.isEmpty(), fx + "/" + t.name() + " seed " + seed + " " + mode + ": " + v + " for "
                                + Json.abbreviate(args));
                        for (String req : t.requiredArguments()) {
                            assertTrue(args.has(req), t.name() + " lacks required " + req);
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 10_000, "checked " + checked);
    }

    @Test
    void honoursEnumFormatBoundsAndNesting() {
        ToolDefinition t = ToolDefinition.fromJson(Json.MAPPER.readTree("""
                {"name":"book","description":"Book a thing","inputSchema":{"type":"object","properties":{
                  "when":{"type":"string","format":"date"},
                  "at":{"type":"string","format":"date-time"},
                  "mail":{"type":"string","format":"email"},
                  "site":{"type":"string","format":"uri"},
                  "n":{"type":"integer","minimum":3,"maximum":7},
                  "ratio":{"type":"number","exclusiveMinimum":0,"maximum":1},
                  "kind":{"type":"string","enum":["a","b"]},
                  "code":{"type":"string","pattern":"^[a-z]+_[0-9]+$"},
                  "tags":{"type":"array","items":{"type":"string"},"minItems":2,"maxItems":2,"uniqueItems":true},
                  "who":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}},
                         "required":["name","age"],"additionalProperties":false}},
                 "required":["when","at","mail","site","n","ratio","kind","code","tags","who"],
                 "additionalProperties":false}}"""));
        for (int seed = 0; seed < 200; seed++) {
            ObjectNode a = sampler.sample(t, new Random(seed), ArgumentSampler.Mode.TYPICAL, 1.0);
            assertTrue(a.get("when").asString().matches("\\d{4}-\\d{2}-\\d{2}"), a.toString());
            assertTrue(a.get("mail").asString().contains("@"));
            int n = a.get("n").asInt();
            assertTrue(n >= 3 && n <= 7);
            assertEquals(2, a.get("tags").size());
            assertTrue(a.get("code").asString().matches("^[a-z]+_[0-9]+$"), a.toString());
            assertTrue(a.get("who").has("age"));
        }
        ObjectNode edge = sampler.sample(t, new Random(1), ArgumentSampler.Mode.BOUNDARY, 0);
        assertTrue(validator.isValid(t.inputSchema(), edge));
    }

    @Test
    void boundaryModeLeavesOptionalArgumentsOutAndHitsBounds() {
        ToolDefinition t = ToolDefinition.fromJson(Json.MAPPER.readTree("""
                {"name":"t","inputSchema":{"type":"object","properties":{
                  "count":{"type":"integer","minimum":1,"maximum":10},"note":{"type":"string"}},"required":["count"]}}"""));
        for (int seed = 0; seed < 50; seed++) {
            ObjectNode a = sampler.sample(t, new Random(seed), ArgumentSampler.Mode.BOUNDARY, 1.0);
            assertTrue(!a.has("note"), a.toString());
            int c = a.get("count").asInt();
            assertTrue(c == 1 || c == 10, a.toString());
        }
    }

    @Test
    void aSchemaThatAdmitsNoValueIsReportedWithTheReason() {
        ToolDefinition t = ToolDefinition.fromJson(Json.MAPPER.readTree("""
                {"name":"broken","inputSchema":{"type":"object","properties":{
                  "n":{"type":"integer","minimum":10,"maximum":2}},"required":["n"]}}"""));
        UnsatisfiableSchemaException e = assertThrows(UnsatisfiableSchemaException.class,
                () -> sampler.sample(t, new Random(1), ArgumentSampler.Mode.TYPICAL, 0.5));
        assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("minimum 10.0 is greater than maximum 2.0"),
                e.getMessage());
        ToolDefinition t2 = ToolDefinition.fromJson(Json.MAPPER.readTree("""
                {"name":"never","inputSchema":{"type":"object","properties":{
                  "s":{"type":"string","enum":[]}},"required":["s"]}}"""));
        e = assertThrows(UnsatisfiableSchemaException.class,
                () -> sampler.sample(t2, new Random(1), ArgumentSampler.Mode.TYPICAL, 0.5));
        assertTrue(e.getMessage().contains("\"enum\" is empty"), e.getMessage());
    }
}
