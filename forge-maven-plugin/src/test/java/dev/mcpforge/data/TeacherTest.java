package dev.mcpforge.data;

import dev.mcpforge.data.teacher.FakeTeacher;
import dev.mcpforge.data.teacher.TeacherConfig;
import dev.mcpforge.data.teacher.TeacherLoader;
import dev.mcpforge.qa.QaRequest;
import dev.mcpforge.qa.QaService;
import dev.mcpforge.qa.QcReport;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hybrid teacher path of forge:generate (teacher seeds, offline synthesizer augments), through the openai-java
 * adapter in its isolated class loader, against a loopback server speaking the chat-completions protocol.
 */
class TeacherTest {

    private static final String KEY = "sk-test-SECRET-123";
    private static final Pattern TOOL = Pattern.compile("^Tool name: (\\S+)", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private GenerateRequest request(String baseUrl, int budget) throws IOException {
        Path tools = Fixtures.toolsFile("filesystem-tools", dir);
        return new GenerateRequest(tools, dir.resolve("f/data/train.jsonl"), dir.resolve("f/data/eval.jsonl"),
                dir.resolve("f/synthesis_plan.json"), 200, 0.1, 42, ScenarioWeights.DEFAULT, Map.of(), "openai",
                new TeacherConfig(baseUrl, "tiny-teacher", KEY, budget, 3, 10, 10));
    }

    private GenerateResult generate(GenerateRequest req) throws IOException {
        try (TeacherLoader.Loaded t = FakeTeacher.load(req.teacherConfig())) {
            return new GenerateService(null, ExecutionPolicy.ALL, t.client()).generate(req);
        }
    }

    /** A value for {@code schema}: what a teacher would put in a call (distinct strings via {@code n}). */
    private static JsonNode value(JsonNode schema, AtomicInteger n) {
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        switch (schema.path("type").asString()) {
            case "object" -> {
                ObjectNode o = Json.MAPPER.createObjectNode();
                for (JsonNode r : schema.path("required")) {
                    o.set(r.asString(), value(schema.path("properties").path(r.asString()), n));
                }
                return o;
            }
            case "array" -> {
                ArrayNode a = Json.MAPPER.createArrayNode();
                a.add(value(schema.path("items"), n));
                return a;
            }
            case "number", "integer" -> {
                return Json.MAPPER.getNodeFactory().numberNode(3);
            }
            case "boolean" -> {
                return Json.MAPPER.getNodeFactory().booleanNode(true);
            }
            default -> {
                return Json.MAPPER.getNodeFactory().stringNode("/home/ana/notes-" + n.incrementAndGet() + ".md");
            }
        }
    }

    /**
     * The fake teacher: five seeds per tool prompt (the second with a schema violation, the fourth without its
     * values in the request), general questions for no-tool prompts, paraphrases otherwise.
     */
    private static FakeTeacher.Reply teacher(int hit, String user, Toolset toolset, AtomicInteger n) {
        Matcher m = TOOL.matcher(user);
        if (m.find()) {
            ToolDefinition t = toolset.find(m.group(1)).orElseThrow();
            ArrayNode items = Json.MAPPER.createArrayNode();
            for (int i = 0; i < 5; i++) {
                ObjectNode args = (ObjectNode) value(t.inputSchema(), n);
                List<String> values = new ArrayList<>();
                args.forEach(v -> values.add(v.isString() ? v.asString() : String.valueOf(v)));
                String request = "Could you run " + t.name().replace('_', ' ') + " for me on " + String.join(" and ",
                        values) + "? (seed " + n.incrementAndGet() + ")";
                if (i == 1 && !t.requiredArguments().isEmpty()) {
                    args.put(t.requiredArguments().get(0), 12345);           // wrong type: schema violation
                } else if (i == 3 && !values.isEmpty() && args.values().iterator().next().isString()) {
                    request = "Could you run " + t.name() + " on the usual thing? (" + n.incrementAndGet() + ")";
                }
                items.addObject().put("request", request).set("arguments", args);
            }
            return FakeTeacher.completion("```json\n" + Json.MAPPER.writeValueAsString(items) + "\n```");
        }
        if (user.contains("need none of")) {
            ArrayNode items = Json.MAPPER.createArrayNode();
            for (int i = 0; i < 5; i++) {
                int k = n.incrementAndGet();
                items.addObject().put("request", "Tell me a fun fact about the number " + k + ", please.")
                        .put("answer", k + " is a number; every number has some fun property.");
            }
            return FakeTeacher.completion(Json.MAPPER.writeValueAsString(items));
        }
        return FakeTeacher.completion("In my own words (" + hit + "): " + user);
    }

    @Test
    void teacherSeedsWithinBudgetRejectsBadSeedsAndPassesQa() throws Exception {
        Toolset toolset = Fixtures.toolset("filesystem-tools");
        AtomicInteger n = new AtomicInteger();
        try (FakeTeacher t = new FakeTeacher((hit, user) -> hit == 3 ? new FakeTeacher.Reply(503, "{\"error\":\"busy\"}")
                : teacher(hit, user, toolset, n))) {
            GenerateResult r = generate(request(t.baseUrl(), 40));
            List<Sample> samples = SampleJsonl.readAll(r.trainFile(), new ArrayList<>());
            Map<String, Integer> c = r.counters();
            assertEquals(200, samples.size(), "the offline synthesizer fills the plan");
            assertEquals(40, c.get("teacher_requests"), c.toString());
            assertEquals(40, t.hits.get(), "never beyond the budget");
            long fromTeacher = samples.stream().filter(s -> s.source().equals("teacher")).count();
            assertEquals(fromTeacher, (long) c.get("teacher_samples"), c.toString());
            assertTrue(c.get("teacher_seeded") >= 30, c.toString());
            assertTrue(c.get("teacher_rejected_schema") >= 5, c.toString());
            assertTrue(c.get("teacher_rejected_verbatim") >= 1, c.toString());
            assertTrue(samples.stream().anyMatch(s -> s.source().equals("offline")));
            SchemaValidator v = new SchemaValidator();
            int seededTool = 0;
            int seededNoTool = 0;
            for (Sample s : samples) {
                if (!s.source().equals("teacher") || s.userText().startsWith("In my own words")) {
                    continue;
                }
                if (s.toolName() == null) {
                    seededNoTool++;
                    assertTrue(s.toolCalls().isEmpty());
                    continue;
                }
                seededTool++;
                assertTrue(s.userText().startsWith("Could you run"), s.userText());
                for (ToolCall call : s.toolCalls()) {
                    assertTrue(v.isValid(toolset.find(call.name()).orElseThrow().inputSchema(), call.arguments()),
                            call.toString());
                    call.arguments().forEach(x -> {
                        if (x.isString()) {
                            assertTrue(s.userText().contains(x.asString()), s.userText() + " / " + x);
                        }
                    });
                }
            }
            assertTrue(seededTool >= 25 && seededNoTool >= 5, seededTool + " / " + seededNoTool);
            assertTrue(t.authHeaders.stream().allMatch(h -> ("Bearer " + KEY).equals(h)));
            QcReport qc = new QaService().run(QaRequest.defaults(r.trainFile(),
                    dir.resolve("filesystem-tools.tools.json"), dir.resolve("f")).withMinSamplesPerTool(5));
            assertTrue(qc.passed(), qc.failureMessage());
        }
    }

    @Test
    void nonJsonAnswersAreCountedDropsNotCrashes() throws Exception {
        try (FakeTeacher t = new FakeTeacher((hit, user) -> hit % 2 == 0
                ? new FakeTeacher.Reply(200, "<html>gateway says hello</html>")     // not a chat completion
                : FakeTeacher.completion("Sure! Here are some requests: one, two, three."))) { // no JSON array
            GenerateResult r = generate(request(t.baseUrl(), 12));
            assertEquals(200, SampleJsonl.readAll(r.trainFile(), new ArrayList<>()).size());
            Map<String, Integer> c = r.counters();
            assertEquals(0, c.get("teacher_seeded"), c.toString());
            assertTrue(c.get("teacher_invalid_json") >= 3, c.toString());
            assertTrue(c.get("teacher_errors") >= 3, c.toString());
            assertEquals(12, c.get("teacher_requests"), c.toString());
        }
    }

    @Test
    void unreachableEndpointAndAuthErrorsStopTheRunAndNeverShowTheKey() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> generate(request("http://127.0.0.1:" + port + "/v1", 5)));
        assertTrue(e.getMessage().contains("unreachable") && e.getMessage().contains("forge.teacher.baseUrl"),
                e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        try (FakeTeacher t = new FakeTeacher((hit, user) -> new FakeTeacher.Reply(401,
                "{\"error\":{\"message\":\"invalid key " + KEY + "\"}}"))) {
            e = assertThrows(IllegalArgumentException.class, () -> generate(request(t.baseUrl(), 5)));
            assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
        }
        GenerateRequest noUrl = request(null, 5);
        e = assertThrows(IllegalArgumentException.class,
                () -> new GenerateService(null, ExecutionPolicy.ALL, null).generate(noUrl));
        assertTrue(e.getMessage().contains("forge.teacher.baseUrl"), e.getMessage());
    }
}
