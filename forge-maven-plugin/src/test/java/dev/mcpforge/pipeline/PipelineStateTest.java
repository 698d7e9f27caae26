package dev.mcpforge.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineStateTest {

    @TempDir
    Path base;

    Path forge() {
        return base.resolve("target/forge");
    }

    @Test
    void recordThenCheckSurvivesReload() throws Exception {
        Path out = base.resolve("target/forge/tools.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "{}");
        PipelineState s = PipelineState.load(forge(), base);
        assertFalse(s.exists());
        assertFalse(s.check("inspect", "sha256:aa", false).upToDate());
        s.record("inspect", "sha256:aa", List.of(out), Map.of("tools", "3"));

        PipelineState again = PipelineState.load(forge(), base);
        assertTrue(again.exists());
        StageRecord r = again.get("inspect").orElseThrow();
        assertEquals("sha256:aa", r.inputHash());
        assertEquals("target/forge/tools.json", r.outputs().get(0).path());
        assertEquals(Map.of("tools", "3"), r.details());
        assertTrue(again.check("inspect", "sha256:aa", false).upToDate());
        assertFalse(again.check("inspect", "sha256:aa", true).upToDate());
        assertTrue(again.check("inspect", "sha256:aa", true).reason().contains("forge.force"));
        assertFalse(again.check("inspect", "sha256:bb", false).upToDate());
        assertTrue(again.check("inspect", "sha256:bb", false).reason().contains("changed"));
    }

    @Test
    void changedOrMissingOutputMakesItStale() throws Exception {
        Path out = Files.createDirectories(forge()).resolve("tools.json");
        Files.writeString(out, "{}");
        PipelineState s = PipelineState.load(forge(), base);
        s.record("inspect", "sha256:aa", List.of(out), Map.of());
        Files.writeString(out, "{ }");
        PipelineState.Decision d = PipelineState.load(forge(), base).check("inspect", "sha256:aa", false);
        assertFalse(d.upToDate());
        assertTrue(d.reason().contains("was changed"), d.reason());
        Files.delete(out);
        d = PipelineState.load(forge(), base).check("inspect", "sha256:aa", false);
        assertTrue(d.reason().contains("is missing"), d.reason());
    }

    @Test
    void stagesAreKeptInLifecycleOrderAndOthersSurviveAnUpdate() throws Exception {
        PipelineState s = PipelineState.load(forge(), base);
        s.record("train", "sha256:t", List.of(), Map.of());
        s.record("custom", "sha256:c", List.of(), Map.of());
        s.record("inspect", "sha256:i", List.of(), Map.of());
        s.record("train", "sha256:t2", List.of(), Map.of());
        PipelineState again = PipelineState.load(forge(), base);
        assertEquals(List.of("inspect", "train", "custom"), again.stages().stream().map(StageRecord::stage).toList());
        assertEquals("sha256:t2", again.get("train").orElseThrow().inputHash());
    }

    @Test
    void writesAreAtomicNoTempFilesLeft() throws Exception {
        PipelineState s = PipelineState.load(forge(), base);
        for (int i = 0; i < 5; i++) {
            s.record("inspect", "sha256:" + i, List.of(), Map.of());
        }
        try (var files = Files.list(forge())) {
            assertEquals(List.of("state.json"), files.map(p -> p.getFileName().toString()).toList());
        }
        String json = Files.readString(forge().resolve("state.json"));
        assertTrue(json.contains("\"formatVersion\" : 1"), json);
        assertTrue(json.endsWith("}\n"), json);
    }

    @Test
    void corruptStateIsACacheMissNotAFailure() throws Exception {
        Files.createDirectories(forge());
        Files.writeString(forge().resolve("state.json"), "{ not json");
        PipelineState s = PipelineState.load(forge(), base);
        assertTrue(s.loadProblem().isPresent());
        assertTrue(s.loadProblem().get().contains("unreadable"), s.loadProblem().get());
        assertFalse(s.check("inspect", "sha256:aa", false).upToDate());
        s.record("inspect", "sha256:aa", List.of(), Map.of()); // and it can be rewritten
        assertTrue(PipelineState.load(forge(), base).loadProblem().isEmpty());
    }

    @Test
    void outputsOutsideTheProjectAreAbsolute(@TempDir Path elsewhere) throws Exception {
        Path out = Files.writeString(elsewhere.resolve("x.json"), "1");
        PipelineState s = PipelineState.load(forge(), base);
        s.record("inspect", "sha256:aa", List.of(out), Map.of());
        assertEquals(out.toAbsolutePath().toString(),
                PipelineState.load(forge(), base).get("inspect").orElseThrow().outputs().get(0).path());
        assertTrue(PipelineState.load(forge(), base).check("inspect", "sha256:aa", false).upToDate());
    }
}
