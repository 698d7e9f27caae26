package dev.mcpforge.engine;

/**
 * @param text            generated text (stop string excluded)
 * @param stopReason      {@code eog} (end-of-generation token, also when a grammar completes), {@code stop}
 *                        (a stop string), {@code max_tokens}
 * @param promptTokens    tokens in the prompt
 * @param generatedTokens tokens sampled
 * @param promptMillis    time to decode the prompt
 * @param generateMillis  time to sample and decode the generated tokens
 */
public record GenerationResult(String text, String stopReason, int promptTokens, int generatedTokens,
                               long promptMillis, long generateMillis) {
    /** Generated tokens per second (0 when nothing was generated). */
    public double tokensPerSecond() {
        return generateMillis <= 0 ? 0 : generatedTokens * 1000.0 / generateMillis;
    }
}
