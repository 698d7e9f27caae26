package dev.mcpforge.qa;

import dev.mcpforge.data.Fixtures;
import dev.mcpforge.data.GenerateRequest;
import dev.mcpforge.data.GenerateResult;
import dev.mcpforge.data.GenerateService;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.data.ScenarioWeights;
import dev.mcpforge.tools.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QaServiceTest {

    @TempDir
    Path dir;

    private static final String SYS = "{\"role\":\"system\",\"content\":\"You are helpful.\"}";

    private static String call(String id, String scenario, String tool, String args, String user) {
        return "{\"id\":\"" + id + "\",\"source\":\"test\",\"scenario\":\"" + scenario + "\",\"tool_name\":\"" + tool
                + "\",\"messages\":[" + SYS + ",{\"role\":\"user\",\"content\":\"" + user + "\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"name\":\"" + tool + "\",\"arguments\":" + args + "}]},"
                + "{\"role\":\"tool\",\"name\":\"" + tool + "\",\"content\":\"ok\"},"
                + "{\"role\":\"assistant\",\"content\":\"Done, it worked.\"}]}";
    }

    private static String noTool(String id, String user, String answer) {
        return "{\"id\":\"" + id + "\",\"source\":\"test\",\"scenario\":\"no_tool\",\"tool_name\":null,\"messages\":["
                + SYS + ",{\"role\":\"user\",\"content\":\"" + user + "\"},{\"role\":\"assistant\",\"content\":\""
                + answer + "\"}]}";
    }

    private QaRequest request(Path data, int minPerTool) throws Exception {
        Path tools = Fixtures.toolsFile("filesystem-tools", dir);
        return new QaRequest(data, tools, dir.resolve("clean.jsonl"), dir.resolve("reports"), null, true, 0.95,
                minPerTool, 0.98, 0.95, 16000);
    }

    @Test
    void aDatasetWithKnownDefectsYieldsExactlyThoseCounts() throws Exception {
        List<String> lines = new ArrayList<>();
        // 6 good samples
        lines.add(call("g1", "standard", "read_text_file", "{\"path\":\"/a/one.txt\"}", "Read /a/one.txt please"));
        lines.add(call("g2", "standard", "list_directory", "{\"path\":\"/srv/www\"}", "What is in /srv/www today"));
        lines.add(call("g3", "edge", "read_text_file", "{\"path\":\"/b/two.md\",\"head\":1}", "First line of /b/two.md"));
        lines.add(noTool("g4", "What is the capital of France?", "Paris."));
        lines.add(noTool("g5", "Tell me a fun fact about octopuses.", "They have three hearts."));
        // repairable: integer as string + unknown property + whitespace around the final answer
        lines.add(call("r1", "standard", "read_text_file", "{\"path\":\"/c/three.log\",\"tail\":\"5\",\"colour\":\"red\"}",
                "Show the last 5 lines of /c/three.log"));
        // defects, one of each kind
        lines.add("{\"id\": \"broken\", \"messages\": [");                                              // json_parse
        lines.add(new String(new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, 0x01, 0x02}, StandardCharsets.ISO_8859_1)); // json_parse (garbage)
        lines.add("{\"id\":\"s1\",\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}");      // structure
        lines.add(call("u1", "standard", "launch_rockets", "{}", "Launch the rockets now"));            // unknown_tool
        lines.add(call("v1", "standard", "list_directory_with_sizes",
                "{\"path\":\"/x\",\"sortBy\":\"colour\"}", "List /x sorted by colour"));                 // schema_violation
        lines.add(call("m1", "standard", "write_file", "{\"path\":\"/y.txt\"}", "Write something to /y.txt")); // missing_required
        lines.add(noTool("n1", "Which files are in /tmp?", "Let me check.").replace(
                "{\"role\":\"assistant\",\"content\":\"Let me check.\"}",
                "{\"role\":\"assistant\",\"tool_calls\":[{\"name\":\"list_directory\",\"arguments\":{\"path\":\"/tmp\"}}]},"
                        + "{\"role\":\"tool\",\"name\":\"list_directory\",\"content\":\"a\"},"
                        + "{\"role\":\"assistant\",\"content\":\"One file: a.\"}"));                     // scenario_mismatch
        lines.add(call("d1", "standard", "read_text_file", "{\"path\":\"/a/one.txt\"}", "Read /a/one.txt, please!")); // duplicate
        lines.add(noTool("f1", "Say nothing", "   "));                                               // missing_final_answer
        Path data = dir.resolve("data.jsonl");
        Files.write(data, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1));

        QcReport r = new QaService().run(request(data, 0));
        assertEquals(15, r.totalSamples());
        assertEquals(6, r.validSamples());
        assertEquals(9, r.droppedSamples());
        assertEquals(2, r.droppedByReason().get("json_parse"));
        assertEquals(1, r.droppedByReason().get("structure"));
        assertEquals(1, r.droppedByReason().get("unknown_tool"));
        assertEquals(1, r.droppedByReason().get("schema_violation"));
        assertEquals(1, r.droppedByReason().get("missing_required"));
        assertEquals(1, r.droppedByReason().get("scenario_mismatch"));
        assertEquals(1, r.droppedByReason().get("duplicate"));
        assertEquals(1, r.droppedByReason().get("missing_final_answer"));
        assertEquals(0, r.droppedByReason().get("too_long"));
        // repair: exactly one number coercion ("tail" is a number) and one dropped property, in one sample
        assertEquals(1, r.repairedSamples());
        assertEquals(1L, r.repaired().get("coerce_number"));
        assertEquals(1L, r.repaired().get("drop_unknown_property"));
        assertEquals(2, r.repaired().size());
        List<SampleJsonl.LineError> errs = new ArrayList<>();
        List<Sample> clean = SampleJsonl.readAll(dir.resolve("clean.jsonl"), errs);
        assertEquals(6, clean.size());
        Sample repaired = clean.stream().filter(s -> s.id().equals("r1")).findFirst().orElseThrow();
        JsonNode args = repaired.toolCalls().get(0).arguments();
        assertEquals(5, args.get("tail").asInt());
        assertTrue(args.get("tail").isNumber());
        assertFalse(args.has("colour"));
        assertEquals("/c/three.log", args.get("path").asString());
        // g1 g2 g3 r1 v1 m1 n1 d1 reached the schema check; v1 and m1 failed -> 6/8
        assertEquals(6.0 / 8.0, r.schemaPassRate(), 1e-9);
        // reports are written; the issues name the lines
        JsonNode qc = Json.MAPPER.readTree(Files.readString(dir.resolve("reports/qc.json")));
        assertEquals(15, qc.get("total_samples").asInt());
        assertEquals(9, qc.get("dropped_samples").asInt());
        assertTrue(qc.has("schema_pass_rate") && qc.has("dedup_rate") && qc.has("tool_coverage")
                && qc.has("scenario_coverage") && qc.has("repaired") && qc.has("dropped_by_reason"));
        assertEquals(7, qc.get("issues").get(0).get("line").asInt());
        assertTrue(Files.readString(dir.resolve("reports/qc.md")).contains("| schema_violation | 1 |"));
        // the gate fails and says why, with examples
        assertFalse(r.passed());
        String msg = r.failureMessage();
        assertTrue(msg.contains("schema_pass_rate: 75.0% < threshold 98.0%"), msg);
        assertTrue(msg.contains("pass_rate: 40.0%"), msg);
        assertTrue(msg.contains("line 7"), msg);
    }

    @Test
    void withoutFixRepairableSamplesAreDroppedNotChanged() throws Exception {
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, call("r1", "standard", "read_text_file", "{\"path\":\"/c.log\",\"colour\":\"red\"}",
                "Read /c.log") + "\n" + call("r2", "standard", "read_text_file", "{\"path\":\"/d.log\",\"head\":\"3\"}",
                "Head 3 of /d.log") + "\n");
        QcReport r = new QaService().run(request(data, 0).withFix(false));
        assertEquals(0, r.validSamples());
        assertEquals(1, r.droppedByReason().get("unexpected_param"));
        assertEquals(1, r.droppedByReason().get("schema_violation"));
        assertTrue(r.repaired().isEmpty());
    }

    @Test
    void coverageUnderTheMinimumIsToppedUpOrFailsTheGate() throws Exception {
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, call("a", "standard", "read_text_file", "{\"path\":\"/c.log\"}", "Read /c.log") + "\n");
        QcReport failed = new QaService().run(request(data, 2));
        assertFalse(failed.passed());
        assertTrue(failed.failureMessage().contains("tool_coverage: 14 tool(s) under forge.qa.minSamplesPerTool=2"),
                failed.failureMessage());
        // a top-up that supplies samples for the missing tools fixes coverage
        QaService withTopUp = new QaService((tool, n, round) -> {
            List<Sample> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String user = "Please run " + tool + " number " + i + " round " + round;
                String args = tool.equals("list_allowed_directories") ? "{}"
                        : tool.equals("read_multiple_files") ? "{\"paths\":[\"/a\"]}"
                        : tool.equals("write_file") ? "{\"path\":\"/a\",\"content\":\"x\"}"
                        : tool.equals("edit_file") ? "{\"path\":\"/a\",\"edits\":[{\"oldText\":\"a\",\"newText\":\"b\"}]}"
                        : tool.equals("move_file") ? "{\"source\":\"/a\",\"destination\":\"/b\"}"
                        : tool.equals("search_files") ? "{\"path\":\"/a\",\"pattern\":\"*.md\"}"
                        : "{\"path\":\"/a" + i + "\"}";
                out.add(Sample.fromJson(Json.MAPPER.readTree(call("t-" + tool + i, "standard", tool, args, user))));
            }
            return out;
        });
        QcReport ok = withTopUp.run(request(data, 2));
        assertTrue(ok.toolCoverage().values().stream().allMatch(v -> v >= 2), ok.toolCoverage().toString());
        assertTrue(ok.gateFailures().stream().noneMatch(f -> f.startsWith("tool_coverage")), ok.gateFailures().toString());
    }

    @Test
    void aDatasetForAnotherToolsetIsNamedAsSuch() throws Exception {
        Path data = dir.resolve("d.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(call("x" + i, "standard", "git_status", "{}", "git status number " + i)).append('\n');
        }
        Files.writeString(data, sb.toString());
        QcReport r = new QaService().run(request(data, 0));
        assertFalse(r.passed());
        assertTrue(r.failureMessage().contains("toolset_mismatch"), r.failureMessage());
        assertTrue(r.failureMessage().contains("different toolset"), r.failureMessage());
    }

    @Test
    void missingDataFileIsAClearError() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QaService().run(request(dir.resolve("nope.jsonl"), 0)));
        assertTrue(e.getMessage().contains("run forge:generate first"), e.getMessage());
    }

    @Test
    void generatedDatasetsPassTheGate() throws Exception {
        for (String fx : List.of("everything-tools", "filesystem-tools", "git-tools", "memory-tools")) {
            Path forge = dir.resolve(fx);
            Path tools = Fixtures.toolsFile(fx, dir);
            GenerateResult g = new GenerateService().generate(
                    GenerateRequest.under(forge, tools, 2000, 0.1, 42, ScenarioWeights.DEFAULT));
            QcReport r = new QaService().run(QaRequest.defaults(g.trainFile(), tools, forge));
            assertTrue(r.passed(), fx + ": " + r.failureMessage());
            assertEquals(2000, r.totalSamples());
            assertEquals(1.0, r.schemaPassRate(), 1e-9, fx);
            assertTrue(r.validSamples() >= 1990, fx + " valid " + r.validSamples() + " " + r.droppedByReason());
            assertTrue(Files.exists(forge.resolve("data/train_clean.jsonl")));
            assertTrue(Files.exists(forge.resolve("reports/qc.md")));
        }
    }
}
