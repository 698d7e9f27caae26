package dev.mcpforge.engine.graph;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.NativeEngine;
import dev.mcpforge.engine.NativeLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * ggml's public API from Java: {@code libggml-base} (graph building, autodiff, allocation) and the CPU backend of the
 * {@code libggml-cpu[-<variant>]} module the backend registry picked (loaded by {@link NativeLoader}). One CPU backend
 * per runtime; close it when done.
 */
public final class GgmlRuntime implements AutoCloseable {
    private final GgmlTrainLibrary g;
    private final Pointer backend;
    private final int threads;

    private GgmlRuntime(GgmlTrainLibrary g, Pointer backend, int threads) {
        this.g = g;
        this.backend = backend;
        this.threads = threads;
    }

    /** A CPU backend with {@code threads} threads (0: all available processors). */
    public static GgmlRuntime open(int threads) {
        NativeEngine engine = NativeLoader.load();
        Path dir = engine.libraryDir();
        GgmlTrainLibrary g = Native.load(dir.resolve(library(dir, "libggml-base")).toString(), GgmlTrainLibrary.class);
        Path cpuFile = engine.cpuLibrary();
        if (cpuFile == null || !Files.isRegularFile(cpuFile)) {
            throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "No CPU backend module (libggml-cpu*.so) "
                    + "from " + dir + " is loaded (variant '" + engine.cpuVariant() + "'): rebuild forge-native.");
        }
        // already loaded by the backend registry: dlopen returns the same handle
        GgmlCpuLibrary cpu = Native.load(cpuFile.toString(), GgmlCpuLibrary.class);
        Pointer backend = cpu.ggml_backend_cpu_init();
        if (backend == null) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "ggml_backend_cpu_init failed");
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        cpu.ggml_backend_cpu_set_n_threads(backend, n);
        return new GgmlRuntime(g, backend, n);
    }

    /**
     * The file name of the extracted library {@code prefix*.so} in {@code dir} (versioned names, G1), not a longer
     * library that shares the prefix ({@code libllama-common} for {@code libllama}).
     */
    public static String library(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.contains(".so") && !n.startsWith(prefix + "-common"))
                    .sorted().findFirst()
                    .orElseThrow(() -> new EngineException(EngineException.Kind.NATIVE_LIBRARY, "No " + prefix
                            + "*.so in " + dir + ": rebuild forge-native."));
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "Cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    public GgmlTrainLibrary ggml() {
        return g;
    }

    public Pointer backend() {
        return backend;
    }

    public int threads() {
        return threads;
    }

    /** A ggml context holding tensor metadata only (data lives in backend buffers): room for {@code tensors}. */
    public Pointer newMetaContext(long tensors, long graphSize, int graphs) {
        GgmlTrainLibrary.InitParams.ByValue p = new GgmlTrainLibrary.InitParams.ByValue();
        p.mem_size = tensors * g.ggml_tensor_overhead() + graphs * g.ggml_graph_overhead_custom(graphSize, true);
        p.mem_buffer = Pointer.NULL;
        p.no_alloc = 1;
        Pointer ctx = g.ggml_init(p);
        if (ctx == null) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "ggml_init failed (" + p.mem_size + " bytes)");
        }
        return ctx;
    }

    /** Computes a graph whose tensors are allocated; fails loudly on a non-success status. */
    public void compute(Pointer graph) {
        int st = g.ggml_backend_graph_compute(backend, graph);
        if (st != 0) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "ggml_backend_graph_compute returned status " + st);
        }
    }

    @Override
    public void close() {
        g.ggml_backend_free(backend);
    }
}
