package dev.mcpforge.engine;

import dev.mcpforge.engine.llama.Context;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.llama.Sampler;
import dev.mcpforge.engine.llama.Vocab;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Prompt text to generated text on one model: tokenize, decode the prompt, then sample/decode token by token until
 * an end-of-generation token, a stop string or the token limit. Owns one context. Not thread-safe.
 *
 * <p><b>Prefix cache.</b> The context remembers which tokens its KV cache holds. A new request keeps the longest
 * common token prefix with the previous prompt ({@code llama_memory_seq_rm} drops the rest) and decodes only its new
 * suffix. Looped validation profits most: every case's prompt starts with the same system prompt and tool list (often
 * over 1,000 tokens), and the final-answer prompt extends the first one.
 *
 * <p>The output is bit-for-bit the output of a cleared context, because the kept prefix is cut at a multiple of the
 * micro-batch ({@link #UBATCH}) and never includes generated tokens. llama.cpp computes a decode in micro-batches
 * from its first token, and the numbers it computes for a token depend on the size of its micro-batch (measured: a
 * 48-token tail decoded on its own moves the logits by 0.04; a token decoded alone, as generated tokens are, by
 * 1e-6). Cut at a micro-batch boundary, the suffix is split exactly as a fresh decode of the whole prompt would split
 * it, and the kept tokens were computed in the same full micro-batches a fresh decode computes. Tested by
 * {@code PrefixCacheTest}. {@link #prefixCache(boolean)} turns the cache off.
 */
public final class Generator implements AutoCloseable {
    /** Upper bound of the default context size. */
    public static final int DEFAULT_MAX_CTX = 4096;
    /**
     * Micro-batch size, and the granularity of the prefix cache: smaller keeps more of a shared prefix (at most
     * UBATCH - 1 shared tokens are decoded again), larger decodes long prompts a little faster (on the tiny model,
     * 128 vs 512: about 10 %, within noise on the loaded build machine).
     */
    public static final int UBATCH = 128;

    private final Model model;
    private final Context ctx;
    /** The tokens the KV cache holds, in position order: kv[0, kvLen). */
    private int[] kv = new int[0];
    private int kvLen;
    /** kv[0, clean) were computed in full micro-batches aligned at 0 by prompt decodes: reusable bit-exactly. */
    private int clean;
    private boolean prefixCache = true;

    /**
     * @param nCtx    context size (prompt + generated tokens must fit); 0 = the model's training context, at most
     *                {@link #DEFAULT_MAX_CTX} (real models train on 32k-128k tokens: a KV cache that large is wasted)
     * @param threads CPU threads (0 = available processors)
     */
    public Generator(Model model, int nCtx, int threads) {
        this.model = model;
        int n = nCtx > 0 ? nCtx : Math.max(256, Math.min(DEFAULT_MAX_CTX, model.nCtxTrain()));
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.ctx = new Context(model, n, t, UBATCH);
    }

    public Model model() {
        return model;
    }

    public int nCtx() {
        return ctx.nCtx();
    }

    /** Reuse the KV cache of the common prefix with the previous request (default true); false clears every time. */
    public Generator prefixCache(boolean on) {
        this.prefixCache = on;
        return this;
    }

    public boolean prefixCache() {
        return prefixCache;
    }

    public GenerationResult generate(GenerationRequest req) {
        Vocab vocab = model.vocab();
        int[] prompt = vocab.tokenize(req.prompt(), req.addSpecial(), req.parseSpecial());
        if (prompt.length == 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The prompt is empty after tokenization.");
        }
        int nCtx = ctx.nCtx();
        if (prompt.length + 1 > nCtx) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The prompt has " + prompt.length
                    + " tokens but the context holds " + nCtx + ": shorten the prompt or raise the context size.");
        }
        int maxNew = Math.min(req.maxTokens(), nCtx - prompt.length);
        try (Sampler sampler = new Sampler(model, req.grammar(), req.temperature(), req.topK(), req.topP(), req.seed())) {
            long t0 = System.nanoTime();
            int ub = ctx.nUbatch();
            int reuse = prefixCache ? Math.min(Math.min(commonPrefix(prompt), prompt.length - 1), clean) / ub * ub : 0;
            if (!ctx.truncate(reuse)) {
                reuse = 0;
            }
            kvLen = reuse;
            clean = 0;
            decodeTracked(prompt, reuse, prompt.length - reuse);
            clean = prompt.length / ub * ub;
            long t1 = System.nanoTime();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String stopReason = "max_tokens";
            String text = "";
            int generated = 0;
            int[] one = new int[1];
            while (generated < maxNew) {
                int tok = sampler.sample(ctx);
                generated++;
                if (vocab.isEog(tok)) {
                    stopReason = "eog";
                    break;
                }
                bytes.writeBytes(vocab.piece(tok, false));
                text = bytes.toString(StandardCharsets.UTF_8);
                int cut = firstStop(text, req);
                if (cut >= 0) {
                    text = text.substring(0, cut);
                    stopReason = "stop";
                    break;
                }
                if (generated >= maxNew) {
                    break;
                }
                one[0] = tok;
                decodeTracked(one, 0, 1);
            }
            if (!"stop".equals(stopReason)) {
                text = bytes.toString(StandardCharsets.UTF_8);
            }
            long t2 = System.nanoTime();
            return new GenerationResult(text, stopReason, prompt.length, generated,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, reuse);
        } catch (RuntimeException e) {
            kvLen = 0;
            clean = 0; // the cache's content is unknown after a failed decode: the next request starts afresh
            throw e;
        }
    }

    /** Decodes tokens[from, from+n) after the cached ones and records them as cached. */
    private void decodeTracked(int[] tokens, int from, int n) {
        if (kv.length < kvLen + n) {
            kv = java.util.Arrays.copyOf(kv, Math.max(kvLen + n, Math.min(ctx.nCtx(), 2 * kv.length + 64)));
        }
        ctx.decode(tokens, from, n);
        System.arraycopy(tokens, from, kv, kvLen, n);
        kvLen += n;
    }

    private int commonPrefix(int[] prompt) {
        int n = Math.min(kvLen, prompt.length);
        int i = 0;
        while (i < n && kv[i] == prompt[i]) {
            i++;
        }
        return i;
    }

    private static int firstStop(String text, GenerationRequest req) {
        int best = -1;
        for (String s : req.stop()) {
            if (s.isEmpty()) {
                continue;
            }
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        ctx.close();
    }
}
