package dev.mcpforge.pipeline;

import dev.mcpforge.tools.FileToolProvider;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectServiceTest {

    @TempDir
    Path base;

    static final String TOOLS = """
            [{"type":"function","function":{"name":"get_weather","description":"Get current weather",
              "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}]
            """;

    InspectRequest fileRequest(Path toolsFile, boolean force) {
        return new InspectRequest(toolsFile, "tools-in.json", null, base.resolve("target/forge/tools.json"),
                base.resolve("target/forge"), base, null, force, "1.0-test");
    }

    @Test
    void importsWritesToolsJsonAndRecordsTheStage() throws Exception {
        Path in = Files.writeString(base.resolve("tools-in.json"), TOOLS);
        InspectResult r = new InspectService().run(fileRequest(in, false));
        assertFalse(r.skipped());
        JsonNode written = Json.MAPPER.readTree(Files.readString(r.output()));
        assertEquals("tools-in.json", written.get("source").asString());
        assertEquals("get_weather", written.get("tools").get(0).get("name").asString());
        assertEquals(r.toolset().hash(), written.get("toolsetHash").asString());
        StageRecord rec = PipelineState.load(base.resolve("target/forge"), base).get("inspect").orElseThrow();
        assertEquals(List.of("target/forge/tools.json"), rec.outputs().stream().map(StageRecord.Output::path).toList());
        assertEquals(r.toolset().hash(), rec.details().get("toolsetHash"));
    }

    @Test
    void secondRunIsUpToDateUntilInputOrForceChanges() throws Exception {
        Path in = Files.writeString(base.resolve("tools-in.json"), TOOLS);
        InspectService svc = new InspectService();
        InspectResult first = svc.run(fileRequest(in, false));
        InspectResult second = svc.run(fileRequest(in, false));
        assertTrue(second.skipped(), second.reason());
        assertEquals(first.toolset().hash(), second.toolset().hash());
        assertFalse(svc.run(fileRequest(in, true)).skipped());
        Files.writeString(in, TOOLS.replace("Get current weather", "Get the weather"));
        InspectResult changed = svc.run(fileRequest(in, false));
        assertFalse(changed.skipped());
        assertTrue(!changed.toolset().hash().equals(first.toolset().hash()));
        Files.writeString(changed.output(), "{}"); // tampered output: rerun
        assertFalse(svc.run(fileRequest(in, false)).skipped());
    }

    @Test
    void invalidSchemaFailsAndWritesNothing() throws Exception {
        Path in = Files.writeString(base.resolve("bad.json"), "{\"tools\":[{\"name\":\"broken\",\"inputSchema\":"
                + "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"int\"}}}}]}");
        ToolException e = assertThrows(ToolException.class, () -> new InspectService().run(fileRequest(in, false)));
        assertTrue(e.getMessage().contains("tool 'broken': inputSchema/properties/n/type"), e.getMessage());
        assertFalse(Files.exists(base.resolve("target/forge/tools.json")));
        assertFalse(Files.exists(base.resolve("target/forge/state.json")));
    }

    /** A fake live server: counts how often it is opened. */
    static final class FakeServer implements ToolProvider {
        final Toolset ts;
        boolean closed;

        FakeServer(Toolset ts) {
            this.ts = ts;
        }

        @Override
        public Toolset listTools() {
            return ts;
        }

        @Override
        public ToolCallResult callTool(String name, ObjectNode arguments) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean supportsExecution() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void liveServerIsListedEveryTimeAndClosed() throws Exception {
        Path in = Files.writeString(base.resolve("t.json"), TOOLS);
        Toolset ts = FileToolProvider.read(in, "x");
        AtomicInteger opened = new AtomicInteger();
        FakeServer[] last = new FakeServer[1];
        InspectService svc = new InspectService((spec, rec) -> {
            opened.incrementAndGet();
            last[0] = new FakeServer(new Toolset(spec.commandLine(), ts.tools()));
            return last[0];
        });
        ServerSpec spec = new ServerSpec(List.of("my-server", "--stdio"), Map.of(), null, null);
        InspectRequest req = new InspectRequest(null, null, spec, base.resolve("target/forge/tools.json"),
                base.resolve("target/forge"), base, null, false, "1.0-test");
        InspectResult a = svc.run(req);
        long mtime = Files.getLastModifiedTime(a.output()).toMillis();
        InspectResult b = svc.run(req);
        assertEquals(2, opened.get());
        assertTrue(last[0].closed);
        assertFalse(b.skipped());
        assertEquals("my-server --stdio", b.toolset().source());
        assertEquals(mtime, Files.getLastModifiedTime(b.output()).toMillis(), "same tools: tools.json not rewritten");
    }

    @Test
    void defaultOpenerWithARecordFileStillReportsAServerThatCannotStart() {
        ServerSpec spec = new ServerSpec(List.of("/nonexistent/mcp-server-xyz"), Map.of(), null, null);
        ToolException e = assertThrows(ToolException.class,
                () -> InspectService.DEFAULT_OPENER.open(spec, base.resolve("fixtures.jsonl")));
        assertTrue(e.getMessage().contains("/nonexistent/mcp-server-xyz"), e.getMessage());
        assertFalse(Files.exists(base.resolve("fixtures.jsonl")), "nothing recorded for a server that never started");
    }

    @Test
    void serverWithNoToolsIsAnError() {
        InspectService svc = new InspectService((spec, rec) -> new FakeServer(new Toolset("s", List.of())));
        InspectRequest req = new InspectRequest(null, null, new ServerSpec(List.of("s"), Map.of(), null, null),
                base.resolve("o.json"), base.resolve("target/forge"), base, null, false, "v");
        ToolException e = assertThrows(ToolException.class, () -> svc.run(req));
        assertTrue(e.getMessage().contains("lists no tools"), e.getMessage());
    }
}
