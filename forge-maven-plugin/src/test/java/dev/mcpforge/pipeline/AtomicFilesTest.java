package dev.mcpforge.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesTheContentAsAnOrdinaryReadableFileAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("reports/qc.json");
        AtomicFiles.writeString(f, "{\"a\":1}");
        AtomicFiles.writeString(f, "{\"a\":2}");
        assertEquals("{\"a\":2}", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "a temporary file was left behind");
        }
    }
}
