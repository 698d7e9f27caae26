package dev.mcpforge.pipeline;

import dev.mcpforge.pipeline.DoctorReport.Check;
import dev.mcpforge.pipeline.DoctorReport.Level;
import dev.mcpforge.pipeline.DoctorReport.ModelFit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code forge:doctor}: what this machine offers the pipeline. Never fails: every missing thing is a line in the
 * report. Reads Linux facts from {@code /proc} (CPU flags, memory) and falls back to the JVM's
 * OperatingSystemMXBean elsewhere. Secrets are reported as set / not set, never their values.
 */
public final class DoctorService {

    /** Known base models and their parameter counts (from their model cards / GGUF metadata). */
    public static final List<Object[]> KNOWN_MODELS = List.of(
            // the engine's own tiny model: an estimate until forge-native fixes its size (update it then)
            new Object[] {"tiny (built-in)", 15_000_000L},
            new Object[] {"SmolLM2-360M", 362_000_000L},
            new Object[] {"Qwen2.5-0.5B", 494_000_000L},
            new Object[] {"Llama-3.2-1B", 1_236_000_000L},
            new Object[] {"Qwen2.5-1.5B", 1_544_000_000L},
            new Object[] {"SmolLM2-1.7B", 1_711_000_000L},
            new Object[] {"Llama-3.2-3B", 3_213_000_000L});

    /** What doctor reads from the machine; a test substitutes its own. */
    public interface Environment {
        /** An environment variable, or null. */
        String getenv(String name);

        /** The content of a file such as {@code /proc/cpuinfo}, or empty when absent. */
        Optional<String> readFile(Path file);

        /** The first line of a command's stdout when it exits 0 within a few seconds, or empty. */
        Optional<String> run(List<String> command);

        /** Whether a path exists (e.g. {@code /dev/nvidia0}). */
        boolean exists(Path p);
    }

