package dev.mcpforge.data;

import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Standard and edge samples use the real result when the provider can execute; failing calls are redrawn/dropped. */
class ExecutionTest {

    @TempDir
    Path dir;

    /** A deterministic executing provider: echoes its input; every third call fails (isError), every 7th throws. */
    static final class EchoProvider implements ToolProvider {
        final Toolset ts;
        int calls;

        EchoProvider(Toolset ts) {
            this.ts = ts;
        }

        @Override
        public Toolset listTools() {
            return ts;
        }

        @Override
        public ToolCallResult callTool(String name, ObjectNode arguments) throws ToolException {
            calls++;
            if (calls % 7 == 0) {
                throw new ToolException("transport closed");
            }
            if (calls % 3 == 0) {
                return ToolCallResult.text("Error: no such thing", true);
            }
            return ToolCallResult.text("REAL " + name + " " + arguments, false);
        }

        @Override
        public boolean supportsExecution() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void realResultsAreUsedAndFailuresCounted() throws Exception {
        Toolset ts = Fixtures.toolset("everything-tools");
        Path tools = Fixtures.toolsFile("everything-tools", dir);
        EchoProvider p = new EchoProvider(ts);
        GenerateResult r = new GenerateService(p).generate(GenerateRequest.under(dir.resolve("f"), tools, 300, 0.0, 5,
                ScenarioWeights.DEFAULT));
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> samples = SampleJsonl.readAll(r.trainFile(), errors);
        assertEquals(300, samples.size(), "failed executions are redrawn so the plan's counts hold");
        int real = 0;
        for (Sample s : samples) {
            if (s.scenario().equals("standard") || s.scenario().equals("edge")) {
                Message toolMsg = s.messages().stream().filter(m -> m.role().equals("tool")).findFirst().orElseThrow();
                assertTrue(toolMsg.content().startsWith("REAL " + s.toolName()), toolMsg.content());
                real++;
            }
        }
        assertEquals(195, real);
        assertTrue(p.calls > real, "calls " + p.calls);
        assertTrue(r.counters().get("execution_errors") > 0, r.counters().toString());
        assertEquals(p.calls, r.counters().get("executed"));
    }
}
