package dev.mcpforge.engine;

/**
 * @param text            generated text (stop string excluded)
 * @param stopReason      {@code eog} (end-of-generation token, also when a grammar completes), {@code stop}
 *                        (a stop string), {@code max_tokens}
 * @param promptTokens    tokens in the prompt
 * @param generatedTokens tokens sampled
 * @param promptMillis    time to decode the prompt
 * @param generateMillis  time to sample and decode the generated tokens
 * @param cachedTokens    prompt tokens not decoded because the context still held them from the previous request
 *                        (prefix cache, see {@link Generator}); 0 when the whole prompt was decoded
 */
public record GenerationResult(String text, String stopReason, int promptTokens, int generatedTokens,
                               long promptMillis, long generateMillis, int cachedTokens) {
    /** Generated tokens per second (0 when nothing was generated). */
    public double tokensPerSecond() {
        return generateMillis <= 0 ? 0 : generatedTokens * 1000.0 / generateMillis;
    }
}
