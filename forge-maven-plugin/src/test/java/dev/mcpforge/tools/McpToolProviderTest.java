package dev.mcpforge.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** McpToolProvider against small fake servers (shell and node scripts): the failure cases and the protocol edges. */
class McpToolProviderTest {

    private static final Duration SHORT = Duration.ofSeconds(2);
    private static final Duration NORMAL = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static ObjectNode args(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void commandNotFoundSaysSoAndHowToFix() {
        ServerSpec spec = new ServerSpec(List.of("/nonexistent/forge-no-such-mcp-server", "--stdio"), Map.of(),
                null, SHORT);
        ToolException e = assertThrows(ToolException.class, () -> McpToolProvider.start(spec));
        assertTrue(e.getMessage().contains("command not found"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/forge-no-such-mcp-server"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dforge.server"), e.getMessage());
    }

    @Test
    void serverThatExitsAtOnceReportsExitCodeAndStderrTail() throws Exception {
        ServerSpec spec = FakeServers.sh(dir, "echo 'starting up' >&2\necho 'fatal: no config file given' >&2\n"
                + "exit 3", NORMAL);
        long t0 = System.nanoTime();
        ToolException e = assertThrows(ToolException.class, () -> McpToolProvider.start(spec));
        String m = e.getMessage();
        assertTrue(m.contains("exit code 3"), m);
        assertTrue(m.contains("fatal: no config file given"), m);
        assertTrue(m.contains("at once"), m);
        // it must not wait for the 20 s timeout to notice
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(NORMAL) < 0, "waited for the timeout");
    }

    @Test
    void serverThatNeverAnswersTimesOutAndItsWholeTreeIsKilled() throws Exception {
        Path pids = dir.resolve("pids");
        // ignores SIGTERM (and so does its child), so only SIGKILL on the whole tree stops it
        ServerSpec spec = FakeServers.sh(dir, "echo $$ > " + pids + "\ntrap '' TERM\nsleep 1000 &\n"
                + "echo $! >> " + pids + "\necho 'listening (not really)' >&2\nwait\nwait", SHORT);
        ToolException e = assertThrows(ToolException.class, () -> McpToolProvider.start(spec));
        String m = e.getMessage();
        assertTrue(m.contains("did not answer initialize within 2 s"), m);
        assertTrue(m.contains("process tree was killed"), m);
        assertTrue(m.contains("listening (not really)"), m);
        List<Long> tree = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        assertEquals(2, tree.size(), "the script and its child");
        for (long pid : tree) {
            assertTrue(FakeServers.gone(pid, Duration.ofSeconds(5)), "process " + pid + " survived");
        }
    }

    @Test
    void serverWritingOnlyGarbageTimesOutQuotingIt() throws Exception {
        ServerSpec spec = FakeServers.sh(dir, "echo 'Welcome to the garbage server'\necho '<html>not json</html>'\n"
                + "echo '{\"not\": \"json-rpc\"}'\nexec sleep 1000", SHORT);
        ToolException e = assertThrows(ToolException.class, () -> McpToolProvider.start(spec));
        String m = e.getMessage();
        assertTrue(m.contains("within 2 s"), m);
        assertTrue(m.contains("only non-JSON-RPC output"), m);
        assertTrue(m.contains("«Welcome to the garbage server»"), m);
        assertTrue(m.contains("<html>not json</html>"), m);
        assertTrue(m.contains("3 lines"), m);
    }

