package dev.mcpforge.engine.llama;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** {@code struct llama_model_params}: 80 bytes on x86-64 (C bool = byte). */
@Structure.FieldOrder({"devices", "tensor_buft_overrides", "n_gpu_layers", "split_mode", "load_mode", "lazy_mode",
        "main_gpu", "tensor_split", "progress_callback", "progress_callback_user_data", "kv_overrides",
        "vocab_only", "check_tensors", "use_extra_bufts", "no_host", "no_alloc", "load_mtp"})
public class LlamaModelParams extends Structure {
    /** llama_load_mode: -1 auto, 0 none (read into memory), 1 mmap, 2 mlock, 3 mmap+mlock, 4 direct io. */
    public static final int LOAD_MODE_NONE = 0;

    public Pointer devices;
    public Pointer tensor_buft_overrides;
    public int n_gpu_layers;
    public int split_mode;
    public int load_mode;
    public int lazy_mode;
    public int main_gpu;
    public Pointer tensor_split;
    public Pointer progress_callback;
    public Pointer progress_callback_user_data;
    public Pointer kv_overrides;
    public byte vocab_only;
    public byte check_tensors;
    public byte use_extra_bufts;
    public byte no_host;
    public byte no_alloc;
    public byte load_mtp;

    public static class ByValue extends LlamaModelParams implements Structure.ByValue {
    }
}
