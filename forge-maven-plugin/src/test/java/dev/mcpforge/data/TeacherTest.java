package dev.mcpforge.data;

import com.sun.net.httpserver.HttpServer;
import dev.mcpforge.qa.QaRequest;
import dev.mcpforge.qa.QaService;
import dev.mcpforge.qa.QcReport;
import dev.mcpforge.tools.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The teacher path against a loopback server speaking the chat-completions protocol. */
class TeacherTest {

    private static final String KEY = "sk-test-SECRET-123";

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> authHeaders = new ArrayList<>();
    private final AtomicInteger hits = new AtomicInteger();

    /** Starts a server whose answer (status, body) is computed from the request's user message. */
    private String start(Function<String, Object[]> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            hits.incrementAndGet();
            authHeaders.add(ex.getRequestHeaders().getFirst("Authorization"));
            JsonNode req = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            String user = req.get("messages").get(1).get("content").asString();
            Object[] a = answer.apply(user);
            byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders((Integer) a[0], body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String completion(String text) {
        var n = Json.MAPPER.createObjectNode();
        n.put("id", "cmpl-1").put("object", "chat.completion");
        n.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message")
                .put("role", "assistant").put("content", text);
        return Json.MAPPER.writeValueAsString(n);
    }

    private GenerateRequest request(String baseUrl, int budget) throws IOException {
        Path tools = Fixtures.toolsFile("filesystem-tools", dir);
        return new GenerateRequest(tools, dir.resolve("f/data/train.jsonl"), dir.resolve("f/data/eval.jsonl"),
                dir.resolve("f/synthesis_plan.json"), 200, 0.1, 42, ScenarioWeights.DEFAULT, Map.of(), "openai",
                new TeacherConfig(baseUrl, "tiny-teacher", KEY, budget));
    }

    @Test
    void teacherRewritesWithinBudgetKeepsValuesAndPassesQa() throws Exception {
        AtomicInteger n = new AtomicInteger();
        String url = start(user -> {
            int i = n.incrementAndGet();
            if (i == 3) {
                return new Object[]{503, "{\"error\":\"busy\"}"};            // retried
            }
            if (i % 5 == 0) {
                return new Object[]{200, completion("I will not keep your values.")}; // loses the values: rejected
            }
            return new Object[]{200, completion("In my own words (" + i + "): " + user)};
        });
        GenerateResult r = new GenerateService().generate(request(url, 40));
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> samples = SampleJsonl.readAll(r.trainFile(), errors);
        long teacher = samples.stream().filter(s -> s.source().equals("teacher")).count();
        assertEquals(200, samples.size());
        assertEquals(40, r.counters().get("teacher_requests"));
        assertEquals(teacher, (long) r.counters().get("teacher_samples"));
        assertTrue(teacher >= 25, r.counters().toString());
        assertTrue(r.counters().get("teacher_rejected") >= 1, r.counters().toString());
        for (Sample s : samples) {
            if (s.source().equals("teacher")) {
                assertTrue(s.userText().startsWith("In my own words"), s.userText());
            }
        }
        assertTrue(authHeaders.stream().allMatch(h -> ("Bearer " + KEY).equals(h)));
        QcReport qc = new QaService().run(QaRequest.defaults(r.trainFile(), dir.resolve("filesystem-tools.tools.json"),
                dir.resolve("f")).withMinSamplesPerTool(5));
        assertTrue(qc.passed(), qc.failureMessage());
    }

    @Test
    void nonJsonAnswersAreCountedDropsNotCrashes() throws Exception {
        String url = start(user -> new Object[]{200, "<html>gateway says hello</html>"});
        GenerateResult r = new GenerateService().generate(request(url, 12));
        assertEquals(200, SampleJsonl.readAll(r.trainFile(), new ArrayList<>()).size());
        assertEquals(0, r.counters().get("teacher_samples"));
        assertTrue(r.counters().get("teacher_errors") >= 4, r.counters().toString());
    }

    @Test
    void unreachableEndpointAndAuthErrorsAreClearAndNeverShowTheKey() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GenerateService().generate(request("http://127.0.0.1:" + port + "/v1", 5)));
        assertTrue(e.getMessage().contains("unreachable") && e.getMessage().contains("forge.teacher.baseUrl"),
                e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        String url = start(user -> new Object[]{401, "{\"error\":\"invalid key " + KEY + "\"}"});
        e = assertThrows(IllegalArgumentException.class, () -> new GenerateService().generate(request(url, 5)));
        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(new TeacherConfig(url, "m", KEY, 1).toString().contains(KEY));
        e = assertThrows(IllegalArgumentException.class, () -> new GenerateService().generate(request(null, 5)));
        assertTrue(e.getMessage().contains("forge.teacher.baseUrl"), e.getMessage());
    }
}
