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
}
