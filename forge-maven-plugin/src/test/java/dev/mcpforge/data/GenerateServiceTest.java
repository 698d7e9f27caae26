package dev.mcpforge.data;

import dev.mcpforge.tools.Toolset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateServiceTest {

    @TempDir
    Path dir;

    private GenerateResult generate(String fixture, Path out, int n, long seed) throws Exception {
        Path tools = Fixtures.toolsFile(fixture, dir);
        return new GenerateService().generate(GenerateRequest.under(out, tools, n, 0.1, seed, ScenarioWeights.DEFAULT));
    }

    @Test
    void sameSeedGivesIdenticalBytesAndOtherSeedDiffers() throws Exception {
        GenerateResult a = generate("filesystem-tools", dir.resolve("a"), 300, 42);
        GenerateResult b = generate("filesystem-tools", dir.resolve("b"), 300, 42);
        GenerateResult c = generate("filesystem-tools", dir.resolve("c"), 300, 43);
        assertArrayEquals(Files.readAllBytes(a.trainFile()), Files.readAllBytes(b.trainFile()));
        assertArrayEquals(Files.readAllBytes(a.evalFile()), Files.readAllBytes(b.evalFile()));
        assertArrayEquals(Files.readAllBytes(a.planFile()), Files.readAllBytes(b.planFile()));
        assertFalse(Files.readString(a.trainFile()).equals(Files.readString(c.trainFile())));
    }

    @Test
    void everyCallValidatesAndScenarioSharesMatchThePlanOnRealToolsets() throws Exception {
        SchemaValidator v = new SchemaValidator();
        for (String fx : List.of("everything-tools", "filesystem-tools", "git-tools", "memory-tools", "time-tools",
                "sqlite-tools", "sequential-thinking-tools")) {
            for (long seed : new long[]{1, 42}) {
                Path out = dir.resolve(fx + seed);
                GenerateResult r = generate(fx, out, 1000, seed);
                Toolset ts = Fixtures.toolset(fx);
                List<SampleJsonl.LineError> errors = new ArrayList<>();
                List<Sample> train = SampleJsonl.readAll(r.trainFile(), errors);
                List<Sample> eval = SampleJsonl.readAll(r.evalFile(), errors);
                assertTrue(errors.isEmpty(), errors.toString());
                assertEquals(1000, train.size(), fx);
                assertEquals(100, eval.size(), fx);
                Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
                for (Sample s : train) {
                    counts.merge(Scenario.fromId(s.scenario()), 1, Integer::sum);
                    for (ToolCall c : s.toolCalls()) {
                        var t = ts.find(c.name()).orElseThrow();
                        assertTrue(v.isValid(t.inputSchema(), c.arguments()), fx + " " + c.arguments());
                        // user-supplied string values are copied verbatim into the request
                        c.arguments().propertyNames().forEach(k -> {
                            var val = c.arguments().get(k);
                            if (val.isString() && !"ambiguous".equals(s.scenario())) {
                                assertTrue(s.userText().contains(val.asString()),
                                        fx + ": '" + val.asString() + "' not in: " + s.userText());
                            }
                        });
                    }
                    if (s.scenario().equals("no_tool")) {
                        assertTrue(s.toolCalls().isEmpty());
                    }
                    assertFalse(s.messages().get(s.messages().size() - 1).content().isBlank());
                }
                Map<Scenario, Double> plan = ScenarioWeights.DEFAULT.normalised();
                for (Scenario sc : Scenario.values()) {
                    double share = counts.getOrDefault(sc, 0) / 1000.0;
                    assertEquals(plan.get(sc), share, 0.02, fx + " " + sc);
                }
                Set<String> trainTexts = new HashSet<>();
                train.forEach(s -> trainTexts.add(NearDuplicates.normalise(s.userText())));
                for (Sample s : eval) {
                    assertFalse(trainTexts.contains(NearDuplicates.normalise(s.userText())), "eval overlaps train: "
                            + s.userText());
                }
            }
        }
    }

    @Test
    void emptyToolsetAndUnknownTeacherAreClearErrors() throws Exception {
        Path tools = dir.resolve("empty.json");
        Files.writeString(tools, "{\"tools\":[]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GenerateService()
                .generate(GenerateRequest.under(dir.resolve("x"), tools, 10, 0.1, 1, null)));
        assertTrue(e.getMessage().contains("has no tools"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new GenerateService()
                .generate(GenerateRequest.under(dir.resolve("x"), dir.resolve("nope.json"), 10, 0.1, 1, null)));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void deprecatedToolsGetNoSamplesUnlessNamedInToolWeights() throws Exception {
        Path tools = Fixtures.toolsFile("filesystem-tools", dir);
        Path out = dir.resolve("retired");
        GenerateResult r = new GenerateService().generate(GenerateRequest.under(out, tools, 400, 0.1, 7,
                ScenarioWeights.DEFAULT));
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> all = new ArrayList<>(SampleJsonl.readAll(r.trainFile(), errors));
        all.addAll(SampleJsonl.readAll(r.evalFile(), errors));
        assertTrue(errors.isEmpty(), errors.toString());
        Set<String> called = new HashSet<>();
        all.forEach(s -> s.toolCalls().forEach(c -> called.add(c.name())));
        assertFalse(called.contains("read_file"), "read_file is DEPRECATED in favour of read_text_file");
        assertTrue(called.contains("read_text_file"), called.toString());
        assertEquals(13, called.size(), called.toString());
        assertTrue(Files.readString(out.resolve("synthesis_plan.json")).replaceAll("\\s", "")
                .contains("\"read_file\":0.0"), "the plan records the weight 0");

        Path again = dir.resolve("kept");
        GenerateRequest kept = new GenerateRequest(tools, again.resolve("data/train.jsonl"),
                again.resolve("data/eval.jsonl"), again.resolve("synthesis_plan.json"), 400, 0.1, 7,
                ScenarioWeights.DEFAULT, Map.of("read_file", 1.0), "offline", null);
        GenerateResult k = new GenerateService().generate(kept);
        assertTrue(SampleJsonl.readAll(k.trainFile(), errors).stream()
                .anyMatch(s -> s.toolCalls().stream().anyMatch(c -> c.name().equals("read_file"))),
                "forge.toolWeights=read_file=1 trains the deprecated tool again");
    }

    @Test
    void aToolsetOfOnlyDeprecatedToolsKeepsThem() {
        Toolset ts = Toolset.fromJson(dev.mcpforge.tools.Json.MAPPER.readTree("""
                {"tools":[{"name":"old","description":"DEPRECATED: use nothing","inputSchema":{"type":"object"}}]}
                """), "old");
        assertEquals(Map.of(), GenerateService.withRetiredTools(Map.of(), ts));
    }
}
