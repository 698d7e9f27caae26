package dev.mcpforge.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorServiceTest {

    @TempDir
    Path dir;

    static final String CPUINFO = """
            processor\t: 0
            model name\t: Test CPU @ 3.00GHz
            flags\t\t: fpu sse sse2 avx avx2 fma f16c avx512f avx512bw
            
            processor\t: 1
            model name\t: Test CPU @ 3.00GHz
            flags\t\t: fpu sse sse2 avx avx2 fma f16c avx512f avx512bw
            """;
    static final String MEMINFO = "MemTotal:       25165824 kB\nMemFree:         1000000 kB\n"
            + "MemAvailable:   20971520 kB\n";

    record FakeEnv(Map<String, String> env, Map<String, String> files, Map<String, String> commands)
            implements DoctorService.Environment {
        @Override
        public String getenv(String name) {
            return env.get(name);
        }

        @Override
        public Optional<String> readFile(Path file) {
            return Optional.ofNullable(files.get(file.toString()));
        }

        @Override
        public Optional<String> run(List<String> command) {
            return Optional.ofNullable(commands.get(command.get(0)));
        }

        @Override
        public boolean exists(Path p) {
            return false;
        }
    }

    @Test
    void reportsWhatTheMachineHasAndNeverLeaksSecrets() {
        String secret = "sk-THIS-MUST-NOT-APPEAR";
        FakeEnv env = new FakeEnv(Map.of("OPENAI_API_KEY", secret),
                Map.of("/proc/cpuinfo", CPUINFO, "/proc/meminfo", MEMINFO),
                Map.of("node", "v20.20.2", "npx", "11.19.1"));
        DoctorReport r = new DoctorService(env, () -> new EngineProbe.Status(false, "not built")).run(dir);
        String all = String.join("\n", r.lines());
        assertFalse(all.contains(secret), all);
        assertEquals("set", r.find("OPENAI_API_KEY").value());
        assertTrue(r.find("HF_TOKEN").value().startsWith("not set"), all);
        assertTrue(r.find("CPU").value().contains("AVX2") && r.find("CPU").value().contains("AVX512F"), all);
        assertTrue(r.find("CPU").value().startsWith("Test CPU"), all);
        assertEquals(DoctorReport.Level.OK, r.find("CPU").level());
        assertTrue(r.find("Memory").value().startsWith("24.0 GiB total, 20.0 GiB available"), all);
        assertEquals("v20.20.2", r.find("node").value());
        assertEquals("11.19.1", r.find("npx").value());
        assertTrue(r.find("Native engine").value().contains("not built"), all);
        assertTrue(r.find("GPU").value().startsWith("none found"), all);
        assertTrue(r.find("Disk").value().contains("free at"), all);
        assertTrue(r.find("Java").value().startsWith(System.getProperty("java.version")), all);
        // 20 GiB (21.5 GB) available of 24 GiB (25.8 GB): training needs params x 16 bytes
        assertEquals("yes", fit(r, "Qwen2.5-0.5B")); // 7.9 GB
        assertEquals("yes", fit(r, "Llama-3.2-1B")); // 19.8 GB
        assertEquals("tight", fit(r, "Qwen2.5-1.5B")); // 24.7 GB
        assertEquals("no", fit(r, "Llama-3.2-3B")); // 51.4 GB
        assertTrue(all.contains("Ready to train: tiny (built-in), SmolLM2-360M, Qwen2.5-0.5B, Llama-3.2-1B"), all);
    }

    private static String fit(DoctorReport r, String model) {
        return r.models().stream().filter(m -> m.name().equals(model)).findFirst().orElseThrow().verdict();
    }

    @Test
    void missingToolsAndNoCpuInfoAreWarningsNotFailures() {
        FakeEnv env = new FakeEnv(Map.of(), Map.of(), Map.of());
        DoctorReport r = new DoctorService(env, () -> new EngineProbe.Status(false, "not built")).run(dir);
        assertEquals(DoctorReport.Level.WARN, r.find("node").level());
        assertTrue(r.find("npx").value().startsWith("not found on PATH"), r.find("npx").value());
        assertTrue(r.find("CPU").value().contains("unknown"), r.find("CPU").value());
        assertTrue(r.find("OPENAI_API_KEY").value().startsWith("not set"));
        assertTrue(r.lines().size() > 15);
    }

    @Test
    void modelFitVerdicts() {
        long gib = 1024L * 1024 * 1024;
        List<DoctorReport.ModelFit> fits = DoctorService.models(24 * gib, 10 * gib);
        assertEquals("yes", fits.stream().filter(m -> m.name().equals("Qwen2.5-0.5B")).findFirst().orElseThrow()
                .verdict()); // 494M * 16 B = 7.9 GB
        assertEquals("tight", fits.stream().filter(m -> m.name().equals("Llama-3.2-1B")).findFirst().orElseThrow()
                .verdict()); // 19.8 GB: more than 10 GiB free, less than 24 GiB total
        assertEquals("no", fits.stream().filter(m -> m.name().equals("Llama-3.2-3B")).findFirst().orElseThrow()
                .verdict());
        assertEquals(494_000_000L * 16, fits.stream().filter(m -> m.name().equals("Qwen2.5-0.5B")).findFirst()
                .orElseThrow().trainBytes());
    }

    @Test
    void humanBytes() {
        assertEquals("512 B", DoctorService.bytes(512));
        assertEquals("1.5 KiB", DoctorService.bytes(1536));
        assertEquals("24.0 GiB", DoctorService.bytes(24L * 1024 * 1024 * 1024));
    }
}
