package dev.mcpforge.engine.llama;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** JNA binding of the backend registry of {@code libggml} ({@code ggml-backend.h}). */
public interface GgmlLibrary extends Library {
    /** Loads every {@code libggml-*.so} backend module (CPU variants: the best-scoring one) from a directory. */
    void ggml_backend_load_all_from_path(String dir);
    long ggml_backend_reg_count();
    Pointer ggml_backend_reg_get(long index);
    String ggml_backend_reg_name(Pointer reg);
    long ggml_backend_dev_count();
    Pointer ggml_backend_dev_get(long index);
    String ggml_backend_dev_name(Pointer dev);
    String ggml_backend_dev_description(Pointer dev);
}
