package dev.mcpforge.engine.llama;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.mcpforge.engine.EngineException;

/** A {@code llama_context} (KV cache + compute buffers) over a {@link Model}; frees it on close. */
public final class Context implements AutoCloseable {
    private final LlamaLibrary l;
    private final Model model;
    private Pointer handle;
    private Memory tokenBuf = new Memory(4L * 512);
    private final int nUbatch;

    /**
     * @param nCtx    context length (llama.cpp pads it up to a multiple of 256)
     * @param threads generation threads (also used for batch processing)
     */
    public Context(Model model, int nCtx, int threads) {
        this(model, nCtx, threads, Math.min(nCtx, 512));
    }

    /** @param nUbatch micro-batch: llama_decode computes a batch in slices of this many tokens */
    public Context(Model model, int nCtx, int threads, int nUbatch) {
        this.model = model;
        this.l = model.engine().llama();
        LlamaContextParams.ByValue p = l.llama_context_default_params();
        p.n_ctx = nCtx;
        p.n_batch = nCtx;
        this.nUbatch = Math.max(1, Math.min(nCtx, nUbatch));
        p.n_ubatch = this.nUbatch;
        p.n_seq_max = 1;
        p.n_threads = threads;
        p.n_threads_batch = threads;
        p.no_perf = 1;
        this.handle = l.llama_init_from_model(model.handle(), p);
        if (handle == null) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "llama.cpp could not create a context of "
                    + nCtx + " tokens for " + model.path() + " (out of memory?)");
        }
    }

    public Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException("context is closed");
        }
        return handle;
    }

    public Model model() {
        return model;
    }

    /** The micro-batch size: a decode of n tokens is computed in slices of this many, from the first token on. */
    public int nUbatch() {
        return nUbatch;
    }

    /** The actual (padded) context length. */
    public int nCtx() {
        return l.llama_n_ctx(handle());
    }

    /** Forgets all decoded tokens. */
    public void clear() {
        l.llama_memory_clear(l.llama_get_memory(handle()), true);
    }

    /**
     * Keeps positions [0, n) of sequence 0 and forgets the rest, so the next {@link #decode} continues at position n.
     * Returns false when the memory cannot drop part of a sequence (e.g. recurrent models): then nothing is kept and
     * the caller must decode from position 0.
     */
    public boolean truncate(int n) {
        Pointer mem = l.llama_get_memory(handle());
        if (n <= 0) {
            l.llama_memory_clear(mem, true);
            return true;
        }
        if (!l.llama_memory_seq_rm(mem, 0, n, -1) || l.llama_memory_seq_pos_max(mem, 0) != n - 1) {
            l.llama_memory_clear(mem, true);
            return false;
        }
        return true;
    }

    /** Decodes tokens[from, from+n) as the next positions of sequence 0. */
    public void decode(int[] tokens, int from, int n) {
        long bytes = 4L * n;
        if (tokenBuf.size() < bytes) {
            tokenBuf.close();
            tokenBuf = new Memory(bytes);
        }
        // batch tokens must live in native memory until llama_decode returns (engine-notes G4)
        tokenBuf.write(0, tokens, from, n);
        LlamaBatch.ByValue batch = l.llama_batch_get_one(tokenBuf, n);
        int rc = l.llama_decode(handle(), batch);
        if (rc != 0) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "llama_decode failed with code " + rc
                    + (rc == 1 ? " (context full: raise the context size or shorten the prompt)" : ""));
        }
    }

    /** A copy of the logits of the last decoded token. */
    public float[] lastLogits() {
        Pointer p = l.llama_get_logits_ith(handle(), -1);
        if (p == null) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "no logits: decode a token first");
        }
        return p.getFloatArray(0, model.vocab().nTokens());
    }

    @Override
    public void close() {
        if (handle != null) {
            l.llama_free(handle);
            handle = null;
        }
        tokenBuf.close();
    }
}
