package dev.mcpforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.data.GenerateRequest;
import dev.mcpforge.data.GenerateService;
import dev.mcpforge.data.Message;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.data.ScenarioWeights;
import dev.mcpforge.data.ToolCall;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.Toolset;
import dev.mcpforge.tools.stub.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Metric computation with a scripted model and the deterministic stub: exact expected numbers. */
public class LoopedValidatorTest {
    public static final String TOOLS_JSON = """
            {"tools": [
              {"name": "get_weather", "description": "Current weather",
               "inputSchema": {"type": "object", "properties": {"location": {"type": "string"},
                 "days": {"type": "integer", "minimum": 1}}, "required": ["location"]}},
              {"name": "add", "description": "Adds two numbers",
               "inputSchema": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                 "required": ["a", "b"]}}
            ]}""";

    @TempDir
    Path dir;

    static String call(String name, String args) {
        return "<tool_call>\n{\"name\": \"" + name + "\", \"arguments\": " + args + "}\n</tool_call>";
    }

    static Sample toolCase(String id, String scenario, String prompt, String name, String args, String result,
                           boolean isError) {
        ObjectNode a = (ObjectNode) Json.MAPPER.readTree(args);
        return new Sample(id, "test", scenario, name, List.of(Message.system("You are helpful."), Message.user(prompt),
                Message.assistantCall(null, new ToolCall(name, a)), Message.tool(name, result, isError),
                Message.assistant(isError ? "Sorry, the tool failed." : "ok")));
    }

    static Sample noToolCase(String id, String prompt) {
        return new Sample(id, "test", "no_tool", null, List.of(Message.user(prompt), Message.assistant("answer")));
    }

    /** Every branch of the loop, with the scripted replies and the expected outcome. */
    public static final class Crafted {
        public final List<Sample> samples = new ArrayList<>();
        public final Map<String, List<String>> replies = new LinkedHashMap<>();

        void add(Sample s, String... turns) {
            samples.add(s);
            replies.put(s.userText(), List.of(turns));
        }
    }

    public static Crafted crafted() {
        Crafted c = new Crafted();
        String sunny = "It is sunny.";
        // 1 pass (string normalisation)
        c.add(toolCase("c01", "standard", "weather in New York City", "get_weather", "{\"location\":\"New York City\"}",
                "sunny", false), call("get_weather", "{\"location\": \"new-york city\"}"), sunny);
        // 2 wrong tool, loop completes
        c.add(toolCase("c02", "standard", "add 2 and 3", "add", "{\"a\":2,\"b\":3}", "5", false),
                call("get_weather", "{\"location\": \"2\"}"), "Done.");
        // 3 schema violation: not executed
        c.add(toolCase("c03", "standard", "weather in Rome for three days", "get_weather",
                "{\"location\":\"Rome\",\"days\":3}", "rain", false),
                call("get_weather", "{\"location\": \"Rome\", \"days\": \"three\"}"));
        // 4 unparseable (single quotes)
        c.add(toolCase("c04", "standard", "weather in Oslo", "get_weather", "{\"location\":\"Oslo\"}", "snow", false),
                call("get_weather", "{\"location\": 'Oslo'}"));
        // 5 missing call
        c.add(toolCase("c05", "edge", "weather in Lima", "get_weather", "{\"location\":\"Lima\"}", "warm", false),
                "I think it is warm in Lima.");
        // 6 wrong argument value
        c.add(toolCase("c06", "standard", "weather in Bern", "get_weather", "{\"location\":\"Bern\"}", "cold", false),
                call("get_weather", "{\"location\": \"Zurich\"}"), "It is cold.");
        // 7 no-tool ok
        c.add(noToolCase("c07", "What is the capital of France?"), "Paris.");
        // 8 no-tool but a call
        c.add(noToolCase("c08", "Tell me a joke"), call("get_weather", "{\"location\": \"joke\"}"), "Ha.");
        // 9 error handled gracefully
        c.add(toolCase("c09", "error", "weather in Atlantis", "get_weather", "{\"location\":\"Atlantis\"}",
                "Error: 'Atlantis' not found", true), call("get_weather", "{\"location\": \"Atlantis\"}"),
                "Sorry, I could not find Atlantis.");
        // 10 error ignored
        c.add(toolCase("c10", "error", "weather in Narnia", "get_weather", "{\"location\":\"Narnia\"}",
                "Error: 'Narnia' not found", true), call("get_weather", "{\"location\": \"Narnia\"}"),
                "The weather in Narnia is lovely.");
        // 11 final answer calls again
        c.add(toolCase("c11", "standard", "weather in Kyiv", "get_weather", "{\"location\":\"Kyiv\"}", "mild", false),
                call("get_weather", "{\"location\": \"Kyiv\"}"), call("get_weather", "{\"location\": \"Kyiv\"}"));
        // 12 int accepted for number, omitted optional parameter is fine
        c.add(toolCase("c12", "standard", "add 1.5 and 2", "add", "{\"a\":1.5,\"b\":2.0}", "3.5", false),
                call("add", "{\"a\": 1.5, \"b\": 2}"), "3.5");
        return c;
    }

