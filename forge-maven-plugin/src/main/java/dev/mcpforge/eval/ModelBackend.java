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
     */
    record Options(int maxTokens, boolean constrained, float temperature, int seed) {
        public Options withConstrained(boolean c) {
            return new Options(maxTokens, c, temperature, seed);
        }
    }

    /**
     * @param text       the generated text (stop string excluded)
     * @param stopReason eog, stop, max_tokens (or "scripted")
     * @param tokens     generated tokens (0 if unknown)
     * @param millis     wall time of the generation
     */
    record Reply(String text, String stopReason, int tokens, long millis) {
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
