package dev.mcpforge.engine.llama;

import com.sun.jna.Pointer;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.NativeLogAccess;

/**
 * A sampler chain: an optional GBNF grammar, then greedy or temperature/top-k/top-p with a seeded distribution.
 * Frees the chain (and the samplers it owns) on close.
 */
public final class Sampler implements AutoCloseable {
    private final LlamaLibrary l;
    private Pointer chain;

    /**
     * @param grammar     GBNF grammar with root rule {@code root}, or null
     * @param temperature &le; 0 for greedy decoding
     * @param topK        0 to disable
     * @param topP        1 to disable
     * @param seed        seed of the distribution sampler (ignored for greedy)
     */
    public Sampler(Model model, String grammar, float temperature, int topK, float topP, int seed) {
        this.l = model.engine().llama();
        LlamaSamplerChainParams.ByValue p = l.llama_sampler_chain_default_params();
        p.no_perf = 1;
        Pointer c = l.llama_sampler_chain_init(p);
        try {
            if (grammar != null && !grammar.isBlank()) {
                NativeLogAccess.clearRecent();
                Pointer g = l.llama_sampler_init_grammar(model.vocab().handle(), grammar, "root");
                if (g == null) {
                    throw new EngineException(EngineException.Kind.GRAMMAR, "The GBNF grammar does not compile: "
                            + NativeLogAccess.recentSummary("llama.cpp rejected it") + ". Grammar starts: "
                            + abbreviate(grammar));
                }
                l.llama_sampler_chain_add(c, g);
            }
            if (temperature <= 0f) {
                l.llama_sampler_chain_add(c, l.llama_sampler_init_greedy());
            } else {
                if (topK > 0) {
                    l.llama_sampler_chain_add(c, l.llama_sampler_init_top_k(topK));
                }
                if (topP < 1f) {
                    l.llama_sampler_chain_add(c, l.llama_sampler_init_top_p(topP, 1));
                }
                l.llama_sampler_chain_add(c, l.llama_sampler_init_temp(temperature));
                l.llama_sampler_chain_add(c, l.llama_sampler_init_dist(seed));
            }
        } catch (RuntimeException e) {
            l.llama_sampler_free(c);
            throw e;
        }
        this.chain = c;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 160 ? one.substring(0, 160) + "..." : one;
    }

    /** Samples the next token from the last logits of {@code ctx} and accepts it into the chain (grammar state). */
    public int sample(Context ctx) {
        return l.llama_sampler_sample(handle(), ctx.handle(), -1);
    }

    public Pointer handle() {
        if (chain == null) {
            throw new IllegalStateException("sampler is closed");
        }
        return chain;
    }

    @Override
    public void close() {
        if (chain != null) {
            l.llama_sampler_free(chain);
            chain = null;
        }
    }
}