    private ValidationRequest request(Path eval, Path tools, Path fixtures, int repeats, Thresholds t) {
        return new ValidationRequest(eval, tools, null, fixtures, 0, repeats,
                new ModelBackend.Options(64, false, 0f, 1), t, dir.resolve("reports"), null);
    }

    private Path toolsFile() throws Exception {
        Path p = dir.resolve("tools.json");
        Toolset.fromJson(Json.MAPPER.readTree(TOOLS_JSON), "test").write(p);
        return p;
    }

    @Test
    void craftedFailuresGiveExactlyTheExpectedMetrics() throws Exception {
        Crafted c = crafted();
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, c.samples);
        Path fx = dir.resolve("fixtures.jsonl");
        Fixtures f = new Fixtures();
        f.put(new Fixtures.Entry("get_weather", (ObjectNode) Json.MAPPER.readTree("{\"location\":\"new-york city\"}"),
                ToolCallResult.text("sunny, 24 C", false)));
        f.write(fx);
        ScriptedBackend model = ScriptedBackend.of(ChatFormat.chatml(), c.replies);
        ValidationResult r = new ValidationService().validate(request(eval, toolsFile(), fx, 1, Thresholds.SEED), model);
        Metrics m = r.metrics();
        assertEquals(new Metrics.Rate(9, 11), m.rate(Metrics.Metric.VALIDITY));
        assertEquals(new Metrics.Rate(8, 9), m.rate(Metrics.Metric.SCHEMA));
        assertEquals(new Metrics.Rate(7, 10), m.rate(Metrics.Metric.SELECTION));
        assertEquals(new Metrics.Rate(1, 2), m.rate(Metrics.Metric.NO_TOOL));
        assertEquals(new Metrics.Rate(1, 2), m.rate(Metrics.Metric.ROBUSTNESS));
        assertEquals(new Metrics.Rate(6, 10), m.rate(Metrics.Metric.LOOP));
        assertEquals(new Metrics.Rate(5, 10), m.argumentAccuracy());
        assertEquals(new Metrics.Rate(4, 12), m.casePassRate());

        Map<String, CaseResult> byId = new LinkedHashMap<>();
        m.runs().forEach(x -> byId.put(x.evalCase().id(), x));
        assertEquals(List.of("c01", "c07", "c09", "c12"), byId.values().stream().filter(CaseResult::passed)
                .map(x -> x.evalCase().id()).toList());
        assertTrue(byId.get("c01").steps().stream().anyMatch(s -> s.contains("sunny, 24 C")), "executed on the stub");
        assertTrue(byId.get("c02").failureReason().startsWith("wrong tool"), byId.get("c02").failureReason());
        assertTrue(byId.get("c03").failureReason().startsWith("schema violation"), byId.get("c03").failureReason());
        assertFalse(byId.get("c03").executed());
        assertTrue(byId.get("c04").failureReason().startsWith("unparseable tool call"));
        assertTrue(byId.get("c05").failureReason().startsWith("no tool call"));
        assertTrue(byId.get("c06").failureReason().contains("wrong value for 'location'"), byId.get("c06").failureReason());
        assertTrue(byId.get("c08").failureReason().startsWith("called a tool where no call was expected"));
        assertTrue(byId.get("c09").steps().stream().anyMatch(s -> s.contains("injected")));
        assertTrue(byId.get("c10").failureReason().contains("does not acknowledge"));
        assertTrue(byId.get("c11").failureReason().contains("further tool call"));

        assertFalse(r.passed());
        assertEquals(6, r.failures().size(), r.failures().toString());
        assertTrue(r.failures().get(0).startsWith("Tool-call validity 81.8% < 98.0% (9 of 11)"), r.failures().get(0));
        assertTrue(r.table().contains("✗ Model fails release criteria"), r.table());

