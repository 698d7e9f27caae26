package dev.mcpforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.eval.LoopedValidatorTest;
import dev.mcpforge.eval.ModelBackend;
import dev.mcpforge.eval.ScriptedBackend;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;
import dev.mcpforge.tools.stub.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** forge:validate and forge:benchmark at Mojo level, the model replaced by scripted replies (the stub executes). */
class ValidateMojoTest {
    @TempDir
    Path dir;
    LoopedValidatorTest.Crafted crafted;

    @BeforeEach
    void files() throws Exception {
        crafted = LoopedValidatorTest.crafted();
        Path forge = dir.resolve("target/forge");
        SampleJsonl.write(forge.resolve("data/eval.jsonl"), crafted.samples);
        Toolset.fromJson(Json.MAPPER.readTree(LoopedValidatorTest.TOOLS_JSON), "t").write(forge.resolve("tools.json"));
        new Fixtures().write(dir.resolve("fixtures.jsonl"));
        Files.createDirectories(forge.resolve("model"));
        Files.writeString(forge.resolve("model/model-q8_0.gguf"), "not read: the model is scripted");
        Files.writeString(dir.resolve("base.gguf"), "not read either");
        Files.writeString(forge.resolve("model/loss.jsonl"), "{\"step\": 1, \"loss\": 3.2}\n{\"step\": 2, \"loss\": 2.1}\n"
                + "{\"step\": 3, \"loss\": 1.4}\n");
    }

    private <T extends ValidateMojo> T configure(T m) {
        m.basedir = dir.toFile();
        m.buildDirectory = dir.resolve("target").toFile();
        m.stub = dir.resolve("fixtures.jsonl").toFile();
        m.samples = 0;
        m.repeats = 1;
        m.maxTokens = 64;
        m.timeout = 30;
        m.thresholdValidity = 0.98;
        m.thresholdSchema = 0.95;
        m.thresholdSelection = 0.90;
        m.thresholdNoTool = 0.85;
        m.thresholdRobustness = 0.80;
        m.thresholdLoop = 0.95;
        m.failOnThreshold = true;
        return m;
    }

    class Scripted extends ValidateMojo {
        @Override
        ModelBackend openModel(Path modelFile) {
            return ScriptedBackend.of(ChatFormat.chatml(), crafted.replies);
        }
    }

