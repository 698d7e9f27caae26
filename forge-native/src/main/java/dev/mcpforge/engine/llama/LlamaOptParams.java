package dev.mcpforge.engine.llama;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * {@code struct llama_opt_params}: 48 bytes on x86-64 (engine-notes §2): {@code n_ctx_train} u32 0,
 * {@code param_filter} 8, {@code param_filter_ud} 16, {@code get_opt_pars} 24, {@code get_opt_pars_ud} 32,
 * {@code optimizer_type} 40 (0 AdamW, 1 SGD).
 */
@Structure.FieldOrder({"n_ctx_train", "param_filter", "param_filter_ud", "get_opt_pars", "get_opt_pars_ud",
        "optimizer_type"})
public class LlamaOptParams extends Structure {
    public int n_ctx_train;
    public Pointer param_filter;
    public Pointer param_filter_ud;
    public Pointer get_opt_pars;
    public Pointer get_opt_pars_ud;
    public int optimizer_type;

    public static class ByValue extends LlamaOptParams implements Structure.ByValue {
    }
}
