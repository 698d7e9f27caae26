package dev.mcpforge.maven;

import dev.mcpforge.data.Fixtures;
import dev.mcpforge.tools.Json;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateAndQaMojoTest {

    @TempDir
    Path dir;

    private GenerateMojo generate(Path forge, Path tools, int samples) {
        GenerateMojo m = new GenerateMojo();
        m.forgeDirectory = forge.toFile();
        m.tools = tools.toFile();
        m.samples = samples;
        m.seed = 42;
        m.evalRatio = 0.1;
        m.teacher = "offline";
        m.teacherMaxRequests = 10;
        return m;
    }

    private QaMojo qa(Path forge, Path tools) {
        QaMojo m = new QaMojo();
        m.forgeDirectory = forge.toFile();
        m.data = forge.resolve("data/train.jsonl").toFile();
        m.tools = tools.toFile();
        m.fix = true;
        m.dedupThreshold = 0.95;
        m.minSamplesPerTool = 10;
        m.schemaPassThreshold = 0.98;
        m.minPassRate = 0.95;
        m.maxChars = 16000;
        m.topUp = true;
        m.seed = 42;
        return m;
    }

    @Test
    void generateThenQaOnServerEverythingPassesTheGate() throws Exception {
        Path forge = dir.resolve("target/forge");
        Path tools = Fixtures.toolsFile("everything-tools", dir);
        generate(forge, tools, 800).execute();
        assertTrue(Files.size(forge.resolve("data/train.jsonl")) > 0);
        assertTrue(Files.size(forge.resolve("data/eval.jsonl")) > 0);
        JsonNode plan = Json.MAPPER.readTree(Files.readString(forge.resolve("synthesis_plan.json")));
        assertEquals(800, plan.get("total_samples").asInt());
        assertEquals(480, plan.get("scenario_counts").get("standard").asInt());
        qa(forge, tools).execute();
        JsonNode qc = Json.MAPPER.readTree(Files.readString(forge.resolve("reports/qc.json")));
        assertTrue(qc.get("gate").get("passed").asBoolean());
        assertTrue(Files.size(forge.resolve("data/train_clean.jsonl")) > 0);
        assertTrue(Files.readString(forge.resolve("reports/qc.md")).contains("**Gate: passed**"));
    }

    @Test
    void aCorruptedDatasetFailsTheBuildNamingTheCheck() throws Exception {
        Path forge = dir.resolve("target/forge");
        Path tools = Fixtures.toolsFile("filesystem-tools", dir);
        generate(forge, tools, 300).execute();
        Path train = forge.resolve("data/train.jsonl");
        StringBuilder bad = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            bad.append("{\"id\":\"bad").append(i).append("\",\"scenario\":\"standard\",\"tool_name\":\"read_text_file\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"read file number ").append(i).append("\"},"
                    + "{\"role\":\"assistant\",\"tool_calls\":[{\"name\":\"read_text_file\",\"arguments\":{\"head\":"
                    + "\"ten\"}}]},{\"role\":\"tool\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}\n");
        }
        Files.writeString(train, bad.toString(), StandardOpenOption.APPEND);
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> qa(forge, tools).execute());
        assertTrue(e.getMessage().contains("schema_pass_rate"), e.getMessage());
        assertTrue(e.getMessage().contains("missing_required 40"), e.getMessage());
        assertTrue(e.getMessage().contains("Examples:") && e.getMessage().contains("(bad0)"), e.getMessage());
        assertTrue(Files.exists(forge.resolve("reports/qc.json")), "reports are written before the gate decides");
    }

    @Test
    void skipsAndBadParametersAreHandled() throws Exception {
        Path forge = dir.resolve("target/forge");
        Path tools = Fixtures.toolsFile("time-tools", dir);
        GenerateMojo g = generate(forge, tools, 100);
        g.generateSkip = true;
        g.execute();
        assertFalse(Files.exists(forge.resolve("data/train.jsonl")));
        QaMojo q = qa(forge, tools);
        q.skip = true;
        q.execute();
        GenerateMojo bad = generate(forge, tools, 100);
        bad.noToolRatio = 0.9;
        bad.errorRatio = 0.5;
        MojoFailureException e = assertThrows(MojoFailureException.class, bad::execute);
        assertTrue(e.getMessage().contains("add up to"), e.getMessage());
        GenerateMojo unknown = generate(forge, tools, 100);
        unknown.toolWeights = "no_such_tool=2";
        e = assertThrows(MojoFailureException.class, unknown::execute);
        assertTrue(e.getMessage().contains("no_such_tool"), e.getMessage());
        assertEquals(Map.of("a", 2.0, "b", 0.5), GenerateMojo.parseWeights("a=2, b=0.5"));
        QaMojo missing = qa(forge, tools);
        e = assertThrows(MojoFailureException.class, missing::execute);
        assertTrue(e.getMessage().contains("run forge:generate first"), e.getMessage());
    }
}
