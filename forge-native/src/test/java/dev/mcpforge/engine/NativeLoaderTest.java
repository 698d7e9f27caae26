package dev.mcpforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLoaderTest {
    @TempDir
    Path root;

    @Test
    void packagedLibrariesAreListedWithTheirHashes() {
        Properties p = NativeLoader.packagedProperties(); // throws (test fails) when the jar has no libraries
        assertEquals("v0.5.0", p.getProperty("llama.release"));
        assertEquals("3.22.1", p.getProperty("npm.version"));
        List<String> files = NativeLoader.files(p);
        assertTrue(files.contains("libllama.v0.5.0.so") && files.contains("libggml.v0.5.0.so")
                && files.contains("libggml-base.so"), files.toString());
        assertTrue(files.stream().filter(f -> f.startsWith("libggml-cpu-")).count() >= 5, files.toString());
        for (String f : files) {
            assertTrue(p.getProperty("file." + f + ".sha256", "").matches("[0-9a-f]{64}"), f);
        }
    }

    @Test
    void corruptedCacheIsExtractedAgain() throws Exception {
        Path dir = NativeLoader.extract(root);
        Properties p = NativeLoader.packagedProperties();
        assertNull(NativeLoader.verify(dir, p));
        assertTrue(Files.isRegularFile(dir.resolve("libllama.v0.5.0.so")), "original file names kept");
        Path lib = dir.resolve("libggml-base.so");
        byte[] bytes = Files.readAllBytes(lib);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(lib, bytes);
        assertNotNull(NativeLoader.verify(dir, p));
        Files.delete(dir.resolve("libggml-cpu-x64.so"));

        Path again = NativeLoader.extract(root);
        assertEquals(dir, again);
        assertNull(NativeLoader.verify(again, p), "cache not repaired");
        try (var s = Files.list(root.resolve("native"))) {
            assertTrue(s.noneMatch(x -> x.getFileName().toString().startsWith(".")), "temporary directories left behind");
        }
    }

    @Test
    void concurrentExtractionsAgree() throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> fs = List.of(ex.submit(() -> NativeLoader.extract(root)),
                    ex.submit(() -> NativeLoader.extract(root)), ex.submit(() -> NativeLoader.extract(root)));
            Path first = fs.get(0).get();
            for (Future<Path> f : fs) {
                assertEquals(first, f.get());
            }
            assertNull(NativeLoader.verify(first, NativeLoader.packagedProperties()));
        } finally {
            ex.shutdownNow();
        }
    }
}
