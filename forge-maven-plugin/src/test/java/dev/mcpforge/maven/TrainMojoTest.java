package dev.mcpforge.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forge:train's parameter handling (training itself is tested in TrainServiceTest). */
class TrainMojoTest {
    @TempDir
    Path dir;

    private TrainMojo mojo() {
        TrainMojo m = new TrainMojo();
        m.basedir = dir.toFile();
        m.buildDirectory = dir.resolve("target").toFile();
        m.baseModel = "tiny";
        m.profile = "balanced";
        return m;
    }

    @Test
    void skipsAndRejectsBadValuesWithUsefulMessages() throws Exception {
        TrainMojo skip = mojo();
        skip.trainSkip = true;
        skip.execute();
        assertFalse(Files.exists(dir.resolve("target/forge/model")));

        TrainMojo badProfile = mojo();
        badProfile.profile = "turbo";
        MojoFailureException e = assertThrows(MojoFailureException.class, badProfile::execute);
        assertTrue(e.getMessage().contains("fast_dev, balanced, max_quality"), e.getMessage());

        TrainMojo badMem = mojo();
        badMem.memoryLimit = "lots";
        e = assertThrows(MojoFailureException.class, badMem::execute);
        assertTrue(e.getMessage().contains("forge.memoryLimit"), e.getMessage());

        TrainMojo noData = mojo();
        e = assertThrows(MojoFailureException.class, noData::execute);
        assertTrue(e.getMessage().contains("train_clean.jsonl") && e.getMessage().contains("forge:qa"), e.getMessage());
    }
}
