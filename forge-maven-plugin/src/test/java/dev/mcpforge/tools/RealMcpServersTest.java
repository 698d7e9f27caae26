package dev.mcpforge.tools;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Against the REAL servers pinned in it/mcp-servers (installed by the build's {@code npm ci}; their bin dir comes in
 * as {@code forge.test.mcpServersBin}). A missing server fails these tests; it never skips them.
 */
class RealMcpServersTest {

    private static Path bin;

    @TempDir
    Path dir;

    @BeforeAll
    static void findServers() {
        String p = System.getProperty("forge.test.mcpServersBin");
        if (p == null || p.isBlank()) {
            fail("system property forge.test.mcpServersBin is not set; run the tests through Maven "
                    + "(./mvnw -pl forge-maven-plugin verify), which installs the servers with npm ci in it/mcp-servers");
        }
        bin = Path.of(p);
        for (String s : List.of("mcp-server-everything", "mcp-server-filesystem", "mcp-server-memory")) {
            if (!Files.isExecutable(bin.resolve(s))) {
                fail("real MCP server " + s + " is missing in " + bin + "; install them with: "
                        + "(cd it/mcp-servers && npm ci --no-audit --no-fund) — node and npm are required");
            }
        }
    }

    private static ServerSpec spec(Map<String, String> env, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, bin.resolve(cmd.get(0)).toString());
        return new ServerSpec(cmd, env, null, Duration.ofSeconds(30));
    }

    private static ObjectNode args(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    /** The tools the server sent when the reference was captured, in our model (ToolDefinition fields only). */
    private static List<String> reference(String name) throws Exception {
        try (InputStream in = RealMcpServersTest.class.getResourceAsStream("/mcp-tools/" + name + "-tools.json")) {
            assertNotNull(in, name);
            JsonNode root = Json.MAPPER.readTree(in);
            List<String> out = new ArrayList<>();
            for (JsonNode t : root.get("tools")) {
                out.add(Json.MAPPER.writeValueAsString(ToolDefinition.fromJson(t).toJson()));
            }
            return out;
        }
    }

    /** Each tool exactly (key order included, not just canonically) as the server sent it. */
    private static void assertSameTools(List<String> expected, Toolset actual) {
        List<String> got = new ArrayList<>();
        actual.tools().forEach(t -> got.add(Json.MAPPER.writeValueAsString(t.toJson())));
        assertEquals(expected.size(), got.size(), "number of tools: " + actual.names());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), got.get(i), "tool #" + (i + 1));
        }
    }

    @Test
    void everythingListsAllToolsWithSchemasIntactAndCallsThem() throws Exception {
        try (McpToolProvider p = McpToolProvider.start(spec(Map.of(), "mcp-server-everything", "stdio"))) {
            assertEquals("2025-11-25", p.protocolVersion());
            Toolset ts = p.listTools();
            assertSameTools(reference("everything"), ts);
            assertTrue(ts.find("get-structured-content").orElseThrow().outputSchema() != null);

            ToolCallResult echo = p.callTool("echo", args("{\"message\":\"hello forge\"}"));
            assertFalse(echo.isError());
            assertEquals("Echo: hello forge", echo.text());

            ToolCallResult sum = p.callTool("get-sum", args("{\"a\":2,\"b\":3}"));
            assertFalse(sum.isError());
            assertTrue(sum.text().contains("5"), sum.text());

            ToolCallResult bad = p.callTool("get-sum", args("{\"a\":\"two\"}"));
            assertTrue(bad.isError(), bad.text());
            assertTrue(bad.text().contains("-32602") || bad.text().toLowerCase().contains("invalid"), bad.text());

            ToolCallResult unknown = p.callTool("no-such-tool", args("{}"));
            assertTrue(unknown.isError(), unknown.text());
            assertTrue(unknown.text().contains("no-such-tool"), unknown.text());
        }
    }

    @Test
    void everythingSeesOnlyTheScrubbedEnvironment() throws Exception {
        try (McpToolProvider p = McpToolProvider.start(spec(Map.of("FORGE_IT_SETTING", "on"),
                "mcp-server-everything", "stdio"))) {
            ToolCallResult env = p.callTool("get-env", args("{}"));
            assertFalse(env.isError(), env.text());
            JsonNode vars = Json.MAPPER.readTree(env.text());
            assertEquals("on", vars.path("FORGE_IT_SETTING").asString());
            for (String k : vars.propertyNames()) {
                assertTrue(k.equals("FORGE_IT_SETTING") || ServerProcess.BASIC_ENV.contains(k), "leaked to server: " + k);
            }
        }
    }

    @Test
    void filesystemSchemasCallsIsErrorAndBadArguments() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("a.txt"), "forge file content\n");
        try (McpToolProvider p = McpToolProvider.start(spec(Map.of(), "mcp-server-filesystem", root.toString()))) {
            Toolset ts = p.listTools();
            assertSameTools(reference("filesystem"), ts);

            ToolCallResult read = p.callTool("read_text_file", args("{\"path\":\""
                    + root.resolve("a.txt") + "\"}"));
            assertFalse(read.isError(), read.text());
            assertTrue(read.text().contains("forge file content"), read.text());
            assertNotNull(read.structuredContent());

            ToolCallResult outside = p.callTool("read_text_file", args("{\"path\":\"/etc/hostname\"}"));
            assertTrue(outside.isError(), outside.text());
            assertTrue(outside.text().contains("Access denied"), outside.text());

            ToolCallResult badArgs = p.callTool("read_text_file", args("{}"));
            assertTrue(badArgs.isError(), badArgs.text());
            assertTrue(badArgs.text().contains("path"), badArgs.text());
        }
    }

    @Test
    void memoryListsToolsAndKeepsItsGraphWhereConfigured() throws Exception {
        Path memory = dir.resolve("memory.jsonl");
        try (McpToolProvider p = McpToolProvider.start(spec(Map.of("MEMORY_FILE_PATH", memory.toString()),
                "mcp-server-memory"))) {
            assertSameTools(reference("memory"), p.listTools());
            ToolCallResult created = p.callTool("create_entities", args("{\"entities\":[{\"name\":\"forge\","
                    + "\"entityType\":\"project\",\"observations\":[\"turns MCP tools into a model\"]}]}"));
            assertFalse(created.isError(), created.text());
        }
        assertTrue(Files.readString(memory).contains("forge"), "MEMORY_FILE_PATH was not passed to the server");
    }

    @Test
    void bannerBeforeJsonOnARealServerStillWorks() throws Exception {
        // like time-mcp: a greeting on stdout before the JSON-RPC stream
        ServerSpec spec = new ServerSpec(List.of("/bin/sh", "-c", "echo 'Starting Memory MCP server...'; exec \"$0\"",
                bin.resolve("mcp-server-memory").toString()), Map.of("MEMORY_FILE_PATH",
                dir.resolve("m.jsonl").toString()), null, Duration.ofSeconds(30));
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            assertEquals(9, p.listTools().tools().size());
        }
    }

    @Test
    void closeLeavesNoNodeProcessBehind() throws Exception {
        // npx-like wrapper: a shell that starts node as a child, so the tree has two levels
        ServerSpec spec = new ServerSpec(List.of("/bin/sh", "-c", "\"$0\" stdio; true",
                bin.resolve("mcp-server-everything").toString()), Map.of(), null, Duration.ofSeconds(30));
        List<Long> tree = new ArrayList<>();
        try (McpToolProvider p = McpToolProvider.start(spec)) {
            long pid = p.pid().orElseThrow();
            tree.add(pid);
            ProcessHandle.of(pid).orElseThrow().descendants().forEach(h -> tree.add(h.pid()));
            assertTrue(tree.size() >= 2, "expected the shell and node: " + tree);
            assertEquals(13, p.listTools().tools().size());
        }
        for (long pid : tree) {
            assertTrue(FakeServers.gone(pid, Duration.ofSeconds(5)), "process " + pid + " survived close()");
        }
    }
}
