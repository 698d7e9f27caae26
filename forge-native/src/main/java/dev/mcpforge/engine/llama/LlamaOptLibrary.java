package dev.mcpforge.engine.llama;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * JNA binding of llama.cpp's training API ({@code llama_opt_*}, {@code llama_model_save_to_file}) of release v0.5.0,
 * loaded from the same {@code libllama} file as {@link LlamaLibrary}. Kept apart so the inference binding stays small.
 */
public interface LlamaOptLibrary extends Library {

    /** {@code llama_opt_param_filter}: returns true (1) when the tensor is to be trained. */
    interface ParamFilter extends Callback {
        byte invoke(Pointer tensor, Pointer userData);
    }

    /**
     * {@code ggml_opt_epoch_callback}: called after every ubatch evaluation with the optimizer context
     * ({@code ggml_opt_context_t}), the dataset, the result so far, the ubatch index (1-based) and count, and the start
     * time of the loop in microseconds.
     */
    interface EpochCallback extends Callback {
        void invoke(byte train, Pointer optCtx, Pointer dataset, Pointer result, long ibatch, long ibatchMax,
                    long tStartUs);
    }

    void llama_opt_init(Pointer ctx, Pointer model, LlamaOptParams.ByValue params);

    void llama_opt_epoch(Pointer ctx, Pointer dataset, Pointer resultTrain, Pointer resultEval, long idataSplit,
                         EpochCallback callbackTrain, EpochCallback callbackEval);

    void llama_model_save_to_file(Pointer model, String path);
}