    @Test
    void failsTheBuildUnderThresholdsWithAClearMessage() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> configure(new Scripted()).execute());
        assertTrue(e.getMessage().startsWith("The model fails the release criteria: Tool-call validity 81.8% < 98.0%"),
                e.getMessage());
        assertTrue(e.getMessage().contains("-Dforge.validate.failOnThreshold=false"), e.getMessage());
        assertTrue(Files.isRegularFile(dir.resolve("target/forge/reports/validation.json")));
        assertTrue(Files.isRegularFile(dir.resolve("target/forge/reports/validation.md")));
    }

    @Test
    void thresholdsAreConfigurableAndGatingCanBeOff() throws Exception {
        Scripted m = configure(new Scripted());
        m.failOnThreshold = false;
        m.execute();
        Scripted low = configure(new Scripted());
        low.thresholdValidity = 0.8;
        low.thresholdSchema = 0.8;
        low.thresholdSelection = 0.7;
        low.thresholdNoTool = 0.5;
        low.thresholdRobustness = 0.5;
        low.thresholdLoop = 0.6;
        low.execute();
        JsonNode report = Json.MAPPER.readTree(Files.readString(dir.resolve("target/forge/reports/validation.json")));
        assertTrue(report.get("passed").asBoolean());
        assertEquals(0.6, report.at("/metrics/loop_completion/threshold").asDouble());
    }

    @Test
    void skipsAndBadInput() throws Exception {
        Scripted s = configure(new Scripted());
        s.skipTests = true;
        s.execute();
        Scripted g = configure(new Scripted());
        g.validateSkip = true;
        g.execute();
        assertFalse(Files.exists(dir.resolve("target/forge/reports")));

        Files.delete(dir.resolve("target/forge/model/model-q8_0.gguf"));
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> configure(new Scripted()).execute());
        assertTrue(e.getMessage().contains("No model to validate") && e.getMessage().contains("-Dforge.model"),
                e.getMessage());
        Scripted bad = configure(new Scripted());
        bad.model = dir.resolve("base.gguf").toFile();
        bad.repeats = 0;
        e = assertThrows(MojoFailureException.class, bad::execute);
        assertTrue(e.getMessage().contains("forge.validate.repeats"), e.getMessage());
    }

    @Test
    void benchmarkComparesWithTheBaselineAndWritesThreeReports() throws Exception {
        BenchmarkMojo m = configure(new BenchmarkMojo() {
            @Override
            ModelBackend openModel(Path modelFile) {
                if (modelFile.getFileName().toString().equals("base.gguf")) {
                    return new ScriptedBackend(ChatFormat.chatml(), (p, t) -> "I cannot help with that.").named("base.gguf");
                }
                return ScriptedBackend.oracle(ChatFormat.chatml(), crafted.samples).named("model-q8_0.gguf");
            }
        });
        m.baseline = dir.resolve("base.gguf").toFile();
        m.execute();
        Path reports = dir.resolve("target/forge/reports");
        JsonNode j = Json.MAPPER.readTree(Files.readString(reports.resolve("benchmark.json")));
        assertEquals(1.0, j.get("overall_score").asDouble());
        // the baseline never calls: validity 0, schema n/a, selection 0, no-tool 100%, robustness 0, loop 0
        assertEquals(Math.round(1.0 / 5 * 10000) / 10000.0, j.get("baseline_overall_score").asDouble());
        assertEquals(0.8, j.get("delta_vs_baseline").asDouble());
        assertEquals(1.0, j.at("/per_tool/get_weather/finetuned/pass_rate/rate").asDouble());
        assertEquals(0.0, j.at("/per_tool/get_weather/baseline/pass_rate/rate").asDouble());
        assertEquals(3, j.get("training_loss").size());
        String md = Files.readString(reports.resolve("benchmark.md"));
        assertTrue(md.contains("**Overall score: 100.0%** (baseline 20.0%, +80.0%)"), md);
        String html = Files.readString(reports.resolve("benchmark.html"));
        for (String id : List.of("metrics", "per-tool", "per-scenario", "loss")) {
            assertTrue(html.contains("<svg id=\"" + id + "\""), "chart " + id);
        }
        assertFalse(html.contains("<script") || html.contains("src=") || html.contains("href=")
                || html.contains("<link"), "external assets in the page");
        assertTrue(Files.isRegularFile(reports.resolve("benchmark-baseline.json")));
    }

    @Test
    void benchmarkDefaultsToTheTrainingBaseModel() throws Exception {
        Path reports = dir.resolve("target/forge/reports");
        Files.createDirectories(reports);
        Path report = reports.resolve("training.json");
        Files.writeString(report, "{\"baseModel\":{\"path\":" + Json.MAPPER.writeValueAsString(
                dir.resolve("base.gguf").toAbsolutePath().toString()) + "}}");
        BenchmarkMojo m = configure(new BenchmarkMojo() {
            @Override
            ModelBackend openModel(Path modelFile) {
                if (modelFile.getFileName().toString().equals("base.gguf")) {
                    return new ScriptedBackend(ChatFormat.chatml(), (p, t) -> "I cannot help with that.").named("base.gguf");
                }
                return ScriptedBackend.oracle(ChatFormat.chatml(), crafted.samples).named("model-q8_0.gguf");
            }
        });
        m.execute();
        JsonNode j = Json.MAPPER.readTree(Files.readString(reports.resolve("benchmark.json")));
        assertEquals(Math.round(1.0 / 5 * 10000) / 10000.0, j.get("baseline_overall_score").asDouble());

        Files.writeString(report, "{\"baseModel\":{\"path\":" + Json.MAPPER.writeValueAsString(
                dir.resolve("gone.gguf").toAbsolutePath().toString()) + "}}");
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> configure(new BenchmarkMojo()).execute());
        assertTrue(e.getMessage().contains("no longer exists") && e.getMessage().contains("-Dforge.baseline"),
                e.getMessage());
    }

    @Test
    void decodingModesAreCheckedAndTheSpanModeIsReportedAsItsOwnMode() throws Exception {
        ValidateMojo m = configure(new Scripted());
        m.failOnThreshold = false;
        m.constrained = "spans";
        m.execute();
        JsonNode json = Json.MAPPER.readTree(Files.readString(dir.resolve("target/forge/reports/validation.json")));
        assertEquals("spans", json.get("decoding").asString());
        assertTrue(json.get("constrained").asBoolean());
        assertTrue(json.get("decoding_definition").asString().contains("spans of the user's message"));
        // greedy by default: forge:bundle compares it with the temperature the bundle recommends
        assertEquals(0.0, json.get("temperature").asDouble(-1), json.toString());
        assertTrue(Files.readString(dir.resolve("target/forge/reports/validation.md")).contains("span grammar"));

        ValidateMojo schema = configure(new Scripted());
        schema.failOnThreshold = false;
        schema.constrained = "true";
        schema.execute();
        json = Json.MAPPER.readTree(Files.readString(dir.resolve("target/forge/reports/validation.json")));
        assertEquals("schema", json.get("decoding").asString());

        ValidateMojo bad = configure(new Scripted());
        bad.constrained = "maybe";
        MojoFailureException e = assertThrows(MojoFailureException.class, bad::execute);
        assertTrue(e.getMessage().contains("-Dforge.constrained=maybe is not a decoding mode"), e.getMessage());
    }

    @Test
    void aQuantizedModelOlderThanTheTrainedOneIsAPreviousBuildsAndNotValidated() throws Exception {
        Path model = dir.resolve("target/forge/model");
        Path q8 = model.resolve("model-q8_0.gguf");
        Path f32 = model.resolve("model-f32.gguf");
        Files.writeString(f32, "the new model");
        Files.setLastModifiedTime(q8, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(f32, java.nio.file.attribute.FileTime.fromMillis(1_000_000_060_000L));
        ValidateMojo m = configure(new Scripted());
        assertEquals(f32, m.resolveModel(null, "forge.model"), "stale q8_0 must not be validated");
        // after forge:gguf the quantized model is the newer one and is validated
        Files.setLastModifiedTime(q8, java.nio.file.attribute.FileTime.fromMillis(1_000_000_120_000L));
        assertEquals(q8, m.resolveModel(null, "forge.model"));
        Files.delete(q8);
        assertEquals(f32, m.resolveModel(null, "forge.model"));
        Files.delete(f32);
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> m.resolveModel(null, "forge.model"));
        assertTrue(e.getMessage().startsWith("No model to validate in "), e.getMessage());
    }
}
