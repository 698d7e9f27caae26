package dev.mcpforge.eval;

import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.engine.GenerationResult;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.grammar.ToolCallGrammar;
import dev.mcpforge.engine.worker.WorkerClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A GGUF model run by the engine in a worker process (a native crash kills the worker, not Maven). Prompts are
 * rendered with the model's {@link ChatFormat}; constrained decoding uses {@link ToolCallGrammar} for the tools.
 */
public final class EngineModelBackend implements ModelBackend {
    private final WorkerClient worker;
    private final boolean ownsWorker;
    private final Path model;
    private final ChatFormat format;
    private final int nCtx;
    private final Map<String, String> grammars = new HashMap<>();

    public EngineModelBackend(WorkerClient worker, boolean ownsWorker, Path model, ChatFormat format, int nCtx) {
        this.worker = worker;
        this.ownsWorker = ownsWorker;
        this.model = model;
        this.format = format;
        this.nCtx = nCtx;
    }

    /** Starts a worker for {@code model}; the chat format is {@code formatName} or, when null, the GGUF's template's. */
    public static EngineModelBackend start(Path model, String formatName, int nCtx, WorkerClient.Options options) {
        ChatFormat f = formatName == null || formatName.isBlank() ? detect(model) : ChatFormat.byName(formatName);
        return new EngineModelBackend(WorkerClient.start(options), true, model, f, nCtx);
    }

    /** The chat format from the GGUF metadata ({@code general.architecture}, {@code tokenizer.chat_template}). */
    public static ChatFormat detect(Path model) {
        GgufFile g;
        try {
            g = GgufReader.read(model);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Cannot read the model " + model + ": " + e.getMessage()
                    + ". Set -Dforge.model to a GGUF file (run forge:train and forge:gguf first).", e);
        }
        return ChatFormat.detect(g.architecture(), g.getString("tokenizer.chat_template").orElse(null));
    }

    @Override
    public String name() {
        return model.getFileName().toString();
    }

    @Override
    public ChatFormat format() {
        return format;
    }

    @Override
    public Reply generate(List<ChatMessage> conversation, JsonNode tools, Options o) {
        GenerationRequest req = GenerationRequest.chat(format, conversation, tools, o.maxTokens());
        if (o.temperature() > 0) {
            req = req.withSampling(o.temperature(), 40, 0.95f, o.seed());
        }
        if (o.constrained() && tools != null && !tools.isEmpty()) {
            String g = grammars.computeIfAbsent(tools.toString(), k -> ToolCallGrammar.build(tools, format));
            req = req.withGrammar(g);
        }
        long t0 = System.nanoTime();
        GenerationResult r = worker.generate(model, nCtx, req);
        return new Reply(r.text(), r.stopReason(), r.generatedTokens(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void close() {
        if (ownsWorker) {
            worker.close();
        }
    }
}
