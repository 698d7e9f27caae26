package dev.mcpforge.engine.llama;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** {@code struct llama_model_quantize_params}: 64 bytes on x86-64; passed by reference to llama_model_quantize. */
@Structure.FieldOrder({"nthread", "ftype", "output_tensor_type", "token_embedding_type", "allow_requantize",
        "quantize_output_tensor", "only_copy", "pure", "keep_split", "dry_run", "imatrix", "kv_overrides",
        "tt_overrides", "prune_layers", "max_buf_size"})
public class LlamaModelQuantizeParams extends Structure {
    public int nthread;
    public int ftype;
    public int output_tensor_type;
    public int token_embedding_type;
    public byte allow_requantize;
    public byte quantize_output_tensor;
    public byte only_copy;
    public byte pure;
    public byte keep_split;
    public byte dry_run;
    public Pointer imatrix;
    public Pointer kv_overrides;
    public Pointer tt_overrides;
    public Pointer prune_layers;
    public long max_buf_size;

    public LlamaModelQuantizeParams() {
    }

    /** A by-reference copy of the library defaults. */
    public static LlamaModelQuantizeParams copyOf(LlamaModelQuantizeParams src) {
        LlamaModelQuantizeParams p = new LlamaModelQuantizeParams();
        p.nthread = src.nthread;
        p.ftype = src.ftype;
        p.output_tensor_type = src.output_tensor_type;
        p.token_embedding_type = src.token_embedding_type;
        p.allow_requantize = src.allow_requantize;
        p.quantize_output_tensor = src.quantize_output_tensor;
        p.only_copy = src.only_copy;
        p.pure = src.pure;
        p.keep_split = src.keep_split;
        p.dry_run = src.dry_run;
        p.imatrix = src.imatrix;
        p.kv_overrides = src.kv_overrides;
        p.tt_overrides = src.tt_overrides;
        p.prune_layers = src.prune_layers;
        p.max_buf_size = src.max_buf_size;
        return p;
    }

    public static class ByValue extends LlamaModelQuantizeParams implements Structure.ByValue {
    }
}
