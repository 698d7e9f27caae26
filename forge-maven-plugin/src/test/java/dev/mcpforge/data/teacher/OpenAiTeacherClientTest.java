package dev.mcpforge.data.teacher;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The openai-java adapter, loaded through the isolated class loader, against a loopback chat-completions server. */
class OpenAiTeacherClientTest {

    private static final String KEY = "sk-test-SECRET-123";

    private static TeacherConfig config(String url, int budget) {
        return new TeacherConfig(url, "tiny-teacher", KEY, budget, 3, 10, 10);
    }

    @Test
    void adapterLivesInTheIsolatedLoaderAndTalksToTheEndpoint() throws Exception {
        try (FakeTeacher t = new FakeTeacher((n, user) -> FakeTeacher.completion("echo: " + user));
             TeacherLoader.Loaded loaded = FakeTeacher.load(config(t.baseUrl(), 5))) {
            ChatCompletions c = loaded.client();
            assertEquals("echo: hello there", c.complete("be brief", "hello there"));
            assertEquals(1, c.requests());
            assertEquals(List.of("Bearer " + KEY), t.authHeaders);
            // the adapter and the SDK come from the isolated loader; the interface from the plugin's loader
            assertSame(loaded.loader(), c.getClass().getClassLoader());
            assertSame(loaded.loader(), loaded.loader().loadClass("com.openai.client.OpenAIClient").getClassLoader());
            assertSame(loaded.loader(), loaded.loader().loadClass("com.fasterxml.jackson.databind.ObjectMapper")
                    .getClassLoader());
            assertSame(ChatCompletions.class, loaded.loader().loadClass(ChatCompletions.class.getName()));
            assertNotSame(OpenAiTeacherClientTest.class.getClassLoader(), c.getClass().getClassLoader());
        }
    }

    @Test
    void withoutAKeyADummyIsSentBecauseTheSdkRequiresOne() throws Exception {
        try (FakeTeacher t = new FakeTeacher((n, user) -> FakeTeacher.completion("ok"));
             TeacherLoader.Loaded loaded = FakeTeacher.load(new TeacherConfig(t.baseUrl(), "m", null, 3))) {
            assertEquals("ok", loaded.client().complete("s", "u"));
            assertEquals("Bearer no-key", t.authHeaders.get(0));
        }
    }

    @Test
    void retriesAfter503AndCountsEveryAttemptAgainstTheBudget() throws Exception {
        try (FakeTeacher t = new FakeTeacher((n, user) -> n <= 2 ? new FakeTeacher.Reply(503, "{\"error\":\"busy\"}")
                : FakeTeacher.completion("finally"));
             TeacherLoader.Loaded loaded = FakeTeacher.load(config(t.baseUrl(), 4))) {
            ChatCompletions c = loaded.client();
            assertEquals("finally", c.complete("s", "u"));
            assertEquals(3, c.requests());
            assertEquals(3, t.hits.get());
            assertTrue(c.budgetLeft());
            c.complete("s", "u");
            assertFalse(c.budgetLeft());
            TeacherException e = assertThrows(TeacherException.class, () -> c.complete("s", "u"));
            assertTrue(e.getMessage().contains("budget of 4"), e.getMessage());
            assertEquals(4, t.hits.get(), "no request beyond the budget");
        }
    }

    @Test
    void persistent503GivesUpAfterMaxAttempts() throws Exception {
        try (FakeTeacher t = new FakeTeacher((n, user) -> new FakeTeacher.Reply(503, "{\"error\":\"busy\"}"));
             TeacherLoader.Loaded loaded = FakeTeacher.load(config(t.baseUrl(), 50))) {
            TeacherException e = assertThrows(TeacherException.class, () -> loaded.client().complete("s", "u"));
            assertFalse(e.fatal());
            assertTrue(e.getMessage().contains("failed 3 times") && e.getMessage().contains("HTTP 503"), e.getMessage());
            assertEquals(3, t.hits.get());
        }
    }