    @Test
    void bannerAndNoiseLinesOnStdoutAreSkipped() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"banner\":\"Starting Fake MCP server...\",\"noise\":\"[debug] list\","
                + "\"tools\":[" + FakeServers.tool("echo") + "]}", Map.of(), NORMAL);
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            assertEquals("2025-11-25", p.protocolVersion());
            assertEquals(List.of("echo"), p.listTools().names());
            ToolCallResult r = p.callTool("echo", args("{\"x\":\"hi\"}"));
            assertFalse(r.isError());
            assertEquals("{\"x\":\"hi\"}", r.text());
            assertEquals("hi", r.structuredContent().get("x").asString());
            // still alive after noise on a later reply
            assertEquals(1, p.listTools().tools().size());
        }
    }

    @Test
    void duplicateToolNamesAreReportedWithTheServer() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"tools\":[" + FakeServers.tool("a") + "," + FakeServers.tool("b")
                + "," + FakeServers.tool("a") + "]}", Map.of(), NORMAL);
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            ToolException e = assertThrows(ToolException.class, p::listTools);
            assertTrue(e.getMessage().contains("duplicate tool name 'a'"), e.getMessage());
            assertTrue(e.getMessage().contains("fake-mcp.js"), e.getMessage());
        }
    }

    @Test
    void followsNextCursorThroughAllPagesInOrder() throws Exception {
        String tools = String.join(",", FakeServers.tool("t1"), FakeServers.tool("t2"), FakeServers.tool("t3"),
                FakeServers.tool("t4"), FakeServers.tool("t5"));
        ServerSpec spec = FakeServers.node(dir, "{\"pageSize\":2,\"tools\":[" + tools + "]}", Map.of(), NORMAL);
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            Toolset ts = p.listTools();
            assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), ts.names());
            assertEquals(List.of("x"), ts.find("t3").orElseThrow().requiredArguments());
        }
    }

    @Test
    void relistsWhenTheToolListChangesWhileListing() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"tools\":[" + FakeServers.tool("old") + "],"
                + "\"toolsAfterFirstList\":[" + FakeServers.tool("new1") + "," + FakeServers.tool("new2") + "]}",
                Map.of(), NORMAL);
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            assertEquals(List.of("new1", "new2"), p.listTools().names());
        }
    }

    @Test
    void isErrorResultsAndJsonRpcErrorsBothBecomeIsErrorResults() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"tools\":[" + FakeServers.tool("fail") + "]}", Map.of(), NORMAL);
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            ToolCallResult failed = p.callTool("fail", args("{\"x\":\"1\"}"));
            assertTrue(failed.isError());
            assertEquals("it failed", failed.text());
            ToolCallResult unknown = p.callTool("no_such_tool", args("{}"));
            assertTrue(unknown.isError());
            assertTrue(unknown.text().contains("-32602"), unknown.text());
            assertTrue(unknown.text().contains("Unknown tool: no_such_tool"), unknown.text());
        }
    }

    @Test
    void callResultsKeepWhatTheServerSent() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"tools\":[]}", Map.of(), NORMAL);
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            ToolCallResult r = p.callTool("raw", args("{\"n\":1.5}"));
            assertEquals("[{\"text\":\"odd order\",\"type\":\"text\",\"annotations\":{\"priority\":0.5}}]",
                    Json.MAPPER.writeValueAsString(r.content()));
            assertFalse(r.isError());
        }
    }

    @Test
    void slowCallTimesOutAndTheConnectionStaysUsable() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"tools\":[]}", Map.of(), SHORT);
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            ToolException e = assertThrows(ToolException.class, () -> p.callTool("sleep", args("{\"ms\":6000}")));
            assertTrue(e.getMessage().contains("did not answer tools/call 'sleep' within 2 s"), e.getMessage());
            assertTrue(e.getMessage().contains("-Dforge.timeout"), e.getMessage());
            assertEquals("{\"x\":\"again\"}", p.callTool("echo", args("{\"x\":\"again\"}")).text());
        }
    }

    @Test
    void childEnvironmentIsScrubbed() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"tools\":[]}", Map.of("FORGE_TEST_SETTING", "42"), NORMAL);
        Set<String> seen;
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            seen = Arrays.stream(p.callTool("env", args("{}")).text().split("\n")).collect(Collectors.toSet());
        }
        assertTrue(seen.contains("FORGE_TEST_SETTING"), seen.toString());
        assertTrue(seen.contains("PATH"), seen.toString());
        for (String k : seen) {
            assertTrue(k.equals("FORGE_TEST_SETTING") || ServerProcess.BASIC_ENV.contains(k), "leaked: " + k);
        }
        // the parent (this surefire JVM) certainly has more than the basics
        assertTrue(System.getenv().keySet().stream().anyMatch(k -> !seen.contains(k)));
    }

    @Test
    void childEnvironmentKeepsBasicsAndConfiguredVariablesOnly() {
        Map<String, String> parent = new HashMap<>();
        parent.put("PATH", "/usr/bin");
        parent.put("HOME", "/home/u");
        parent.put("OPENAI_API_KEY", "sk-secret");
        parent.put("HF_TOKEN", "hf_secret");
        parent.put("AWS_SECRET_ACCESS_KEY", "x");
        Map<String, String> env = ServerProcess.childEnvironment(parent, Map.of("MEMORY_FILE_PATH", "/tmp/m.jsonl"));
        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/u", "MEMORY_FILE_PATH", "/tmp/m.jsonl"), env);
        // an explicitly configured key is passed (the user asked for it)
        assertEquals("k", ServerProcess.childEnvironment(parent, Map.of("OPENAI_API_KEY", "k")).get("OPENAI_API_KEY"));
    }

    @Test
    void closeStopsTheServer() throws Exception {
        ServerSpec spec = FakeServers.node(dir, "{\"tools\":[]}", Map.of(), NORMAL);
        long pid;
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            pid = p.pid().orElseThrow();
            assertTrue(FakeServers.alive(pid));
        }
        assertTrue(FakeServers.gone(pid, Duration.ofSeconds(5)), "server " + pid + " still running after close");
    }
}