        JsonNode json = Json.MAPPER.readTree(Files.readString(r.jsonReport()));
        assertEquals(12, json.get("cases").size());
        JsonNode c6 = json.get("cases").get(5);
        for (String k : List.of("id", "scenario", "prompt", "expected", "raw_output", "parsed_calls", "passed",
                "failure_reason")) {
            assertTrue(c6.has(k), "case field " + k + " in " + c6);
        }
        assertEquals(0.8182, json.at("/metrics/tool_call_validity/rate").asDouble());
        assertFalse(json.at("/metrics/tool_call_validity/definition").asString().isEmpty());
        assertEquals(1, json.at("/per_scenario/error/pass_rate/ok").asInt());
        String md = Files.readString(r.mdReport());
        assertTrue(md.contains("| Tool-call validity | 81.8% | 98% | ✗ | 9 of 11 |"), md);
        assertTrue(md.contains("## Per tool") && md.contains("| get_weather |") && md.contains("**c10** (error)"), md);

        ValidationResult lenient = new ValidationService().validate(request(eval, toolsFile(), fx, 1,
                new Thresholds(0.8, 0.8, 0.7, 0.5, 0.5, 0.6)), ScriptedBackend.of(ChatFormat.chatml(), c.replies));
        assertTrue(lenient.passed(), lenient.failures().toString());
    }

    @Test
    void aNoToolAnswerThatIsLeakedSyntaxIsNotCorrect() throws Exception {
        Crafted c = new Crafted();
        c.add(noToolCase("n1", "What is the capital of France?"), "Paris.");
        // what an untrained model writes: the tool list's JSON continued, no parseable call
        c.add(noToolCase("n2", "Tell me a joke"), "{\"type\": {\"type\": \"properties\": \"properties\":");
        c.add(noToolCase("n3", "How are you?"), "Fine <|im_start|>assistant");
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, c.samples);
        Path fx = dir.resolve("fixtures.jsonl");
        new Fixtures().write(fx);
        ValidationResult r = new ValidationService().validate(request(eval, toolsFile(), fx, 1, Thresholds.SEED),
                ScriptedBackend.of(ChatFormat.chatml(), c.replies));
        assertEquals(new Metrics.Rate(1, 3), r.metrics().rate(Metrics.Metric.NO_TOOL));
        Map<String, CaseResult> byId = new LinkedHashMap<>();
        r.metrics().runs().forEach(x -> byId.put(x.evalCase().id(), x));
        assertTrue(byId.get("n1").passed());
        assertTrue(byId.get("n2").failureReason().startsWith("the answer is not prose: it starts like JSON"),
                byId.get("n2").failureReason());
        assertTrue(byId.get("n3").failureReason().contains("<|"), byId.get("n3").failureReason());
    }

    @Test
    void repeatsGivePassHatK() throws Exception {
        Crafted c = crafted();
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, c.samples);
        Path fx = dir.resolve("fixtures.jsonl");
        new Fixtures().write(fx);
        int[] calls = {0};
        // case c07 passes only on its first run
        ScriptedBackend model = new ScriptedBackend(ChatFormat.chatml(), (prompt, turn) -> {
            if (prompt.startsWith("What is the capital")) {
                return calls[0]++ == 0 ? "Paris." : "";
            }
            return c.replies.get(prompt).get(turn);
        });
        ValidationResult r = new ValidationService().validate(request(eval, toolsFile(), fx, 2, Thresholds.SEED), model);
        assertEquals(24, r.metrics().runs().size());
        assertEquals(new Metrics.Rate(7, 24), r.metrics().runPassRate());
        assertEquals(new Metrics.Rate(3, 12), r.metrics().casePassRate());
        assertEquals(List.of(1, 2), model.seen.stream().map(ModelBackend.Options::seed).distinct().sorted().toList());
    }

    @Test
    void aPromptLongerThanTheContextNamesTheSettings() throws Exception {
        Crafted c = crafted();
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, c.samples);
        Path fx = dir.resolve("fixtures.jsonl");
        new Fixtures().write(fx);
        ScriptedBackend model = new ScriptedBackend(ChatFormat.chatml(), (prompt, turn) -> {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The prompt has 1342 tokens but the "
                    + "context holds 1024: shorten the prompt or raise the context size.");
        });
        ValidationResult r = new ValidationService().validate(request(eval, toolsFile(), fx, 1, Thresholds.SEED), model);
        assertEquals(12, r.metrics().runs().size());
        for (CaseResult run : r.metrics().runs()) {
            assertFalse(run.passed());
            assertTrue(run.failureReason().contains("context holds 1024") && run.failureReason().contains("-Dforge.ctx")
                    && run.failureReason().contains("-Dforge.contextLength"), run.failureReason());
        }
    }

    @Test
    void perfectModelScoresHundredPercentInEveryFormat() throws Exception {
        Path tools = dir.resolve("fs.tools.json");
        Toolset ts = dev.mcpforge.data.Fixtures.toolset("filesystem-tools");
        ts.write(tools);
        new GenerateService().generate(GenerateRequest.under(dir.resolve("forge"), tools, 400, 0.25, 5,
                ScenarioWeights.DEFAULT));
        Path eval = dir.resolve("forge/data/eval.jsonl");
        List<Sample> samples = SampleJsonl.readAll(eval, new ArrayList<>());
        assertTrue(samples.size() >= 90, "eval set size " + samples.size());
        assertTrue(samples.stream().map(Sample::scenario).distinct().count() >= 4);
        // fixtures: what the samples' tools answered
        Fixtures f = new Fixtures();
        for (Sample s : samples) {
            List<Message> ms = s.messages();
            for (int i = 0; i + 1 < ms.size(); i++) {
                if (ms.get(i).hasToolCalls() && "tool".equals(ms.get(i + 1).role())) {
                    ToolCall call = ms.get(i).toolCalls().get(0);
                    f.put(new Fixtures.Entry(call.name(), call.arguments(),
                            ToolCallResult.text(ms.get(i + 1).content(), ms.get(i + 1).isError())));
                }
            }
        }
        Path fx = dir.resolve("fs.fixtures.jsonl");
        f.write(fx);
        for (ChatFormat format : List.of(ChatFormat.chatml(), ChatFormat.llama3(), ChatFormat.deepseekR1())) {
            ValidationResult r = new ValidationService().validate(request(eval, tools, fx, 1, Thresholds.SEED)
                    .withReportName("validation-" + format.id()), ScriptedBackend.oracle(format, samples));
            Metrics m = r.metrics();
            for (Metrics.Metric x : Metrics.Metric.values()) {
                assertEquals(m.rate(x).total(), m.rate(x).ok(), format.id() + " " + x + ": "
                        + m.runs().stream().filter(c -> !c.passed()).findFirst().map(CaseResult::failureReason));
                assertTrue(m.rate(x).total() > 0, x + " counted nothing");
            }
            assertEquals(samples.size(), m.casePassRate().ok());
            assertTrue(r.passed());
            assertTrue(Files.isRegularFile(dir.resolve("reports/validation-" + format.id() + ".md")));
        }
    }

    @Test
    void samplesPicksRoundRobinAcrossScenarios() throws Exception {
        Crafted c = crafted();
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, c.samples);
        Toolset ts = Toolset.fromJson(Json.MAPPER.readTree(TOOLS_JSON), "t");
        List<EvalCase> four = ValidationService.loadCases(eval, ts, 4);
        assertEquals(List.of("c01", "c05", "c07", "c09"), four.stream().map(EvalCase::id).toList());
    }

    @Test
    void badInputIsExplained() throws Exception {
        Toolset other = Toolset.fromJson(Json.MAPPER.readTree("{\"tools\": [{\"name\": \"x\", \"inputSchema\": "
                + "{\"type\": \"object\"}}]}"), "o");
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, crafted().samples);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ValidationService.loadCases(eval, other, 0));
        assertTrue(e.getMessage().contains("another toolset") && e.getMessage().contains("get_weather"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ValidationService.loadCases(dir.resolve("missing.jsonl"), other, 0));
        assertTrue(e.getMessage().contains("-Dforge.eval"), e.getMessage());
        Files.writeString(dir.resolve("bad.jsonl"), "{not json}\n");
        e = assertThrows(IllegalArgumentException.class, () -> ValidationService.loadCases(dir.resolve("bad.jsonl"), other, 0));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ValidationService().validate(
                request(eval, toolsFile(), null, 1, Thresholds.SEED), ScriptedBackend.of(ChatFormat.chatml(), Map.of())));
        assertTrue(e.getMessage().contains("-Dforge.server") && e.getMessage().contains("-Dforge.stub"), e.getMessage());
    }
}
