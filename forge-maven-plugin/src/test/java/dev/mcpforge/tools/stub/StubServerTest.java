package dev.mcpforge.tools.stub;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.McpToolProvider;
import dev.mcpforge.tools.RecordingToolProvider;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deterministic stub: fixtures, the SDK-based stub server (in-process and as a subprocess), recording. */
class StubServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static ObjectNode args(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private static Toolset everythingTools() throws Exception {
        try (InputStream in = StubServerTest.class.getResourceAsStream("/mcp-tools/everything-tools.json")) {
            return Toolset.fromJson(Json.MAPPER.readTree(in), "everything");
        }
    }

    /** Two recorded calls, one of them an isError result; argument key order differs from the lookups below. */
    private Path fixturesFile() throws Exception {
        Path f = dir.resolve("fixtures.jsonl");
        Files.writeString(f, """
                // recorded from server-everything
                {"tool":"get-sum","arguments":{"b":3,"a":2},"result":{"content":[{"type":"text","text":"The sum of 2 and 3 is 5."}],"isError":false}}

                {"tool":"echo","arguments":{"message":"boom"},"result":{"content":[{"type":"text","text":"echo failed"}],"isError":true}}
                {"tool":"get-structured-content","arguments":{"location":"Paris"},"result":{"content":[{"type":"text","text":"{\\"temperature\\":21}"}],"structuredContent":{"temperature":21},"isError":false}}
                """);
        return f;
    }

    private static void assertServesFixtures(ToolProvider p, Toolset expected) throws Exception {
        Toolset listed = p.listTools();
        assertEquals(expected.hash(), listed.hash(), "tools served differ from tools.json");
        assertEquals(expected.names(), listed.names());

        ToolCallResult sum = p.callTool("get-sum", args("{\"a\":2,\"b\":3}"));
        assertFalse(sum.isError());
        assertEquals("The sum of 2 and 3 is 5.", sum.text());

        ToolCallResult err = p.callTool("echo", args("{\"message\":\"boom\"}"));
        assertTrue(err.isError());
        assertEquals("echo failed", err.text());

        ToolCallResult structured = p.callTool("get-structured-content", args("{\"location\":\"Paris\"}"));
        assertEquals(21, structured.structuredContent().get("temperature").asInt());
        // replayed exactly as recorded, though it misses the tool's outputSchema
        assertEquals("{\"content\":[{\"type\":\"text\",\"text\":\"{\\\"temperature\\\":21}\"}],"
                + "\"structuredContent\":{\"temperature\":21},\"isError\":false}",
                Json.MAPPER.writeValueAsString(structured.toJson()));

        ToolCallResult unrecorded = p.callTool("get-sum", args("{\"a\":1,\"b\":1}"));
        assertTrue(unrecorded.isError());
        assertTrue(unrecorded.text().contains("no recorded fixture for tool 'get-sum'"), unrecorded.text());

        ToolCallResult unknown = p.callTool("no-such-tool", args("{}"));
        assertTrue(unknown.isError());
        assertTrue(unknown.text().contains("no-such-tool"), unknown.text());
    }

    @Test
    void fixturesKeyOnToolAndCanonicalArguments() throws Exception {
        Fixtures f = Fixtures.load(fixturesFile());
        assertEquals(3, f.size());
        assertEquals(Fixtures.key("get-sum", args("{\"a\":2,\"b\":3}")), Fixtures.key("get-sum", args("{ \"b\" : 3, \"a\" : 2 }")));
        assertTrue(f.find("get-sum", args("{\"a\":2,\"b\":3}")).isPresent());
        assertTrue(f.find("get-sum", args("{\"a\":2,\"b\":4}")).isEmpty());
        assertTrue(f.find("echo", args("{\"message\":\"boom\"}")).orElseThrow().isError());
    }

    @Test
    void malformedFixtureLineNamesFileAndLine() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"tool\":\"a\",\"arguments\":{},\"result\":{\"content\":[],\"isError\":false}}\n{\"tool\": oops}\n");
        ToolException e = assertThrows(ToolException.class, () -> Fixtures.load(f));
        assertTrue(e.getMessage().startsWith(f + ":2: not valid JSON"), e.getMessage());
        Files.writeString(f, "{\"tool\":\"a\",\"arguments\":{}}\n");
        e = assertThrows(ToolException.class, () -> Fixtures.load(f));
        assertTrue(e.getMessage().contains(":1: a fixture needs \"result\""), e.getMessage());
    }

    @Test
    void stubToolProviderServesFixturesDirectly() throws Exception {
        Toolset tools = everythingTools();
        try (StubToolProvider p = new StubToolProvider(tools, Fixtures.load(fixturesFile()))) {
            assertTrue(p.supportsExecution());
            assertServesFixtures(p, tools);
        }
    }

    @Test
    void inProcessStubServerRoundTrip() throws Exception {
        Toolset tools = everythingTools();
        try (McpToolProvider p = StubServer.connectInProcess(tools, Fixtures.load(fixturesFile()), TIMEOUT)) {
            assertEquals("2025-11-25", p.protocolVersion());
            assertTrue(p.serverInfo().startsWith(StubServer.NAME), p.serverInfo());
            assertServesFixtures(p, tools);
        }
    }

    @Test
    void subprocessStubServerRoundTrip() throws Exception {
        Toolset tools = everythingTools();
        Path toolsFile = dir.resolve("tools.json");
        tools.write(toolsFile);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerSpec spec = new ServerSpec(List.of(java, "-cp", System.getProperty("java.class.path"),
                StubServerMain.class.getName(), "--tools", toolsFile.toString(), "--fixtures",
                fixturesFile().toString()), Map.of(), null, TIMEOUT);
        long pid;
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            pid = p.pid().orElseThrow();
            assertServesFixtures(p, tools);
        }
        // it exits on stdin EOF (or is killed): either way gone
        assertTrue(ProcessHandle.of(pid).map(h -> {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }).orElse(true), "stub server still running");
    }

    @Test
    void stubServerMainRejectsAMissingToolsFile() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerSpec spec = new ServerSpec(List.of(java, "-cp", System.getProperty("java.class.path"),
                StubServerMain.class.getName(), "--tools", dir.resolve("missing.json").toString()), Map.of(), null,
                TIMEOUT);
        ToolException e = assertThrows(ToolException.class, () -> McpToolProvider.start(spec));
        assertTrue(e.getMessage().contains("exit code 1"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot read tools file"), e.getMessage());
    }

    @Test
    void bannerBeforeJsonInProcess() throws Exception {
        Toolset tools = everythingTools();
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        StubServer server = StubServer.start(tools, new Fixtures(), Channels.newInputStream(toServer.source()),
                Channels.newOutputStream(toClient.sink()));
        InputStream withBanner = new SequenceInputStream(new ByteArrayInputStream(
                "Starting Time MCP server...\n\nnot json either\n".getBytes(StandardCharsets.UTF_8)),
                Channels.newInputStream(toClient.source()));
        try (McpToolProvider p = McpToolProvider.connect("banner", withBanner, Channels.newOutputStream(toServer.sink()),
                TIMEOUT, server)) {
            assertEquals(tools.names(), p.listTools().names());
        }
    }

    @Test
    void recordingProviderWritesReplayableFixtures() throws Exception {
        Toolset tools = everythingTools();
        Path recorded = dir.resolve("rec/recorded.jsonl");
        try (RecordingToolProvider rec = new RecordingToolProvider(
                new StubToolProvider(tools, Fixtures.load(fixturesFile())), recorded)) {
            assertEquals(tools.hash(), rec.listTools().hash());
            rec.callTool("get-sum", args("{\"b\":3,\"a\":2}"));
            rec.callTool("echo", args("{\"message\":\"boom\"}"));
            rec.callTool("get-sum", args("{\"a\":2,\"b\":3}")); // same key: replaces, no duplicate
            assertEquals(2, rec.recorded());
        }
        List<String> lines = Files.readAllLines(recorded);
        assertEquals(2, lines.size());
        assertEquals("{\"arguments\":{\"a\":2,\"b\":3},\"result\":{\"content\":[{\"text\":\"The sum of 2 and 3 is 5.\","
                + "\"type\":\"text\"}],\"isError\":false},\"tool\":\"get-sum\"}", lines.get(0));
        // replay through the stub server
        try (McpToolProvider p = StubServer.connectInProcess(tools, Fixtures.load(recorded), TIMEOUT)) {
            assertTrue(p.callTool("echo", args("{\"message\":\"boom\"}")).isError());
            assertEquals("The sum of 2 and 3 is 5.", p.callTool("get-sum", args("{\"a\":2,\"b\":3}")).text());
        }
        // recording again merges with what the file holds
        try (RecordingToolProvider rec = new RecordingToolProvider(new StubToolProvider(tools, new Fixtures()), recorded)) {
            rec.callTool("get-tiny-image", args("{}"));
            assertEquals(3, rec.recorded());
        }
    }
}
