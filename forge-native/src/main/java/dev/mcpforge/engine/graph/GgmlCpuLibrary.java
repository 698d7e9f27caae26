package dev.mcpforge.engine.graph;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The CPU backend's own entry points, exported by the {@code libggml-cpu-<variant>} module the registry loaded. */
public interface GgmlCpuLibrary extends Library {
    Pointer ggml_backend_cpu_init();
    void ggml_backend_cpu_set_n_threads(Pointer backendCpu, int nThreads);
}
