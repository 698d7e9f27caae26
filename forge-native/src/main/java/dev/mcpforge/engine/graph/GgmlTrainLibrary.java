package dev.mcpforge.engine.graph;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * JNA binding of the part of ggml's public API (ggml.h, ggml-alloc.h, ggml-backend.h of llama.cpp release v0.5.0,
 * all exported by {@code libggml-base}) that the project's own training graph uses. Signatures are copied from the
 * release headers; the one struct passed by value ({@link InitParams}) was checked with a layout program (24 bytes:
 * size_t 0, void* 8, bool 16). C {@code bool} arguments and results map to Java {@code boolean} (engine-notes G3).
 */
public interface GgmlTrainLibrary extends Library {
    int TYPE_F32 = 0;
    int TYPE_F16 = 1;
    int TYPE_I32 = 26;
    int ROPE_NORMAL = 0;
    int ROPE_NEOX = 2;

    /** {@code struct ggml_init_params} (24 bytes). */
    @Structure.FieldOrder({"mem_size", "mem_buffer", "no_alloc"})
    class InitParams extends Structure {
        public long mem_size;
        public Pointer mem_buffer;
        public byte no_alloc;

        public static class ByValue extends InitParams implements Structure.ByValue {
        }
    }

    long ggml_tensor_overhead();
    long ggml_graph_overhead_custom(long size, boolean grads);
    Pointer ggml_init(InitParams.ByValue params);
    void ggml_free(Pointer ctx);

    Pointer ggml_new_tensor(Pointer ctx, int type, int nDims, long[] ne);
    Pointer ggml_new_tensor_1d(Pointer ctx, int type, long ne0);
    Pointer ggml_new_tensor_2d(Pointer ctx, int type, long ne0, long ne1);
    Pointer ggml_new_tensor_4d(Pointer ctx, int type, long ne0, long ne1, long ne2, long ne3);
    Pointer ggml_set_name(Pointer tensor, String name);
    String ggml_get_name(Pointer tensor);
    void ggml_set_input(Pointer tensor);
    void ggml_set_output(Pointer tensor);
    void ggml_set_param(Pointer tensor);
    void ggml_set_loss(Pointer tensor);
    long ggml_nelements(Pointer tensor);
    long ggml_nbytes(Pointer tensor);

    // operations (each has a backward in ggml_compute_backward)
    Pointer ggml_get_rows(Pointer ctx, Pointer a, Pointer rows);
    Pointer ggml_mul_mat(Pointer ctx, Pointer a, Pointer b);
    Pointer ggml_add(Pointer ctx, Pointer a, Pointer b);
    Pointer ggml_mul(Pointer ctx, Pointer a, Pointer b);
    Pointer ggml_scale(Pointer ctx, Pointer a, float s);
    Pointer ggml_rms_norm(Pointer ctx, Pointer a, float eps);
    Pointer ggml_silu(Pointer ctx, Pointer a);
    Pointer ggml_cont(Pointer ctx, Pointer a);
    Pointer ggml_reshape_2d(Pointer ctx, Pointer a, long ne0, long ne1);
    Pointer ggml_reshape_3d(Pointer ctx, Pointer a, long ne0, long ne1, long ne2);
    Pointer ggml_reshape_4d(Pointer ctx, Pointer a, long ne0, long ne1, long ne2, long ne3);
    Pointer ggml_permute(Pointer ctx, Pointer a, int axis0, int axis1, int axis2, int axis3);
    Pointer ggml_soft_max_ext(Pointer ctx, Pointer a, Pointer mask, float scale, float maxBias);
    Pointer ggml_rope_ext(Pointer ctx, Pointer a, Pointer positions, Pointer freqFactors, int nDims, int mode,
                          int nCtxOrig, float freqBase, float freqScale, float extFactor, float attnFactor,
                          float betaFast, float betaSlow);
    Pointer ggml_cross_entropy_loss(Pointer ctx, Pointer logits, Pointer labels);
    /** I32 [rows]: index of the largest value of each row (no backward; used for accuracy). */
    Pointer ggml_argmax(Pointer ctx, Pointer a);
    Pointer ggml_opt_step_adamw(Pointer ctx, Pointer a, Pointer grad, Pointer m, Pointer v, Pointer adamwParams);

    // graphs
    Pointer ggml_new_graph_custom(Pointer ctx, long size, boolean grads);
    Pointer ggml_graph_dup(Pointer ctx, Pointer graph, boolean forceGrads);
    void ggml_build_forward_expand(Pointer graph, Pointer tensor);
    void ggml_build_backward_expand(Pointer ctx, Pointer graph, Pointer gradAccs);
    void ggml_graph_reset(Pointer graph);
    int ggml_graph_n_nodes(Pointer graph);
    Pointer ggml_graph_node(Pointer graph, int i);

    // backend, allocation, data transfer
    Pointer ggml_backend_alloc_ctx_tensors(Pointer ctx, Pointer backend);
    void ggml_backend_buffer_free(Pointer buffer);
    Pointer ggml_backend_get_default_buffer_type(Pointer backend);
    /** Returns enum ggml_status: 0 is success. */
    int ggml_backend_graph_compute(Pointer backend, Pointer graph);
    void ggml_backend_free(Pointer backend);
    void ggml_backend_tensor_set(Pointer tensor, float[] data, long offset, long size);
    void ggml_backend_tensor_set(Pointer tensor, int[] data, long offset, long size);
    void ggml_backend_tensor_get(Pointer tensor, float[] data, long offset, long size);
    void ggml_backend_tensor_get(Pointer tensor, int[] data, long offset, long size);
    void ggml_backend_tensor_memset(Pointer tensor, byte value, long offset, long size);
    Pointer ggml_gallocr_new(Pointer bufferType);
    boolean ggml_gallocr_alloc_graph(Pointer galloc, Pointer graph);
    long ggml_gallocr_get_buffer_size(Pointer galloc, int bufferId);
    void ggml_gallocr_free(Pointer galloc);
}
