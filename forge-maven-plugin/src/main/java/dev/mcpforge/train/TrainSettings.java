package dev.mcpforge.train;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMLFormat;
import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.tools.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import dev.mcpforge.engine.tiny.TinyShape;
import dev.mcpforge.engine.train.TrainRequest;
import tools.jackson.databind.node.ObjectNode;

/** The resolved training configuration (profile + overrides); its JSON and sha256 go into reports/training.json. */
public record TrainSettings(String profile, String baseModel, String tinySize, int contextLength, int batch, int ubatch,
                            int epochs, double learningRate, double minLearningRate, int warmupSteps, String schedule,
                            double weightDecay, String optimizer, int threads, long seed, String core,
                            String lossOn, int loraRank, double loraAlpha, java.util.List<String> loraTargets,
                            String toolPrompt, boolean sharedPrefix, int rowTokens, double decisionWeight,
                            int decisionTokens, boolean toolNameTokens, int draws, int drawEpochs, double copyInit) {

    /** forge.train.decisionTokens when a decision weight is set: the tool-call opening and a tool name fit in 16. */
    public static final int DEFAULT_DECISION_TOKENS = 16;

    /** The most draws forge.train.draws allows (each costs its trial epochs). */
    public static final int MAX_DRAWS = 16;

    /** forge.toolNameTokens when not set: whether the tiny model's tokenizer keeps each tool name as one token. */
    public static final boolean DEFAULT_TOOL_NAME_TOKENS = false;

    /**
     * forge.tiny.copyInit when not set: the tiny model's attention value/output matrices start random. The copy init
     * (1.0: they start at the identity) makes a from-scratch model copy words on a copy task, but on the everything
     * example it lowered the held-out tool choice on three seeds of three (docs/benchmarks.md, "The copy init").
     */
    public static final double DEFAULT_COPY_INIT = 0;

    /** forge.toolPrompt: {@code none} for the tiny base model, {@code full} for any other. */
    public static final String TOOL_PROMPT_AUTO = "auto";
    /** Tools listed by name only in the system turn (the tiny model's {@code chatml-names} format). */
    public static final String TOOL_PROMPT_NAMES = "names";
    /** No tool list in the system turn: the tiny model learns its tools from the data ({@code chatml-implicit}). */
    public static final String TOOL_PROMPT_NONE = "none";
    /** Tools listed as their full JSON schemas (the base model's own chat template). */
    public static final String TOOL_PROMPT_FULL = "full";

    /** LoRA target modules by default (every projection of a block, as Unsloth's default). */
    public static final java.util.List<String> DEFAULT_LORA_TARGETS = java.util.List.of("attn_q", "attn_k", "attn_v",
            "attn_output", "ffn_gate", "ffn_up", "ffn_down");

    /** The training core used when -Dforge.train.core is not set (see docs/notes/g8.md for the measurements). */
    public static final String DEFAULT_CORE = TrainRequest.CORE_GRAPH;

    /**
     * Overrides: null keeps the profile's value. The Mojo passes every property; code that sets a few uses
     * {@link #builder()}.
     */
    public record Overrides(Integer epochs, Double learningRate, Integer contextLength, Integer batchSize,
                            Integer microBatchSize, Integer threads, Long seed, String optimizer, String schedule,
                            Double weightDecay, String core, String lossOn, Integer loraRank, Double loraAlpha,
                            String loraTargets, String toolPrompt, Boolean sharedPrefix, Integer rowTokens,
                            Double decisionWeight, Integer decisionTokens, String tinyModel, Boolean toolNameTokens,
                            Integer draws, Integer drawEpochs, Double copyInit) {

        public static Overrides none() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Overrides by name; unset ones stay null (the profile's value). */
        public static final class Builder {
            private Integer epochs;
            private Double learningRate;
            private Integer contextLength;
            private Integer batchSize;
            private Integer microBatchSize;
            private Integer threads;
            private Long seed;
            private String optimizer;
            private String schedule;
            private Double weightDecay;
            private String core;
            private String lossOn;
            private Integer loraRank;
            private Double loraAlpha;
            private String loraTargets;
            private String toolPrompt;
            private Boolean sharedPrefix;
            private Integer rowTokens;
            private Double decisionWeight;
            private Integer decisionTokens;
            private String tinyModel;
            private Boolean toolNameTokens;
            private Double copyInit;
            private Integer draws;
            private Integer drawEpochs;

            private Builder() {
            }

            public Builder epochs(Integer v) {
                epochs = v;
                return this;
            }

            public Builder learningRate(Double v) {
                learningRate = v;
                return this;
            }

            public Builder contextLength(Integer v) {
                contextLength = v;
                return this;
            }

            public Builder batchSize(Integer v) {
                batchSize = v;
                return this;
            }

            public Builder microBatchSize(Integer v) {
                microBatchSize = v;
                return this;
            }

            public Builder threads(Integer v) {
                threads = v;
                return this;
            }

            public Builder seed(Long v) {
                seed = v;
                return this;
            }

            public Builder optimizer(String v) {
                optimizer = v;
                return this;
            }

            public Builder schedule(String v) {
                schedule = v;
                return this;
            }

            public Builder weightDecay(Double v) {
                weightDecay = v;
                return this;
            }

            public Builder core(String v) {
                core = v;
                return this;
            }

            public Builder lossOn(String v) {
                lossOn = v;
                return this;
            }

            public Builder loraRank(Integer v) {
                loraRank = v;
                return this;
            }

            public Builder loraAlpha(Double v) {
                loraAlpha = v;
                return this;
            }

            public Builder loraTargets(String v) {
                loraTargets = v;
                return this;
            }

            public Builder toolPrompt(String v) {
                toolPrompt = v;
                return this;
            }

            public Builder sharedPrefix(Boolean v) {
                sharedPrefix = v;
                return this;
            }

            public Builder rowTokens(Integer v) {
                rowTokens = v;
                return this;
            }

            public Builder decisionWeight(Double v) {
                decisionWeight = v;
                return this;
            }

            public Builder decisionTokens(Integer v) {
                decisionTokens = v;
                return this;
            }

            public Builder tinyModel(String v) {
                tinyModel = v;
                return this;
            }

            public Builder toolNameTokens(Boolean v) {
                toolNameTokens = v;
                return this;
            }

            public Builder draws(Integer v) {
                draws = v;
                return this;
            }

            public Builder drawEpochs(Integer v) {
                drawEpochs = v;
                return this;
            }

            public Builder copyInit(Double v) {
                copyInit = v;
                return this;
            }

            public Overrides build() {
                return new Overrides(epochs, learningRate, contextLength, batchSize, microBatchSize, threads, seed,
                        optimizer, schedule, weightDecay, core, lossOn, loraRank, loraAlpha, loraTargets, toolPrompt,
                        sharedPrefix, rowTokens, decisionWeight, decisionTokens, tinyModel, toolNameTokens, draws,
                        drawEpochs, copyInit);
            }
        }

        /** The same overrides with forge.toolPrompt set. */
        public Overrides withToolPrompt(String p) {
            return new Overrides(epochs, learningRate, contextLength, batchSize, microBatchSize, threads, seed,
                    optimizer, schedule, weightDecay, core, lossOn, loraRank, loraAlpha, loraTargets, p, sharedPrefix,
                    rowTokens, decisionWeight, decisionTokens, tinyModel, toolNameTokens, draws, drawEpochs, copyInit);
        }

        /** forge.toolPrompt as asked: auto (the default), none, names or full, lower-cased. */
        public String requestedToolPrompt() {
            return toolPrompt == null || toolPrompt.isBlank() ? TOOL_PROMPT_AUTO
                    : toolPrompt.trim().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** True for the tiny base model (built from scratch by MCP-Forge). */
    public boolean tinyBase() {
        return isTiny(baseModel);
    }

    private static boolean isTiny(String baseModel) {
        return baseModel == null || baseModel.isBlank() || baseModel.trim().equalsIgnoreCase("tiny");
    }

    /** How the system turn lists the tools: schemas (full), names or none. */
    public ChatMLFormat.ToolList toolList() {
        return switch (toolPrompt) {
            case TOOL_PROMPT_NAMES -> ChatMLFormat.ToolList.NAMES;
            case TOOL_PROMPT_NONE -> ChatMLFormat.ToolList.NONE;
            default -> ChatMLFormat.ToolList.SCHEMAS;
        };
    }

    /** The tiny model's chat format for {@link #toolList()} (chatml, chatml-names or chatml-implicit). */
    public ChatFormat tinyChatFormat() {
        return switch (toolList()) {
            case NAMES -> ChatFormat.chatmlToolNames();
            case NONE -> ChatFormat.chatmlImplicitTools();
            case SCHEMAS -> ChatFormat.chatml();
        };
    }

    /** The Jinja chat template the tiny model carries for {@link #toolList()}. */
    public String tinyChatTemplate() {
        return switch (toolList()) {
            case NAMES -> ChatTemplates.CHATML_TOOL_NAMES;
            case NONE -> ChatTemplates.CHATML_IMPLICIT_TOOLS;
            case SCHEMAS -> ChatTemplates.CHATML_TOOLS;
        };
    }

    /**
     * forge.toolPrompt resolved: auto is none for the tiny base model and full for any other base model (a pretrained
     * model reads the schemas through its own chat template). The tiny model is trained from scratch for one toolset:
     * it cannot read JSON schemas (they would be most of every row's tokens), and a list of names is the same tokens
     * in front of every request, which it must learn to look past; without the list it picks the tool sooner and
     * better (docs/benchmarks.md, "The tools in the prompt").
     */
    static String resolveToolPrompt(String requested, String baseModel) {
        boolean tiny = isTiny(baseModel);
        return switch (requested) {
            case TOOL_PROMPT_AUTO -> tiny ? TOOL_PROMPT_NONE : TOOL_PROMPT_FULL;
            case TOOL_PROMPT_FULL -> TOOL_PROMPT_FULL;
            case TOOL_PROMPT_NAMES, TOOL_PROMPT_NONE -> {
                if (!tiny) {
                    throw new IllegalArgumentException("forge.toolPrompt=" + requested + " applies only to the tiny "
                            + "base model, whose chat template MCP-Forge writes; the base model " + baseModel + " is "
                            + "prompted through its own chat template, which lists the tools' full schemas. Use "
                            + "-Dforge.toolPrompt=auto (or full), or -Dforge.baseModel=tiny.");
                }
                yield requested;
            }
            default -> throw new IllegalArgumentException("forge.toolPrompt must be auto, none, names or full, got '"
                    + requested + "'");
        };
    }

    /** The log line of the choice, e.g. "tools in the prompt: none (forge.toolPrompt=auto, tiny base model)". */
    public String toolPromptLine(String requested) {
        return "tools in the prompt: " + toolListText(toolList()) + " (forge.toolPrompt=" + requested + ", "
                + (tinyBase() ? "tiny base model" : "base model " + baseModel) + ")";
    }

    /** How a log line names a tool list. */
    static String toolListText(ChatMLFormat.ToolList list) {
        return switch (list) {
            case NAMES -> "names only";
            case NONE -> "none (the model learns its tools from the data)";
            case SCHEMAS -> "full JSON schemas";
        };
    }

    /** True for llama.cpp's llama_opt_* core (n_ctx padded to 256, batch dividing it, loss on every token). */
    public boolean llamaOpt() {
        return TrainRequest.CORE_LLAMA_OPT.equals(core);
    }

    public static TrainSettings resolve(TrainProfile p, String baseModel, Overrides o) {
        String core = o.core() != null && !o.core().isBlank() ? o.core().trim().toLowerCase(java.util.Locale.ROOT)
                : DEFAULT_CORE;
        if (!core.equals(TrainRequest.CORE_GRAPH) && !core.equals(TrainRequest.CORE_LLAMA_OPT)) {
            throw new IllegalArgumentException("forge.train.core must be graph or llama-opt, got " + o.core());
        }
        boolean llamaOpt = core.equals(TrainRequest.CORE_LLAMA_OPT);
        String lossOn = o.lossOn() != null && !o.lossOn().isBlank() ? o.lossOn().trim().toLowerCase(java.util.Locale.ROOT)
                : llamaOpt ? TrainRequest.LOSS_ALL : TrainRequest.LOSS_ASSISTANT;
        if (!lossOn.equals(TrainRequest.LOSS_ALL) && !lossOn.equals(TrainRequest.LOSS_ASSISTANT)) {
            throw new IllegalArgumentException("forge.train.lossOn must be assistant or all, got " + o.lossOn());
        }
        if (llamaOpt && lossOn.equals(TrainRequest.LOSS_ASSISTANT)) {
            throw new IllegalArgumentException("forge.train.lossOn=assistant needs the graph core: llama.cpp's training API"
                    + " (forge.train.core=llama-opt) scores every token. Use -Dforge.train.core=graph or lossOn=all.");
        }
        int ctx = o.contextLength() != null ? o.contextLength() : llamaOpt ? p.contextLength : p.graphContextLength;
        if (ctx <= 0) {
            throw new IllegalArgumentException("forge.contextLength must be positive, got " + ctx);
        }
        // llama.cpp pads n_ctx to a multiple of 256 (engine-notes G7); the graph core has no KV cache to pad
        int padded = llamaOpt ? (ctx + 255) / 256 * 256 : ctx;
        int batch = o.batchSize() != null ? o.batchSize() : Math.min(p.batch, padded);
        if (batch <= 0 || (llamaOpt && padded % batch != 0)) {
            throw new IllegalArgumentException("forge.batchSize " + batch + " must divide the context length " + padded);
        }
        int ubatch = o.microBatchSize() != null ? o.microBatchSize() : Math.min(p.ubatch, batch);
        if (ubatch <= 0 || (llamaOpt && batch % ubatch != 0)) {
            throw new IllegalArgumentException("forge.microBatchSize " + ubatch + " must divide the batch size " + batch);
        }
        int epochs = o.epochs() != null ? o.epochs() : p.epochs;
        if (epochs < 1) {
            throw new IllegalArgumentException("forge.epochs must be at least 1, got " + epochs);
        }
        double lr = o.learningRate() != null ? o.learningRate() : p.learningRate;
        if (!(lr > 0) || lr > 0.1) {
            throw new IllegalArgumentException("forge.learningRate must be in (0, 0.1], got " + lr);
        }
        String opt = o.optimizer() != null ? o.optimizer().toLowerCase(java.util.Locale.ROOT) : p.optimizer;
        if (!opt.equals("adamw") && !opt.equals("sgd")) {
            throw new IllegalArgumentException("forge.optimizer must be adamw or sgd, got " + opt);
        }
        String schedule = o.schedule() != null ? o.schedule().toLowerCase(java.util.Locale.ROOT) : p.schedule;
        if (!schedule.equals("cosine") && !schedule.equals("constant")) {
            throw new IllegalArgumentException("forge.schedule must be cosine or constant, got " + schedule);
        }
        int threads = o.threads() != null ? o.threads() : Math.max(1, Runtime.getRuntime().availableProcessors());
        // LoRA: a real base model on the graph core by default (the profile's rank); the tiny model trains fully
        boolean tiny = isTiny(baseModel);
        String toolPrompt = resolveToolPrompt(o.requestedToolPrompt(), baseModel);
        int loraRank = o.loraRank() != null ? o.loraRank() : (llamaOpt || tiny ? 0 : p.loraRank);
        if (loraRank < 0) {
            throw new IllegalArgumentException("forge.lora.rank must be 0 (full fine-tuning) or positive, got " + loraRank);
        }
        if (loraRank > 0 && llamaOpt) {
            throw new IllegalArgumentException("forge.lora.rank=" + loraRank + " needs the graph core: llama.cpp's training"
                    + " API (forge.train.core=llama-opt) trains full weights only. Use -Dforge.train.core=graph or "
                    + "-Dforge.lora.rank=0.");
        }
        double loraAlpha = loraRank == 0 ? 0 : o.loraAlpha() != null ? o.loraAlpha() : 2.0 * loraRank;
        java.util.List<String> loraTargets = loraRank == 0 ? java.util.List.of()
                : o.loraTargets() == null || o.loraTargets().isBlank() ? DEFAULT_LORA_TARGETS
                : java.util.Arrays.stream(o.loraTargets().split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        // shared-prefix packing: the graph core's default (exact, see docs/notes/sp.md); llama-opt cannot mask
        boolean sharedPrefix = o.sharedPrefix() != null ? o.sharedPrefix() : !llamaOpt;
        if (o.rowTokens() != null && o.rowTokens() < 16) {
            throw new IllegalArgumentException("forge.train.rowTokens must be at least 16, got " + o.rowTokens());
        }
        int rowTokens = o.rowTokens() != null ? o.rowTokens() : 0; // 0: the engine's default (prefix + a few suffixes)
        double decisionWeight = o.decisionWeight() != null ? o.decisionWeight() : 1.0;
        if (!(decisionWeight >= 1) || decisionWeight > 100) {
            throw new IllegalArgumentException("forge.train.decisionWeight must be between 1 (off) and 100, got "
                    + o.decisionWeight());
        }
        int decisionTokens = o.decisionTokens() != null ? o.decisionTokens() : DEFAULT_DECISION_TOKENS;
        if (decisionTokens < 1) {
            throw new IllegalArgumentException("forge.train.decisionTokens must be at least 1, got " + decisionTokens);
        }
        if (decisionWeight > 1 && (llamaOpt || lossOn.equals(TrainRequest.LOSS_ALL))) {
            throw new IllegalArgumentException("forge.train.decisionWeight=" + decisionWeight + " weighs the start of"
                    + " each assistant turn, so it needs the graph core with forge.train.lossOn=assistant (the llama-opt"
                    + " core weighs every token the same). Use -Dforge.train.core=graph or drop the weight.");
        }
        if (decisionWeight == 1) {
            decisionTokens = 0;
        }
        String tinySize = p.tinySize;
        if (o.tinyModel() != null && !o.tinyModel().isBlank()) {
            if (!tiny) {
                throw new IllegalArgumentException("forge.tinyModel=" + o.tinyModel() + " shapes the tiny model that "
                        + "MCP-Forge builds from scratch; the base model " + baseModel + " has its own shape. Drop "
                        + "forge.tinyModel or use -Dforge.baseModel=tiny.");
            }
            tinySize = TinyShape.parse(o.tinyModel()).name();
        }
        if (Boolean.TRUE.equals(o.toolNameTokens()) && !tiny) {
            throw new IllegalArgumentException("forge.toolNameTokens=true adds the tool names to the tokenizer that "
                    + "MCP-Forge learns for the tiny model; the base model " + baseModel + " brings its own tokenizer. "
                    + "Drop forge.toolNameTokens or use -Dforge.baseModel=tiny.");
        }
        boolean toolNameTokens = tiny && (o.toolNameTokens() != null ? o.toolNameTokens() : DEFAULT_TOOL_NAME_TOKENS);
        double copyInit = o.copyInit() != null ? o.copyInit() : DEFAULT_COPY_INIT;
        if (o.copyInit() != null && !tiny) {
            throw new IllegalArgumentException("forge.tiny.copyInit=" + o.copyInit() + " sets how the tiny model that "
                    + "MCP-Forge builds from scratch starts; the base model " + baseModel + " brings trained weights. "
                    + "Drop forge.tiny.copyInit or use -Dforge.baseModel=tiny.");
        }
        if (copyInit < 0 || copyInit > 4) {
            throw new IllegalArgumentException("forge.tiny.copyInit must be between 0 (random attention value/output "
                    + "matrices) and 4, got " + copyInit + " (1.0 starts them at the identity).");
        }
        if (copyInit > 0 && llamaOpt) {
            throw new IllegalArgumentException("forge.tiny.copyInit=" + copyInit + " needs the graph core: llama.cpp's "
                    + "optimizer (forge.train.core=llama-opt) leaves attn_v frozen and keeps the output head untied, "
                    + "so the copy init would stay as it starts. Use -Dforge.train.core=graph or drop forge.tiny.copyInit.");
        }
        int draws = o.draws() != null ? o.draws() : 1;
        if (draws < 1 || draws > MAX_DRAWS) {
            throw new IllegalArgumentException("forge.train.draws must be between 1 (one training run) and " + MAX_DRAWS
                    + ", got " + draws);
        }
        // by default half the run (rounded up): on the filesystem example the tool choice appears in the third of
        // five epochs, and only then does the draw that ends best lead (docs/benchmarks.md, runs 23-24)
        int drawEpochs = o.drawEpochs() != null ? o.drawEpochs() : (epochs + 1) / 2;
        if (draws > 1 && (drawEpochs < 1 || drawEpochs > epochs)) {
            throw new IllegalArgumentException("forge.train.drawEpochs must be between 1 and the " + epochs + " epochs of"
                    + " the run, got " + drawEpochs + ": each draw trains that many epochs before the best one goes on.");
        }
        if (draws > 1 && llamaOpt) {
            throw new IllegalArgumentException("forge.train.draws=" + draws + " needs the graph core, which measures the "
                    + "held-out tool choice that picks the draw (llama.cpp's training API, forge.train.core=llama-opt, "
                    + "does not). Use -Dforge.train.core=graph or -Dforge.train.draws=1.");
        }
        return new TrainSettings(p.id(), baseModel, tinySize, padded, batch, ubatch, epochs, lr,
                Math.min(lr, p.minLearningRate), p.warmupSteps, schedule,
                o.weightDecay() != null ? o.weightDecay() : p.weightDecay, opt, threads,
                o.seed() != null ? o.seed() : 42L, core, lossOn, loraRank, loraAlpha, loraTargets, toolPrompt,
                sharedPrefix, rowTokens, decisionWeight, decisionTokens, toolNameTokens, draws,
                draws > 1 ? drawEpochs : 0, copyInit);
    }

    /** The seed of draw {@code d} (0-based): draw 0 is the configured seed, so one draw is the plain run. */
    public long drawSeed(int d) {
        return seed + d;
    }

    public TrainSettings withUbatch(int u) {
        return new TrainSettings(profile, baseModel, tinySize, contextLength, batch, u, epochs, learningRate,
                minLearningRate, warmupSteps, schedule, weightDecay, optimizer, threads, seed, core, lossOn, loraRank,
                loraAlpha, loraTargets, toolPrompt, sharedPrefix, rowTokens, decisionWeight, decisionTokens,
                toolNameTokens, draws, drawEpochs, copyInit);
    }

    public TrainSettings withContext(int ctx) {
        int b = Math.min(batch, ctx);
        int u = Math.min(ubatch, b);
        return new TrainSettings(profile, baseModel, tinySize, ctx, b, u, epochs, learningRate,
                minLearningRate, warmupSteps, schedule, weightDecay, optimizer, threads, seed, core, lossOn, loraRank,
                loraAlpha, loraTargets, toolPrompt, sharedPrefix, rowTokens, decisionWeight, decisionTokens,
                toolNameTokens, draws, drawEpochs, copyInit);
    }

    public ObjectNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    /**
     * sha256 of the canonical JSON of the settings that decide the result. The thread count is part of it: it
     * changes the floating-point summation order.
     */
    public String sha256() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsString(toJson())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
