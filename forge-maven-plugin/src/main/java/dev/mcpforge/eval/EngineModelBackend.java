package dev.mcpforge.eval;

import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.tools.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.grammar.PromptSpans;
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
    private final ToolCallGrammar.Options grammarOptions;
    private int threads;
    private boolean prefixCache = true;

    /**
     * @param grammarOptions for constrained decoding: {@link ToolCallGrammar.Options#DEFAULT} lets the model answer in
     *                       free text or call one tool; without free text every first reply is a call ("required")
     */
    public EngineModelBackend(WorkerClient worker, boolean ownsWorker, Path model, ChatFormat format, int nCtx,
                              ToolCallGrammar.Options grammarOptions) {
        this.grammarOptions = grammarOptions;
        this.worker = worker;
        this.ownsWorker = ownsWorker;
        this.model = model;
        this.format = format;
        this.nCtx = nCtx;
    }

    /** Starts a worker for {@code model}; the chat format is {@code formatName} or, when null, the GGUF's template's. */
    public static EngineModelBackend start(Path model, String formatName, int nCtx, WorkerClient.Options options) {
        return start(model, formatName, nCtx, options, ToolCallGrammar.Options.DEFAULT);
    }

    public static EngineModelBackend start(Path model, String formatName, int nCtx, WorkerClient.Options options,
                                           ToolCallGrammar.Options grammarOptions) {
        ChatFormat f = formatName == null || formatName.isBlank() ? detect(model) : ChatFormat.byName(formatName);
        return new EngineModelBackend(WorkerClient.start(options), true, model, f, nCtx, grammarOptions);
    }

    /** The chat format from the GGUF metadata (chat template, else the family's marker tokens). */
    public static ChatFormat detect(Path model) {
        GgufFile g;
        try {
            g = GgufReader.read(model);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Cannot read the model " + model + ": " + e.getMessage()
                    + ". Set -Dforge.model to a GGUF file (run forge:train and forge:gguf first).", e);
        }
        return ChatFormat.forModel(g);
    }

    /** CPU threads of the engine (0 = all processors; 1 is fastest on a machine that is busy anyway). */
    public EngineModelBackend threads(int n) {
        this.threads = Math.max(0, n);
        return this;
    }

    /**
     * Reuse the engine's KV cache of the prompt prefix shared with the previous generation (default true): every
     * case's prompt starts with the same system prompt and tool list, so only the new turns are decoded. The output is
     * the same either way; false is for measuring the difference.
     */
    public EngineModelBackend prefixCache(boolean on) {
        this.prefixCache = on;
        return this;
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
            List<String> spans = o.spans() ? PromptSpans.extract(lastUserText(conversation)) : List.of();
            ToolCallGrammar.Options go = grammarOptions.withSpans(spans);
            if (grammars.size() > 64) {
                grammars.clear(); // span grammars differ per prompt
            }
            String g = grammars.computeIfAbsent(tools + "\u0000" + spans, k -> ToolCallGrammar.build(tools, format, go));
            req = req.withGrammar(g);
        }
        long t0 = System.nanoTime();
        // WorkerClient.generate has no thread count; the worker's generate op takes one (the model stays loaded
        // per path/context/threads)
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("model", model.toAbsolutePath().toString());
        p.put("nCtx", nCtx);
        p.put("threads", threads);
        p.put("prompt", req.prompt());
        p.put("maxTokens", req.maxTokens());
        p.put("temperature", req.temperature());
        p.put("topK", req.topK());
        p.put("topP", req.topP());
        p.put("seed", req.seed());
        ArrayNode stops = p.putArray("stop");
        req.stop().forEach(stops::add);
        if (req.grammar() != null) {
            p.put("grammar", req.grammar());
        }
        p.put("addSpecial", req.addSpecial());
        p.put("parseSpecial", req.parseSpecial());
        p.put("prefixCache", prefixCache);
        JsonNode r = worker.call("generate", p, null);
        return new Reply(r.path("text").asString(""), r.path("stopReason").asString(""),
                r.path("generatedTokens").asInt(0), (System.nanoTime() - t0) / 1_000_000,
                r.path("promptTokens").asInt(0), r.path("cachedTokens").asInt(0));
    }

    /** The text of the conversation's last user turn (the message whose spans the span grammar offers). */
    static String lastUserText(List<ChatMessage> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if (conversation.get(i).role() == ChatMessage.Role.USER) {
                return conversation.get(i).content();
            }
        }
        return "";
    }

    @Override
    public void close() {
        if (ownsWorker) {
            worker.close();
        }
    }
}
