package dev.mcpforge.engine;

import dev.mcpforge.engine.llama.Context;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.llama.Sampler;
import dev.mcpforge.engine.llama.Vocab;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Prompt text to generated text on one model: tokenize, decode the prompt, then sample/decode token by token until
 * an end-of-generation token, a stop string or the token limit. Owns one context, cleared before each request, so a
 * request's output depends only on (model, request): same seed, same output. Not thread-safe.
 */
public final class Generator implements AutoCloseable {
    private final Model model;
    private final Context ctx;

    /**
     * @param nCtx    context size (prompt + generated tokens must fit); 0 = the model's training context
     * @param threads CPU threads (0 = available processors)
     */
    public Generator(Model model, int nCtx, int threads) {
        this.model = model;
        int n = nCtx > 0 ? nCtx : Math.max(256, model.nCtxTrain());
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.ctx = new Context(model, n, t);
    }

    public Model model() {
        return model;
    }

    public int nCtx() {
        return ctx.nCtx();
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
            ctx.clear();
            long t0 = System.nanoTime();
            ctx.decode(prompt, 0, prompt.length);
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
                ctx.decode(one, 0, 1);
            }
            if (!"stop".equals(stopReason)) {
                text = bytes.toString(StandardCharsets.UTF_8);
            }
            long t2 = System.nanoTime();
            return new GenerationResult(text, stopReason, prompt.length, generated,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
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
