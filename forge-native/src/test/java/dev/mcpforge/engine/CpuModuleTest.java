package dev.mcpforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which CPU backend module is loaded, read from /proc/self/maps lines: prebuilt variants and a source build. */
class CpuModuleTest {
    private static final Path DIR = Path.of("/home/u/.cache/mcp-forge/native/0123456789abcdef");

    private static String map(String file) {
        return "7f1c2a600000-7f1c2a6a0000 r-xp 00020000 08:01 1234567 " + DIR + "/" + file;
    }

    @Test
    void prebuiltVariantIsNamedInTheFileName() {
        List<String> maps = List.of(map("libggml-base.so"), map("libllama.v3.so"), map("libggml-cpu-haswell.so"));
        assertEquals(new NativeEngine.CpuModule("libggml-cpu-haswell.so", "haswell"), NativeEngine.cpuModule(maps, DIR));
    }

    @Test
    void sourceBuildHasOneVersionedCpuLibrary() {
        List<String> maps = List.of(map("libggml-base.so.0"), map("libggml-cpu.so.0"), map("libggml.so.0"));
        assertEquals(new NativeEngine.CpuModule("libggml-cpu.so.0", "native"), NativeEngine.cpuModule(maps, DIR));
    }

    @Test
    void modulesOutsideTheEngineDirectoryDoNotCount() {
        List<String> maps = List.of("7f00-7f01 r-xp 0 08:01 1 /usr/lib/libggml-cpu-haswell.so", map("libggml-base.so"));
        assertNull(NativeEngine.cpuModule(maps, DIR));
    }
}
