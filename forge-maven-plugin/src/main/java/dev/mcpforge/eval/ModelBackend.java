package dev.mcpforge.eval;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The model under test: a conversation (and the tools on offer) in, generated assistant text out. The real
 * implementation runs the engine in a worker process ({@link EngineModelBackend}); tests use scripted replies.
 */
public interface ModelBackend extends AutoCloseable {

    /**
     * @param maxTokens   token limit of the reply (a model that loops stops here)
     * @param constrained decode with the tools' grammar (free text or one schema-valid call)
     * @param temperature 0 = greedy
     * @param seed        sampling seed (used when temperature &gt; 0)
     * @param spans       with {@code constrained}: the per-prompt span grammar, whose string arguments are spans of
     *                    the user's message (quoted or path-like text; free text only where no span fits)
     */
    record Options(int maxTokens, boolean constrained, float temperature, int seed, boolean spans) {
        /** The decoding modes of {@code -Dforge.constrained}. */
        public static final java.util.List<String> MODES = java.util.List.of("false", "true", "schema", "spans");

        public Options(int maxTokens, boolean constrained, float temperature, int seed) {
            this(maxTokens, constrained, temperature, seed, false);
        }

        /**
         * Options for a {@code -Dforge.constrained} value: false (free decoding), true or schema (the tools' schema
         * grammar), spans (the schema grammar with the user message's spans as string values).
         *
         * @throws IllegalArgumentException for any other value
         */
        public static Options forMode(String mode, int maxTokens, float temperature, int seed) {
            String m = mode == null ? "false" : mode.strip().toLowerCase(java.util.Locale.ROOT);
            return switch (m) {
                case "", "false" -> new Options(maxTokens, false, temperature, seed, false);
                case "true", "schema" -> new Options(maxTokens, true, temperature, seed, false);
                case "spans" -> new Options(maxTokens, true, temperature, seed, true);
                default -> throw new IllegalArgumentException("-Dforge.constrained=" + mode + " is not a decoding mode: "
                        + "use false (free decoding), true (the tools' schema grammar) or spans (the schema grammar "
                        + "with the quoted and path-like spans of the user's message as string values).");
            };
        }

        public Options withConstrained(boolean c) {
            return new Options(maxTokens, c, temperature, seed, spans);
        }

        /** "plain", "schema" or "spans" (the report's {@code decoding}). */
        public String decoding() {
            return !constrained ? "plain" : spans ? "spans" : "schema";
        }

        /** The decoding mode in words, for reports and logs. */
        public String decodingLabel() {
            return !constrained ? "unconstrained" : spans ? "grammar-constrained with the span grammar (string "
                    + "arguments: quoted and path-like spans of the user's message; free text only where none fits)"
                    : "grammar-constrained (the tools' schema grammar)";
        }
    }

    /**
     * @param text       the generated text (stop string excluded)
     * @param stopReason eog, stop, max_tokens (or "scripted")
     * @param tokens     generated tokens (0 if unknown)
     * @param millis     wall time of the generation
     * @param promptTokens prompt tokens (0 if unknown)
     * @param cachedTokens prompt tokens the engine did not decode again (prefix cache; 0 if none or unknown)
     */
    record Reply(String text, String stopReason, int tokens, long millis, int promptTokens, int cachedTokens) {
        public Reply(String text, String stopReason, int tokens, long millis) {
            this(text, stopReason, tokens, millis, 0, 0);
        }

        /** For the run's steps: "eog, 19 tokens, 175 ms" plus the prompt and its cached part when known. */
        public String summary() {
            return stopReason + ", " + tokens + " tokens, " + millis + " ms"
                    + (promptTokens > 0 ? "; prompt " + promptTokens + " tokens, " + cachedTokens + " cached" : "");
        }
    }

    /** For reports: the model file or a label. */
    String name();

    /** The chat format the model is prompted with (also the parser's first choice). */
    ChatFormat format();

    Reply generate(List<ChatMessage> conversation, JsonNode tools, Options options);

    @Override
    default void close() {
    }
}
