package dev.mcpforge.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusServiceTest {

    @TempDir
    Path base;

    @Test
    void noStateSaysSoAndHowToStart() {
        String all = String.join("\n", new StatusService().lines(base.resolve("target/forge"), base));
        assertTrue(all.contains("No pipeline state yet"), all);
        assertTrue(all.contains("forge:inspect"), all);
    }

    @Test
    void tableShowsStagesHashesOutputsAndStaleness() throws Exception {
        Path forge = Files.createDirectories(base.resolve("target/forge"));
        Path tools = Files.writeString(forge.resolve("tools.json"), "{}");
        Path data = Files.writeString(forge.resolve("train.jsonl"), "");
        PipelineState s = PipelineState.load(forge, base);
        s.record("generate", "sha256:bbbbbbbbbbbbbbbbbbbb", List.of(data), Map.of());
        s.record("inspect", "sha256:aaaaaaaaaaaaaaaaaaaa", List.of(tools), Map.of("tools", "3"));
        Files.delete(data);
        List<String> lines = new StatusService().lines(forge, base);
        String all = String.join("\n", lines);
        assertTrue(lines.get(1).matches("\\s+stage\\s+inputs\\s+finished\\s+up to date\\s+outputs"), lines.get(1));
        assertTrue(lines.get(2).matches("\\s+inspect\\s+aaaaaaaaaaaa\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+yes"
                + "\\s+target/forge/tools.json"), lines.get(2));
        assertTrue(lines.get(3).contains("generate") && lines.get(3).contains("no: output target/forge/train.jsonl "
                + "is missing"), lines.get(3));
        assertTrue(all.contains("inspect: {tools=3}"), all);
    }

    @Test
    void corruptStateIsReportedClearly() throws Exception {
        Path forge = Files.createDirectories(base.resolve("target/forge"));
        Files.writeString(forge.resolve("state.json"), "[1,2");
        String all = String.join("\n", new StatusService().lines(forge, base));
        assertTrue(all.contains("unreadable") && all.contains("Delete it"), all);
    }
}
