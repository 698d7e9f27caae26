package dev.mcpforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.data.Message;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.data.ToolCall;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ServerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that crashes mid-run or hangs: that case fails with the reason and the run goes on with a restarted server,
 * as long as the restart helps (a restarted server that fails before answering a call is not started again).
 */
class ServerFailureValidationTest {
    static final String SERVER = """
            const readline = require('readline');
            const send = m => process.stdout.write(JSON.stringify(m) + '\\n');
            const schema = { type: 'object', properties: { x: { type: 'string' } }, required: ['x'] };
            const tools = ['echo', 'crash', 'hang'].map(n => ({ name: n, description: 'tool ' + n, inputSchema: schema }));
            const rl = readline.createInterface({ input: process.stdin });
            rl.on('line', line => {
              const m = JSON.parse(line);
              const reply = result => send({ jsonrpc: '2.0', id: m.id, result });
              if (m.method === 'initialize') reply({ protocolVersion: m.params.protocolVersion,
                  capabilities: { tools: {} }, serverInfo: { name: 'flaky', version: '0.0.1' } });
              else if (m.method === 'tools/list') reply({ tools });
              else if (m.method === 'tools/call') {
                const n = m.params.name;
                if (n === 'echo') reply({ content: [{ type: 'text', text: 'echo ' + m.params.arguments.x }] });
                else if (n === 'crash') process.exit(3);
                // hang: never answers
              } else if (m.id !== undefined) send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no' } });
            });
            rl.on('close', () => process.exit(0));
            """;

    @TempDir
    Path dir;

    @Test
    void crashAndHangFailTheirCaseAndTheRunContinues() throws Exception {
        Path script = dir.resolve("flaky.js");
        Files.writeString(script, SERVER);
        List<Sample> samples = new ArrayList<>();
        Map<String, List<String>> replies = new LinkedHashMap<>();
        String[][] plan = {{"e1", "echo"}, {"e2", "crash"}, {"e3", "echo"}, {"e4", "hang"}, {"e5", "echo"},
                {"e6", "crash"}, {"e7", "crash"}, {"e8", "echo"}};
        for (String[] p : plan) {
            String prompt = "please " + p[1] + " " + p[0];
            samples.add(new Sample(p[0], "test", "standard", p[1], List.of(Message.user(prompt),
                    Message.assistantCall(null, new ToolCall(p[1], Json.MAPPER.createObjectNode().put("x", p[0]))),
                    Message.assistant("done"))));
            replies.put(prompt, List.of(ChatFormat.chatml().renderToolCall(new dev.mcpforge.engine.chat.ToolCall(p[1],
                    Json.MAPPER.createObjectNode().put("x", p[0]))), "Done."));
        }
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, samples);
        ServerSpec spec = new ServerSpec(List.of("node", script.toString()), null, null, Duration.ofSeconds(3));
        ValidationRequest req = new ValidationRequest(eval, null, spec, null, 0, 1,
                new ModelBackend.Options(64, false, 0f, 1), Thresholds.SEED, dir.resolve("reports"), null);
        ValidationResult r = new ValidationService().validate(req, ScriptedBackend.of(ChatFormat.chatml(), replies));
        List<CaseResult> runs = r.metrics().runs();
        assertEquals(8, runs.size());
        assertTrue(runs.get(0).passed(), runs.get(0).steps().toString());
        assertTrue(runs.get(0).steps().stream().anyMatch(s -> s.contains("echo e1")));
        assertTrue(runs.get(1).failureReason().startsWith("tool execution failed"), runs.get(1).failureReason());
        assertTrue(runs.get(2).passed(), "the server was restarted: " + runs.get(2).steps());
        assertTrue(runs.get(3).failureReason().startsWith("tool execution failed"), runs.get(3).failureReason());
        // the restart after the crash helped (e3 was answered), so the hang gets a restart too
        assertTrue(runs.get(4).passed(), "the server was restarted after the hang: " + runs.get(4).steps());
        assertTrue(runs.get(5).failureReason().startsWith("tool execution failed"), runs.get(5).failureReason());
        // the server restarted after e6 crashes on its first call: restarting does not help any more
        assertTrue(runs.get(6).failureReason().startsWith("tool execution failed"), runs.get(6).failureReason());
        assertTrue(runs.get(7).failureReason().contains("not started again (restart 3 failed again before answering"),
                runs.get(7).failureReason());
        assertEquals(new Metrics.Rate(3, 8), r.metrics().rate(Metrics.Metric.LOOP));
    }
}
