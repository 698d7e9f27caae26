package dev.mcpforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.grammar.PromptSpans;
import dev.mcpforge.engine.grammar.ToolCallGrammar;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyProfile;
import dev.mcpforge.engine.worker.WorkerClient;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;
import dev.mcpforge.tools.stub.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The loop through the real engine (worker process) on an untrained tiny model: it runs end to end, survives
 * whatever the model writes, and writes the reports; with constrained decoding every call the model makes parses
 * and passes the schema.
 */
class EngineValidationTest {
    /**
     * The crafted tools with every value bounded (enum, integer ranges): the grammar does not bound string length,
     * and an untrained model may never close an open string before the token limit.
     */
    static final String TOOLS_JSON = """
            {"tools": [
              {"name": "get_weather", "description": "Current weather",
               "inputSchema": {"type": "object", "properties": {"location": {"type": "string",
                 "enum": ["New York City", "Rome", "Oslo", "Lima", "Bern", "Atlantis", "Narnia", "Kyiv", "Paris"]},
                 "days": {"type": "integer", "minimum": 1, "maximum": 7}}, "required": ["location"]}},
              {"name": "add", "description": "Adds two numbers",
               "inputSchema": {"type": "object", "properties": {"a": {"type": "integer", "minimum": 0, "maximum": 99},
                 "b": {"type": "integer", "minimum": 0, "maximum": 99}}, "required": ["a", "b"]}}
            ]}""";

    @TempDir
    static Path dir;
    static Path model;
    static Path eval;
    static Path tools;
    static Path fixtures;

    @BeforeAll
    static void setUp() throws Exception {
        LoopedValidatorTest.Crafted c = LoopedValidatorTest.crafted();
        Toolset ts = Toolset.fromJson(Json.MAPPER.readTree(TOOLS_JSON), "t");
        StringBuilder corpus = new StringBuilder();
        for (Sample s : c.samples) {
            EvalCase e = EvalCase.of(s);
            corpus.append(ChatFormat.chatml().render(e.prompt(), ts.toolsJson(), true)).append('\n');
        }
        model = new TinyModelBuilder().profile(TinyProfile.NANO).seed(5).contextLength(2048).vocabSize(512)
                .chatTemplate(ChatTemplates.CHATML_TOOLS).corpus(corpus.toString().repeat(3))
                .build(dir.resolve("tiny.gguf")).path();
        eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, c.samples);
        tools = dir.resolve("tools.json");
        ts.write(tools);
        fixtures = dir.resolve("fixtures.jsonl");
        new Fixtures().write(fixtures);
    }

    private ValidationRequest request(boolean constrained, String name) {
        return new ValidationRequest(eval, tools, null, fixtures, 0, 1, new ModelBackend.Options(constrained ? 160 : 32,
                constrained, 0f, 1),
                Thresholds.SEED, dir.resolve("reports"), name);
    }

    @Test
    void untrainedModelRunsThroughTheLoopAndIsReported() throws Exception {
        try (EngineModelBackend m = EngineModelBackend.start(model, null, 1024, WorkerClient.Options.defaults()).threads(1)) {
            assertEquals("chatml", m.format().id(), "format detected from the GGUF template");
            ValidationResult r = new ValidationService().validate(request(false, "engine"), m);
            assertEquals(12, r.metrics().runs().size());
            for (CaseResult c : r.metrics().runs()) {
                assertTrue(c.passed() || c.failureReason() != null, c.evalCase().id());
                assertTrue(c.steps().get(0).startsWith("reply 1 ("), c.steps().toString());
            }
            assertTrue(r.metrics().rate(Metrics.Metric.SELECTION).rate() < 0.5, "an untrained model cannot select tools");
            // every case after the first reuses the cached system prompt and tool list (engine prefix cache)
            String second = r.metrics().runs().get(1).steps().get(0);
            assertTrue(second.matches("(?s)reply 1 \\(.*; prompt \\d+ tokens, [1-9]\\d* cached\\).*"), second);
            JsonNode json = Json.MAPPER.readTree(Files.readString(r.jsonReport()));
            assertEquals("tiny.gguf", json.get("model").asString());
            assertEquals(12, json.get("cases").size());
            assertTrue(Files.readString(r.mdReport()).contains("## Failures"));
        }
    }

    @Test
    void constrainedDecodingOnlyProducesValidCalls() throws Exception {
        // "required": no free-text branch, so the untrained model must call a tool in every first reply
        try (EngineModelBackend m = EngineModelBackend.start(model, "chatml", 1024, WorkerClient.Options.defaults(),
                new ToolCallGrammar.Options(false, false)).threads(1)) {
            ValidationResult r = new ValidationService().validate(request(true, "engine-constrained"), m);
            int attempted = 0;
            for (CaseResult c : r.metrics().runs()) {
                if (c.attempted()) {
                    attempted++;
                    assertTrue(c.parsed(), c.evalCase().id() + ": " + c.parseError() + " in " + c.rawOutput());
                    assertTrue(c.schemaValid(), c.evalCase().id() + ": " + c.steps());
                }
            }
            assertEquals(12, attempted, "every first reply is a call under the grammar");
            assertEquals(new Metrics.Rate(12, 12), r.metrics().rate(Metrics.Metric.SCHEMA));
            assertTrue(r.constrained());
        }
    }

    /** The span grammar through the worker: string arguments are spans of the user's message; its own report mode. */
    @Test
    void spanDecodingCopiesSpansOfTheMessageAndIsReportedAsItsOwnMode() throws Exception {
        JsonNode noteTool = Json.MAPPER.readTree("""
                [{"name": "save_note", "description": "Saves a note",
                  "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}}]
                """);
        try (EngineModelBackend m = EngineModelBackend.start(model, "chatml", 1024, WorkerClient.Options.defaults(),
                new ToolCallGrammar.Options(false, false)).threads(1)) {
            for (String prompt : List.of("save the note \"buy milk\" please", "keep /home/ada/todo.md as a note",
                    "note that 'the build is green' and see docs.example.org/notes")) {
                List<String> spans = PromptSpans.extract(prompt);
                ModelBackend.Reply reply = m.generate(List.of(ChatMessage.user(prompt)), noteTool,
                        ModelBackend.Options.forMode("spans", 160, 0f, 1));
                ToolCallParser.Result p = ToolCallParser.parseStrict(reply.text(), m.format());
                assertTrue(p.valid() && p.calls().size() == 1, reply.text());
                String text = p.calls().get(0).arguments().get("text").asString();
                assertTrue(spans.contains(text), text + " is not one of " + spans);
            }
            ValidationRequest req = new ValidationRequest(eval, tools, null, fixtures, 0, 1,
                    ModelBackend.Options.forMode("spans", 160, 0f, 1), Thresholds.SEED, dir.resolve("reports"), "engine-spans");
            ValidationResult r = new ValidationService().validate(req, m);
            assertEquals("spans", r.decoding());
            JsonNode json = Json.MAPPER.readTree(Files.readString(r.jsonReport()));
            assertEquals("spans", json.get("decoding").asString());
            assertEquals(12, json.get("cases").size());
        }
    }
}
