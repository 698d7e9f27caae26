/*
 * Layout checker for the JNA structures in dev.mcpforge.engine.llama: prints sizeof/offsetof of the structs the
 * binding passes by value or by reference, as compiled against the release headers, and a few defaults returned by
 * the prebuilt libraries. Re-run it whenever llama.npm.version changes and compare with the Java classes.
 *
 *   git clone <node-llama-cpp>/llama/gitRelease.bundle llama.cpp          # headers of the same release
 *   LIB=~/.cache/mcp-forge/native/<hash>
 *   cc -I llama.cpp/include -I llama.cpp/ggml/include layout-check.c $LIB/libllama.v0.5.0.so \
 *      -Wl,-rpath,$LIB -o /tmp/layout-check && /tmp/layout-check
 */
#include <stddef.h>
#include <stdio.h>
#include "llama.h"

#define OFF(T, f) printf("  %-28s %3zu\n", #f, offsetof(struct T, f))

int main(void) {
    printf("llama_model_params %zu\n", sizeof(struct llama_model_params));
    OFF(llama_model_params, n_gpu_layers); OFF(llama_model_params, load_mode); OFF(llama_model_params, main_gpu);
    OFF(llama_model_params, tensor_split); OFF(llama_model_params, kv_overrides); OFF(llama_model_params, vocab_only);
    OFF(llama_model_params, load_mtp);
    printf("llama_context_params %zu\n", sizeof(struct llama_context_params));
    OFF(llama_context_params, n_threads_batch); OFF(llama_context_params, flash_attn_type);
    OFF(llama_context_params, rope_freq_base); OFF(llama_context_params, defrag_thold);
    OFF(llama_context_params, cb_eval); OFF(llama_context_params, type_k); OFF(llama_context_params, abort_callback);
    OFF(llama_context_params, embeddings); OFF(llama_context_params, kv_unified); OFF(llama_context_params, samplers);
    OFF(llama_context_params, n_samplers); OFF(llama_context_params, ctx_other);
    printf("llama_batch %zu\n", sizeof(struct llama_batch));
    OFF(llama_batch, token); OFF(llama_batch, logits);
    printf("llama_model_quantize_params %zu\n", sizeof(struct llama_model_quantize_params));
    OFF(llama_model_quantize_params, allow_requantize); OFF(llama_model_quantize_params, dry_run);
    OFF(llama_model_quantize_params, imatrix); OFF(llama_model_quantize_params, max_buf_size);
    printf("llama_sampler_chain_params %zu\n", sizeof(struct llama_sampler_chain_params));
    struct llama_model_params mp = llama_model_default_params();
    struct llama_context_params cp = llama_context_default_params();
    struct llama_model_quantize_params qp = llama_model_quantize_default_params();
    printf("defaults: load_mode=%d n_ctx=%u n_batch=%u n_ubatch=%u n_threads=%d flash_attn=%d qp.ftype=%d qp.nthread=%d\n",
           mp.load_mode, cp.n_ctx, cp.n_batch, cp.n_ubatch, cp.n_threads, cp.flash_attn_type, qp.ftype, qp.nthread);
    return 0;
}