    /** The real machine. */
    public static final Environment SYSTEM = new Environment() {
        @Override
        public String getenv(String name) {
            return System.getenv(name);
        }

        @Override
        public Optional<String> readFile(Path file) {
            try {
                return Files.isReadable(file) ? Optional.of(Files.readString(file)) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<String> run(List<String> command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                byte[] out;
                try (InputStream in = p.getInputStream()) {
                    if (!p.waitFor(15, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                        return Optional.empty();
                    }
                    out = in.readAllBytes();
                }
                if (p.exitValue() != 0) {
                    return Optional.empty();
                }
                String s = new String(out, StandardCharsets.UTF_8).strip();
                int nl = s.indexOf('\n');
                return Optional.of(nl >= 0 ? s.substring(0, nl).strip() : s);
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public boolean exists(Path p) {
            return Files.exists(p);
        }
    };

    private final Environment env;
    private final Supplier<EngineProbe.Status> engine;

    public DoctorService() {
        this(SYSTEM, EngineProbe::probe);
    }

    public DoctorService(Environment env, Supplier<EngineProbe.Status> engine) {
        this.env = env;
        this.engine = engine;
    }

    /**
     * Builds the report.
     *
     * @param buildDir the project's build directory (free disk is measured where it is, or would be)
     */
    public DoctorReport run(Path buildDir) {
        List<Check> c = new ArrayList<>();
        String jv = System.getProperty("java.version");
        int feature = Runtime.version().feature();
        c.add(new Check(feature >= 17 ? Level.OK : Level.WARN, "Java", jv + " (" + System.getProperty("java.vendor")
                + ", " + System.getProperty("java.vm.name") + ")" + (feature >= 17 ? "" : ": Java 17+ is required")));
        c.add(new Check(Level.INFO, "OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " / " + System.getProperty("os.arch")));
        c.add(cpu());
        c.add(new Check(Level.INFO, "Cores", Runtime.getRuntime().availableProcessors() + " available to the JVM"));
        long[] mem = memory();
        c.add(new Check(mem[0] > 0 ? Level.INFO : Level.WARN, "Memory", mem[0] > 0
                ? bytes(mem[0]) + " total, " + bytes(mem[1]) + " available; JVM max heap "
                + bytes(Runtime.getRuntime().maxMemory())
                : "unknown"));
        c.add(disk(buildDir));
        EngineProbe.Status e = engine.get();
        c.add(new Check(e.loaded() ? Level.OK : Level.WARN, "Native engine", e.summary()));
        c.add(gpu());
        c.add(tool("node", List.of("node", "--version"), "needed to run npm-distributed MCP servers"));
        c.add(tool("npx", List.of("npx", "--version"), "needed for -Dforge.server=\"npx ...\""));
        c.add(secret("OPENAI_API_KEY", "only needed for the OpenAI-compatible teacher; the offline synthesizer "
                + "needs none"));
        c.add(secret("HF_TOKEN", "only needed to download gated hf: base models"));
        return new DoctorReport(c, models(mem[0], mem[1]));
    }

    private Check cpu() {
        Optional<String> info = env.readFile(Path.of("/proc/cpuinfo"));
        if (info.isEmpty()) {
            return new Check(Level.INFO, "CPU", "features unknown (no /proc/cpuinfo on this OS)");
        }
        String model = null;
        Set<String> flags = new LinkedHashSet<>();
        for (String line : info.get().split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String val = line.substring(colon + 1).trim();
            if (model == null && key.equals("model name")) {
                model = val;
            } else if (flags.isEmpty() && (key.equals("flags") || key.equals("Features"))) {
                flags.addAll(List.of(val.split("\\s+")));
            }
        }
        List<String> have = new ArrayList<>();
        for (String f : List.of("avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16",
                "amx_tile", "neon", "asimd")) {
            if (flags.contains(f)) {
                have.add(f.toUpperCase(Locale.ROOT));
            }
        }
        boolean avx2 = flags.contains("avx2") || flags.contains("asimd") || flags.contains("neon");
        String s = (model == null ? "" : model + "; ") + (have.isEmpty() ? "no SIMD flags reported" : String.join(" ",
                have));
        return new Check(avx2 ? Level.OK : Level.WARN, "CPU", s + (avx2 ? ""
                : " (no AVX2: the engine's slowest CPU variant will be used)"));
    }

    /** {total, available} bytes; {0, 0} when unknown. */
    long[] memory() {
        Optional<String> mi = env.readFile(Path.of("/proc/meminfo"));
        if (mi.isPresent()) {
            long total = meminfo(mi.get(), "MemTotal");
            long avail = meminfo(mi.get(), "MemAvailable");
            if (total > 0) {
                return new long[] {total, avail > 0 ? avail : meminfo(mi.get(), "MemFree")};
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new long[] {os.getTotalMemorySize(), os.getFreeMemorySize()};
        }
        return new long[] {0, 0};
    }

    private static long meminfo(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                try {
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static Check disk(Path buildDir) {
        Path p = buildDir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return new Check(Level.WARN, "Disk", "unknown (no existing directory above " + buildDir + ")");
        }
        try {
            long free = Files.getFileStore(p).getUsableSpace();
            boolean low = free < 2L * 1024 * 1024 * 1024;
            return new Check(low ? Level.WARN : Level.OK, "Disk", bytes(free) + " free at " + p
                    + (low ? " (less than 2 GiB: models and checkpoints may not fit)" : ""));
        } catch (IOException e) {
            return new Check(Level.WARN, "Disk", "unknown at " + p + ": " + e.getMessage());
        }
    }

    private Check gpu() {
        Optional<String> smi = env.run(List.of("nvidia-smi", "--query-gpu=name,memory.total,driver_version",
                "--format=csv,noheader"));
        if (smi.isPresent() && !smi.get().isBlank()) {
            return new Check(Level.OK, "GPU", "NVIDIA " + smi.get() + " (CUDA needs a CUDA build of the engine)");
        }
        if (env.exists(Path.of("/dev/nvidia0"))) {
            return new Check(Level.INFO, "GPU", "/dev/nvidia0 present but nvidia-smi did not answer");
        }
        return new Check(Level.INFO, "GPU", "none found (CPU only; everything works, training is slower)");
    }

    private Check tool(String name, List<String> cmd, String why) {
        Optional<String> v = env.run(cmd);
        return v.map(s -> new Check(Level.OK, name, s))
                .orElseGet(() -> new Check(Level.WARN, name, "not found on PATH (" + why + ")"));
    }

    private Check secret(String name, String why) {
        String v = env.getenv(name);
        boolean set = v != null && !v.isBlank();
        return new Check(set ? Level.OK : Level.INFO, name, set ? "set" : "not set (" + why + ")");
    }

    static List<ModelFit> models(long total, long available) {
        List<ModelFit> out = new ArrayList<>();
        for (Object[] m : KNOWN_MODELS) {
            long params = (Long) m[1];
            long weights = params * 4;
            long train = weights * 4;
            String verdict = total <= 0 ? "unknown" : train <= available ? "yes" : train <= total ? "tight" : "no";
            out.add(new ModelFit((String) m[0], params, weights, train, verdict));
        }
        return out;
    }

    /** Human bytes in binary units, e.g. {@code 23.4 GiB}. */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
