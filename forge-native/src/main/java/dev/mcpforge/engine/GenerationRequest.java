package dev.mcpforge.engine;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One generation.
 *
 * @param prompt       the full prompt text (already rendered with the model's chat format)
 * @param maxTokens    maximum number of generated tokens
 * @param temperature  &le; 0: greedy; otherwise sampled with {@code seed}
 * @param topK         top-k (0 = off), only when sampling
 * @param topP         top-p (1 = off), only when sampling
 * @param seed         seed of the sampler: same seed, model and prompt give the same output
 * @param stop         stop strings: generation ends before the first occurrence (not included in the text)
 * @param grammar      GBNF grammar (root rule "root") constraining the output, or null
 * @param addSpecial   add BOS as the model is configured
 * @param parseSpecial recognise special tokens written in the prompt (e.g. {@code <|im_start|>})
 */
public record GenerationRequest(String prompt, int maxTokens, float temperature, int topK, float topP, int seed,
                                List<String> stop, String grammar, boolean addSpecial, boolean parseSpecial) {
    public GenerationRequest {
        if (prompt == null) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "prompt is null");
        }
        if (maxTokens <= 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "maxTokens must be > 0, got " + maxTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** Greedy decoding of {@code maxTokens} tokens, special tokens parsed, no stops, no grammar. */
    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, maxTokens, 0f, 0, 1f, 0, List.of(), null, true, true);
    }

    /**
     * Greedy reply to a conversation rendered with {@code format} (tools may be null): the prompt ends with the
     * format's generation prompt, generation stops at its stop strings, special tokens are parsed and no BOS is added
     * beyond what the rendered text holds (as {@link ChatFormat} requires).
     */
    public static GenerationRequest chat(ChatFormat format, List<ChatMessage> conversation, JsonNode tools, int maxTokens) {
        return new GenerationRequest(format.render(conversation, tools, true), maxTokens, 0f, 0, 1f, 0,
                format.stopStrings(), null, false, true);
    }

    public GenerationRequest withSampling(float temperature, int topK, float topP, int seed) {
        return new GenerationRequest(prompt, maxTokens, temperature, topK, topP, seed, stop, grammar, addSpecial, parseSpecial);
    }

    public GenerationRequest withStop(List<String> stopStrings) {
        return new GenerationRequest(prompt, maxTokens, temperature, topK, topP, seed, stopStrings, grammar, addSpecial, parseSpecial);
    }

    public GenerationRequest withGrammar(String gbnf) {
        return new GenerationRequest(prompt, maxTokens, temperature, topK, topP, seed, stop, gbnf, addSpecial, parseSpecial);
    }
}
