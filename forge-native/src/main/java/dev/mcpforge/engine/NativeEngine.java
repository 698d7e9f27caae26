package dev.mcpforge.engine;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.mcpforge.engine.llama.GgmlLibrary;
import dev.mcpforge.engine.llama.LlamaLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The loaded llama.cpp libraries (one per JVM, from {@link NativeLoader#load()}). */
public final class NativeEngine {
    private static final Pattern CPU_VARIANT = Pattern.compile("(libggml-cpu(?:-([A-Za-z0-9_]+))?\\.so[0-9.]*)");

    private final LlamaLibrary llama;
    private final GgmlLibrary ggml;
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final NativeLibrary ggmlBase; // kept loaded
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final LlamaLibrary.LogCallback logCallback; // strong reference: native code holds its trampoline
    private final Path libraryDir;
    private final Properties properties;
    private final long loadMillis;

    NativeEngine(LlamaLibrary llama, GgmlLibrary ggml, NativeLibrary ggmlBase, LlamaLibrary.LogCallback logCallback,
                 Path libraryDir, Properties properties, long loadMillis) {
        this.llama = llama;
        this.ggml = ggml;
        this.ggmlBase = ggmlBase;
        this.logCallback = logCallback;
        this.libraryDir = libraryDir;
        this.properties = properties;
        this.loadMillis = loadMillis;
    }

    public LlamaLibrary llama() {
        return llama;
    }

    public GgmlLibrary ggml() {
        return ggml;
    }

    public Path libraryDir() {
        return libraryDir;
    }

    public String llamaRelease() {
        return properties.getProperty("llama.release", "?");
    }

    public String llamaVersion() {
        return llama.llama_version();
    }

    public String systemInfo() {
        return llama.llama_print_system_info().strip();
    }

    /**
     * The CPU backend the backend registry picked: the {@code <variant>} of {@code libggml-cpu-<variant>.so} (the
     * prebuilt portable variants, e.g. "haswell"), "native" for the single {@code libggml-cpu.so} of a source
     * build ({@code -Pnative-cpu}), or "unknown".
     */
    public String cpuVariant() {
        CpuModule m = cpuModule();
        return m == null ? "unknown" : m.variant();
    }

    /** The file of the CPU backend module the registry loaded (in {@link #libraryDir()}), or null. */
    public Path cpuLibrary() {
        CpuModule m = cpuModule();
        return m == null ? null : libraryDir.resolve(m.file());
    }

    /** A loaded CPU backend module: its file name and variant ("native" for a source build's libggml-cpu.so). */
    record CpuModule(String file, String variant) {
    }

    private CpuModule cpuModule() {
        try {
            return cpuModule(Files.readAllLines(Path.of("/proc/self/maps")), libraryDir);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The CPU backend module among the memory-map lines of files in {@code dir} ("native" for a variant-less
     * {@code libggml-cpu.so[.N]}), or null.
     */
    static CpuModule cpuModule(List<String> mapsLines, Path dir) {
        for (String line : mapsLines) {
            if (line.contains(dir + "/")) {
                Matcher m = CPU_VARIANT.matcher(line.substring(line.indexOf(dir + "/") + dir.toString().length() + 1));
                if (m.lookingAt()) {
                    return new CpuModule(m.group(1), m.group(2) == null ? "native" : m.group(2));
                }
            }
        }
        return null;
    }

    /** Registered backends, e.g. ["CPU"]. */
    public List<String> backends() {
        List<String> out = new ArrayList<>();
        long n = ggml.ggml_backend_reg_count();
        for (long i = 0; i < n; i++) {
            out.add(ggml.ggml_backend_reg_name(ggml.ggml_backend_reg_get(i)));
        }
        return out;
    }

    /** Devices as "name: description", e.g. "CPU: AMD EPYC 9R14". */
    public List<String> devices() {
        List<String> out = new ArrayList<>();
        long n = ggml.ggml_backend_dev_count();
        for (long i = 0; i < n; i++) {
            Pointer d = ggml.ggml_backend_dev_get(i);
            out.add(ggml.ggml_backend_dev_name(d) + ": " + ggml.ggml_backend_dev_description(d));
        }
        return out;
    }

    public EngineProbe probe() {
        return new EngineProbe(true, null, llamaRelease(), llamaVersion(), properties.getProperty("npm.package", "?")
                + "@" + properties.getProperty("npm.version", "?"), NativeLoader.cacheRoot().toString(),
                libraryDir.toString(), cpuVariant(), backends(), devices(), systemInfo(), loadMillis);
    }
}
