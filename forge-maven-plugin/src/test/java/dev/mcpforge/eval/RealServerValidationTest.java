package dev.mcpforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Looped validation against the REAL filesystem MCP server (it/mcp-servers, bin dir from
 * {@code forge.test.mcpServersBin}); the model is scripted, so the calls are known and their real results checked.
 */
class RealServerValidationTest {
    @TempDir
    Path dir;

    static Path serverBin() {
        String p = System.getProperty("forge.test.mcpServersBin");
        if (p == null || p.isBlank()) {
            fail("system property forge.test.mcpServersBin is not set; run the tests through Maven");
        }
        Path bin = Path.of(p).resolve("mcp-server-filesystem");
        if (!Files.isExecutable(bin)) {
            fail("real MCP server mcp-server-filesystem is missing in " + p + "; install it with: "
                    + "(cd it/mcp-servers && npm ci --no-audit --no-fund)");
        }
        return bin;
    }

    private static Sample call(String id, String scenario, String prompt, String tool, ObjectNode args) {
        return new Sample(id, "test", scenario, tool, List.of(Message.user(prompt),
                Message.assistantCall(null, new ToolCall(tool, args)), Message.assistant("done")));
    }

    @Test
    void loopAgainstTheFilesystemServer() throws Exception {
        Path bin = serverBin();
        Path root = Files.createDirectories(dir.resolve("root")).toRealPath();
        Files.writeString(root.resolve("a.txt"), "hello from the real server\n");
        String a = root.resolve("a.txt").toString();
        String missing = root.resolve("missing.txt").toString();
        List<Sample> samples = List.of(
                call("fs1", "standard", "Show me " + a, "read_text_file", Json.MAPPER.createObjectNode().put("path", a)),
                call("fs2", "standard", "What is in " + root + "?", "list_directory",
                        Json.MAPPER.createObjectNode().put("path", root.toString())),
                call("fs3", "error", "Read " + missing, "read_text_file",
                        Json.MAPPER.createObjectNode().put("path", missing)),
                new Sample("fs4", "test", "no_tool", null, List.of(Message.user("What is a file system?"),
                        Message.assistant("A way to store files."))));
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, samples);
        Map<String, List<String>> replies = new LinkedHashMap<>();
        ChatFormat f = ChatFormat.chatml();
        replies.put("Show me " + a, List.of(f.renderToolCall(new dev.mcpforge.engine.chat.ToolCall("read_text_file",
                Json.MAPPER.createObjectNode().put("path", a))), "It says hello."));
        replies.put("What is in " + root + "?", List.of(f.renderToolCall(new dev.mcpforge.engine.chat.ToolCall(
                "list_directory", Json.MAPPER.createObjectNode().put("path", root.toString()))), "One file: a.txt."));
        replies.put("Read " + missing, List.of(f.renderToolCall(new dev.mcpforge.engine.chat.ToolCall("read_text_file",
                Json.MAPPER.createObjectNode().put("path", missing))), "Sorry, that file does not exist."));
        replies.put("What is a file system?", List.of("A way to organise files on a disk."));
        ServerSpec spec = new ServerSpec(List.of(bin.toString(), root.toString()), null, null, Duration.ofSeconds(60));
        ValidationRequest req = new ValidationRequest(eval, null, spec, null, 0, 1,
                new ModelBackend.Options(64, false, 0f, 1), Thresholds.SEED, dir.resolve("reports"), null);
        ValidationResult r = new ValidationService().validate(req, ScriptedBackend.of(f, replies));

        Map<String, CaseResult> byId = new LinkedHashMap<>();
        r.metrics().runs().forEach(x -> byId.put(x.evalCase().id(), x));
        byId.values().forEach(x -> assertTrue(x.passed(), x.evalCase().id() + ": " + x.failureReason() + " " + x.steps()));
        assertTrue(byId.get("fs1").steps().stream().anyMatch(s -> s.contains("hello from the real server")),
                byId.get("fs1").steps().toString());
        assertTrue(byId.get("fs2").steps().stream().anyMatch(s -> s.contains("a.txt")), byId.get("fs2").steps().toString());
        assertTrue(byId.get("fs3").steps().stream().anyMatch(s -> s.contains("isError=true")),
                "the real server reports the missing file as an error: " + byId.get("fs3").steps());
        assertEquals(new Metrics.Rate(1, 1), r.metrics().rate(Metrics.Metric.ROBUSTNESS));
        assertTrue(r.passed(), r.failures().toString());
        assertTrue(Files.readString(r.jsonReport()).contains("the MCP server " + bin));
    }
}
