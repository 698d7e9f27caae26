package dev.mcpforge.engine.llama;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * JNA binding of the part of {@code llama.h} (llama.cpp release v0.5.0) the engine uses. Loaded by absolute path
 * ({@code libllama.v0.5.0.so}) by {@link dev.mcpforge.engine.NativeLoader}. Struct layouts: see the structure
 * classes in this package and /work/shared/design/engine-notes.md; re-verify them with
 * {@code forge-native/src/build/layout-check.c} whenever the pinned library changes.
 */
public interface LlamaLibrary extends Library {

    /** {@code ggml_log_callback}: level is ggml_log_level (0 none, 1 debug, 2 info, 3 warn, 4 error, 5 cont). */
    interface LogCallback extends Callback {
        void invoke(int level, String text, Pointer userData);
    }

    String llama_version();
    String llama_print_system_info();
    void llama_log_set(LogCallback callback, Pointer userData);
    void llama_backend_init();
    void llama_backend_free();
    long llama_time_us();

    LlamaModelParams.ByValue llama_model_default_params();
    LlamaContextParams.ByValue llama_context_default_params();
    LlamaSamplerChainParams.ByValue llama_sampler_chain_default_params();
    LlamaModelQuantizeParams.ByValue llama_model_quantize_default_params();

    // model
    Pointer llama_model_load_from_file(String path, LlamaModelParams.ByValue params);
    void llama_model_free(Pointer model);
    Pointer llama_model_get_vocab(Pointer model);
    int llama_model_n_ctx_train(Pointer model);
    int llama_model_n_embd(Pointer model);
    int llama_model_n_layer(Pointer model);
    long llama_model_n_params(Pointer model);
    long llama_model_size(Pointer model);
    int llama_model_desc(Pointer model, byte[] buf, long bufSize);
    String llama_model_chat_template(Pointer model, String name);
    int llama_model_meta_count(Pointer model);
    int llama_model_meta_key_by_index(Pointer model, int i, byte[] buf, long bufSize);
    int llama_model_meta_val_str_by_index(Pointer model, int i, byte[] buf, long bufSize);
    int llama_model_meta_val_str(Pointer model, String key, byte[] buf, long bufSize);
    /** Returns 0 on success. */
    int llama_model_quantize(String fnameIn, String fnameOut, LlamaModelQuantizeParams params);

    // context
    Pointer llama_init_from_model(Pointer model, LlamaContextParams.ByValue params);
    void llama_free(Pointer ctx);
    int llama_n_ctx(Pointer ctx);
    int llama_n_batch(Pointer ctx);
    Pointer llama_get_memory(Pointer ctx);
    void llama_memory_clear(Pointer memory, boolean data);
    /** Removes the tokens of {@code seqId} at positions [p0, p1) (p1 &lt; 0: to the end); false if it cannot. */
    boolean llama_memory_seq_rm(Pointer memory, int seqId, int p0, int p1);
    /** The largest position of {@code seqId} in the memory, -1 if the sequence is empty. */
    int llama_memory_seq_pos_max(Pointer memory, int seqId);
    /** The batch stores {@code tokens} as a raw pointer: it must be native memory kept alive until decode returns. */
    LlamaBatch.ByValue llama_batch_get_one(Pointer tokens, int nTokens);
    /** 0 ok, 1 no KV slot, 2 aborted, -1 invalid input, < -1 error. */
    int llama_decode(Pointer ctx, LlamaBatch.ByValue batch);

    /** Logits of output i of the last decode (-1: the last one); n_vocab floats owned by the context. */
    Pointer llama_get_logits_ith(Pointer ctx, int i);

    // vocab
    int llama_vocab_n_tokens(Pointer vocab);
    int llama_vocab_bos(Pointer vocab);
    int llama_vocab_eos(Pointer vocab);
    int llama_vocab_eot(Pointer vocab);
    boolean llama_vocab_is_eog(Pointer vocab, int token);
    boolean llama_vocab_is_control(Pointer vocab, int token);
    boolean llama_vocab_get_add_bos(Pointer vocab);
    boolean llama_vocab_get_add_eos(Pointer vocab);
    String llama_vocab_get_text(Pointer vocab, int token);
    int llama_tokenize(Pointer vocab, byte[] text, int textLen, int[] tokens, int nTokensMax,
                       boolean addSpecial, boolean parseSpecial);
    int llama_token_to_piece(Pointer vocab, int token, byte[] buf, int length, int lstrip, boolean special);
    int llama_detokenize(Pointer vocab, int[] tokens, int nTokens, byte[] text, int textLenMax,
                         boolean removeSpecial, boolean unparseSpecial);

    // sampling
    Pointer llama_sampler_chain_init(LlamaSamplerChainParams.ByValue params);
    void llama_sampler_chain_add(Pointer chain, Pointer sampler);
    int llama_sampler_chain_n(Pointer chain);
    Pointer llama_sampler_init_greedy();
    Pointer llama_sampler_init_dist(int seed);
    Pointer llama_sampler_init_top_k(int k);
    Pointer llama_sampler_init_top_p(float p, long minKeep);
    Pointer llama_sampler_init_temp(float t);
    /** Returns NULL if the grammar does not parse. */
    Pointer llama_sampler_init_grammar(Pointer vocab, String grammar, String root);
    int llama_sampler_sample(Pointer sampler, Pointer ctx, int idx);
    void llama_sampler_accept(Pointer sampler, int token);
    void llama_sampler_reset(Pointer sampler);
    void llama_sampler_free(Pointer sampler);
}
