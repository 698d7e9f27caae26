package dev.mcpforge.engine.graph;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.mcpforge.engine.NativeEngine;
import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.llama.LlamaBatch;
import dev.mcpforge.engine.llama.LlamaContextParams;
import dev.mcpforge.engine.llama.LlamaLibrary;
import dev.mcpforge.engine.llama.Model;
import java.nio.file.Path;

/** llama.cpp's own inference as the reference: logits of every position of one sequence through llama_decode. */
final class LlamaReference {
    interface Logits extends Library {
        Pointer llama_get_logits(Pointer ctx);

        Pointer llama_adapter_lora_init(Pointer model, String path);

        int llama_set_adapters_lora(Pointer ctx, Pointer[] adapters, long n, float[] scales);
    }

    private LlamaReference() {
    }

    /** Logits [T][V] flattened for {@code tokens} decoded as one sequence from position 0 (F32 KV cache, no flash attention). */
    static float[] logits(Path gguf, int[] tokens) {
        return logits(gguf, tokens, null);
    }

    /** The same with a LoRA adapter GGUF applied at scale 1 (llama_adapter_lora_init + llama_set_adapters_lora). */
    static float[] logits(Path gguf, int[] tokens, Path adapter) {
        NativeEngine e = NativeLoader.load();
        LlamaLibrary l = e.llama();
        Logits lg = Native.load(e.libraryDir().resolve(GgmlRuntime.library(e.libraryDir(), "libllama")).toString(), Logits.class);
        try (Model m = Model.load(gguf)) {
            LlamaContextParams.ByValue p = l.llama_context_default_params();
            p.n_ctx = 256;
            p.n_batch = 256;
            p.n_ubatch = 256;
            p.n_seq_max = 1;
            p.n_threads = 1;
            p.n_threads_batch = 1;
            p.type_k = 0;
            p.type_v = 0;
            p.flash_attn_type = 0;
            p.no_perf = 1;
            Pointer ctx = l.llama_init_from_model(m.handle(), p);
            try {
                if (adapter != null) {
                    Pointer a = lg.llama_adapter_lora_init(m.handle(), adapter.toString());
                    if (a == null) {
                        throw new AssertionError("llama_adapter_lora_init rejected " + adapter);
                    }
                    int rc = lg.llama_set_adapters_lora(ctx, new Pointer[] {a}, 1, new float[] {1f});
                    if (rc != 0) {
                        throw new AssertionError("llama_set_adapters_lora returned " + rc);
                    }
                }
                int n = tokens.length;
                Memory tok = new Memory(4L * n);
                Memory pos = new Memory(4L * n);
                Memory nSeq = new Memory(4L * n);
                Memory seq0 = new Memory(4);
                seq0.setInt(0, 0);
                Memory seqIds = new Memory((long) Native.POINTER_SIZE * n);
                Memory out = new Memory(n);
                for (int i = 0; i < n; i++) {
                    tok.setInt(4L * i, tokens[i]);
                    pos.setInt(4L * i, i);
                    nSeq.setInt(4L * i, 1);
                    seqIds.setPointer((long) Native.POINTER_SIZE * i, seq0);
                    out.setByte(i, (byte) 1);
                }
                LlamaBatch.ByValue b = new LlamaBatch.ByValue();
                b.n_tokens = n;
                b.token = tok;
                b.pos = pos;
                b.n_seq_id = nSeq;
                b.seq_id = seqIds;
                b.logits = out;
                int rc = l.llama_decode(ctx, b);
                if (rc != 0) {
                    throw new AssertionError("llama_decode returned " + rc);
                }
                int nVocab = l.llama_vocab_n_tokens(m.vocab().handle());
                return lg.llama_get_logits(ctx).getFloatArray(0, n * nVocab);
            } finally {
                l.llama_free(ctx);
            }
        }
    }
}