    @Test
    void aSlowEndpointTimesOutAndIsRetried() throws Exception {
        try (FakeTeacher t = new FakeTeacher((n, user) -> {
            try {
                Thread.sleep(2500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeTeacher.completion("too late");
        }); TeacherLoader.Loaded loaded = FakeTeacher.load(new TeacherConfig(t.baseUrl(), "m", KEY, 10, 2, 10, 1))) {
            TeacherException e = assertThrows(TeacherException.class, () -> loaded.client().complete("s", "u"));
            assertFalse(e.fatal());
            assertTrue(e.getMessage().contains("failed 2 times") && e.getMessage().contains("timed out after 1 s"),
                    e.getMessage());
            assertEquals(2, loaded.client().requests());
        }
    }

    @Test
    void unauthorizedIsFatalAndNeverShowsTheKey() throws Exception {
        try (FakeTeacher t = new FakeTeacher((n, user) -> new FakeTeacher.Reply(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":\"invalid_request_error\"}}"));
             TeacherLoader.Loaded loaded = FakeTeacher.load(config(t.baseUrl(), 5))) {
            TeacherException e = assertThrows(TeacherException.class, () -> loaded.client().complete("s", "u"));
            assertTrue(e.fatal());
            assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
            assertTrue(e.getMessage().contains("Incorrect API key"), "the server's reason is kept: " + e.getMessage());
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
            assertEquals(1, t.hits.get(), "401 is not retried");
        }
        assertFalse(config("http://x/v1", 1).toString().contains(KEY));
    }

    @Test
    void nonJsonBodyIsACountableErrorNotACrash() throws Exception {
        try (FakeTeacher t = new FakeTeacher((n, user) -> new FakeTeacher.Reply(200, "<html>gateway says hello</html>"));
             TeacherLoader.Loaded loaded = FakeTeacher.load(config(t.baseUrl(), 5))) {
            TeacherException e = assertThrows(TeacherException.class, () -> loaded.client().complete("s", "u"));
            assertFalse(e.fatal());
            assertTrue(e.getMessage().contains("not a chat completion"), e.getMessage());
        }
    }

    @Test
    void unreachableEndpointIsFatalWithTheFix() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (TeacherLoader.Loaded loaded = FakeTeacher.load(config("http://127.0.0.1:" + port + "/v1", 5))) {
            TeacherException e = assertThrows(TeacherException.class, () -> loaded.client().complete("s", "u"));
            assertTrue(e.fatal());
            assertTrue(e.getMessage().contains("unreachable") && e.getMessage().contains("forge.teacher.baseUrl")
                    && e.getMessage().contains("forge.teacher=offline"), e.getMessage());
        }
    }

    @Test
    void jarsWithoutTheSdkAreAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TeacherLoader.load(List.of(),
                TeacherLoader.pluginLocation(), config("http://127.0.0.1:1/v1", 1), FakeTeacher.pluginRealmWithoutSdk()));
        assertTrue(e.getMessage().contains("not usable") && e.getMessage().contains("com/openai"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> TeacherLoader.loader(
                List.of(Path.of("/nonexistent/openai.jar")), TeacherLoader.pluginLocation(), null));
        assertTrue(missing.getMessage().contains("/nonexistent/openai.jar"), missing.getMessage());
    }

    @Test
    void sharingRules() {
        assertTrue(TeacherLoader.shared(ChatCompletions.class.getName()));
        assertTrue(TeacherLoader.shared("org.slf4j.Logger"));
        assertTrue(TeacherLoader.shared("java.lang.String"));
        assertFalse(TeacherLoader.shared(TeacherLoader.ADAPTER_CLASS));
        assertFalse(TeacherLoader.shared("com.fasterxml.jackson.annotation.JsonProperty"));
        assertFalse(TeacherLoader.shared("kotlin.Unit"));
        assertEquals("4.101.0", TeacherLoader.sdkVersion());
    }

    @Test
    void badConfigurationIsRejectedBeforeAnythingIsResolved() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TeacherConfig(null, "m", null, 5).validate());
        assertTrue(e.getMessage().contains("forge.teacher.baseUrl"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TeacherConfig("localhost:8000", "m", null, 5).validate());
        assertTrue(e.getMessage().contains("http(s) URL"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TeacherConfig("http://h/v1", " ", null, 5).validate());
        assertTrue(e.getMessage().contains("forge.teacher.model"), e.getMessage());
    }
}
