package dev.mcpforge.engine.train;

import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One training run inside the worker (the {@code train} op). Texts files hold one sample per line (see
 * {@link TrainTexts}): a sample rendered with the model family's chat format, as a JSON string or as
 * {@code {"text":..., "spans":[[start,end],...]}} with the character spans of the assistant turns; the trainer
 * tokenizes them with the model's own vocabulary.
 *
 * @param model          F32 GGUF to start from (the base model, or the last checkpoint when resuming)
 * @param output         where the trained model is written
 * @param checkpointDir  checkpoint.gguf + checkpoint.json are written there at each epoch end
 * @param trainTexts     rendered training samples
 * @param evalTexts      rendered held-out samples (may be empty: no eval loss)
 * @param nCtx           training sequence length; must be a multiple of 256 (llama.cpp pads n_ctx, G7)
 * @param batch          tokens per optimizer step (divides nCtx)
 * @param ubatch         tokens per evaluation (divides batch; gradients are accumulated over batch/ubatch)
 * @param threads        CPU threads (0: all cores)
 * @param epochs         total epochs of the run
 * @param startEpoch     first epoch to run (resume: epochs already done)
 * @param learningRate   peak learning rate
 * @param minLearningRate floor of the cosine schedule
 * @param warmupSteps    linear warm-up steps
 * @param schedule       "cosine" or "constant"
 * @param weightDecay    AdamW/SGD weight decay
 * @param optimizer      "adamw" or "sgd"
 * @param seed           shuffling seed
 * @param specialTokens  texts that must each be one token of the vocabulary (chat-format markers)
 * @param runKey         opaque key recorded in checkpoint.json (the caller's fingerprint of inputs and config)
 * @param resetGradients apply the gradient-accumulator fix (false only for the test that proves the bug)
 * @param keepEpochModels also write epoch-N.gguf for every epoch (tests)
 * @param exitAtStep     test hook: the worker halts with {@code exitCode} once this global step is reached (-1 off;
 *                       -n: n steps into the second epoch, after the first checkpoint)
 * @param exitCode       exit code for {@code exitAtStep} (137 looks like the out-of-memory killer)
 * @param core           training core: {@code graph} (the project's own ggml graph, {@code GraphTrainer}) or
 *                       {@code llama-opt} (llama.cpp's {@code llama_opt_*}, {@link Trainer})
 * @param lossOn         {@code assistant} (loss on the assistant spans of each sample only; graph core) or {@code all}
 * @param loraRank       0: full fine-tuning; otherwise LoRA adapters of this rank on {@code loraTargets} (graph core)
 * @param loraAlpha      LoRA alpha (the adapter output is scaled by alpha / rank)
 * @param loraTargets    LoRA target modules, e.g. attn_q, attn_v, ffn_up (each block's {@code blk.N.<t>.weight})
 * @param sharedPrefix   graph core: pack the samples' common token prefix once per row (exact; see
 *                       {@code dev.mcpforge.engine.graph.SharedPrefix}); the llama-opt core ignores it
 * @param rowTokens      graph core with a shared prefix: row length in tokens (0: the default budget; always at least
 *                       the longest sample and at most {@code nCtx})
 * @param decisionWeight graph core: loss weight of the decision tokens, the first {@code decisionTokens} scored
 *                       positions of each scored span (1: every scored token counts once; see {@code GraphSession})
 * @param decisionTokens graph core: how many positions at the start of each scored span are decision tokens
 * @param stopAfterEpochs graph core: 0 runs to {@code epochs}; n stops after epoch n of the {@code epochs}-long
 *                       schedule with its checkpoint written and no output model (a trial draw, resumed later)
 */
public record TrainRequest(Path model, Path output, Path checkpointDir, Path trainTexts, Path evalTexts, int nCtx,
                           int batch, int ubatch, int threads, int epochs, int startEpoch, double learningRate,
                           double minLearningRate, int warmupSteps, String schedule, double weightDecay,
                           String optimizer, long seed, List<String> specialTokens, String runKey,
                           boolean resetGradients, boolean keepEpochModels, long exitAtStep, int exitCode,
                           String core, String lossOn, int loraRank, double loraAlpha, List<String> loraTargets,
                           boolean sharedPrefix, int rowTokens, double decisionWeight, int decisionTokens,
                           int stopAfterEpochs) {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();
    public static final String CORE_GRAPH = "graph";
    public static final String CORE_LLAMA_OPT = "llama-opt";
    public static final String LOSS_ASSISTANT = "assistant";
    public static final String LOSS_ALL = "all";

    public TrainRequest {
        specialTokens = List.copyOf(specialTokens);
        loraTargets = loraTargets == null ? List.of() : List.copyOf(loraTargets);
        if (loraRank < 0 || (loraRank > 0 && loraTargets.isEmpty())) {
            throw new IllegalArgumentException("LoRA rank " + loraRank + " needs at least one target module.");
        }
        core = core == null ? CORE_LLAMA_OPT : core;
        lossOn = lossOn == null ? LOSS_ALL : lossOn;
        if (!CORE_GRAPH.equals(core) && !CORE_LLAMA_OPT.equals(core)) {
            throw new IllegalArgumentException("Unknown training core '" + core + "': use graph or llama-opt.");
        }
        if (!LOSS_ASSISTANT.equals(lossOn) && !LOSS_ALL.equals(lossOn)) {
            throw new IllegalArgumentException("Unknown loss scope '" + lossOn + "': use assistant or all.");
        }
        if (rowTokens < 0) {
            throw new IllegalArgumentException("rowTokens must be 0 (default) or positive, got " + rowTokens);
        }
        if (stopAfterEpochs < 0) {
            throw new IllegalArgumentException("stopAfterEpochs must be 0 (run to the end) or positive, got "
                    + stopAfterEpochs);
        }
        if (!(decisionWeight >= 1) || decisionTokens < 0) {
            throw new IllegalArgumentException("the decision-token weight must be >= 1 and the decision token count"
                    + " >= 0, got " + decisionWeight + " and " + decisionTokens);
        }
    }

    /**
     * A request for the required paths; every other component starts at its default (see {@link Builder}). One
     * builder instead of a constructor per set of options: the record has 34 components.
     */
    public static Builder builder(Path model, Path output, Path checkpointDir, Path trainTexts) {
        return new Builder(model, output, checkpointDir, trainTexts);
    }

    /** A builder holding this request's components. */
    public Builder toBuilder() {
        return new Builder(model, output, checkpointDir, trainTexts).evalTexts(evalTexts).context(nCtx)
                .batch(batch, ubatch).threads(threads).epochs(epochs, startEpoch)
                .learningRate(learningRate, minLearningRate).warmupSteps(warmupSteps).schedule(schedule)
                .weightDecay(weightDecay).optimizer(optimizer).seed(seed).specialTokens(specialTokens).runKey(runKey)
                .resetGradients(resetGradients).keepEpochModels(keepEpochModels).exitAt(exitAtStep, exitCode)
                .core(core, lossOn).lora(loraRank, loraAlpha, loraTargets).sharedPrefix(sharedPrefix, rowTokens)
                .decision(decisionWeight, decisionTokens).stopAfterEpochs(stopAfterEpochs);
    }

    /** The same request with shared-prefix packing on or off and a row budget (0: the default). */
    public TrainRequest withSharedPrefix(boolean on, int rows) {
        return toBuilder().sharedPrefix(on, rows).build();
    }

    /** The same request with another warm-up length (the graph core rescales it to its own step size). */
    public TrainRequest withWarmupSteps(int steps) {
        return toBuilder().warmupSteps(steps).build();
    }

    /** The same request stopping after epoch {@code n} (0: at the end). */
    public TrainRequest withStopAfterEpochs(int n) {
        return toBuilder().stopAfterEpochs(n).build();
    }

    /** The same request on another core and loss scope. */
    public TrainRequest withCore(String newCore, String newLossOn) {
        return toBuilder().core(newCore, newLossOn).build();
    }

    /**
     * Builds a {@link TrainRequest}. Defaults: no held-out texts, context, batch and micro-batch 256, all cores,
     * 1 epoch from the start, learning rate 1e-3 with a cosine schedule down to 1e-5 and no warm-up, no weight decay,
     * AdamW, seed 42, no special tokens, run key "", the gradient reset on, no per-epoch models, no test exit (exit
     * code 137 when set), the llama-opt core with the loss on every token, full fine-tuning, no shared prefix, no
     * decision weight, running to the last epoch. The record's constructor checks the values.
     */
    public static final class Builder {
        private final Path model;
        private final Path output;
        private final Path checkpointDir;
        private final Path trainTexts;
        private Path evalTexts;
        private int nCtx = 256;
        private int batch = 256;
        private int ubatch = 256;
        private int threads;
        private int epochs = 1;
        private int startEpoch;
        private double learningRate = 1e-3;
        private double minLearningRate = 1e-5;
        private int warmupSteps;
        private String schedule = "cosine";
        private double weightDecay;
        private String optimizer = "adamw";
        private long seed = 42;
        private List<String> specialTokens = List.of();
        private String runKey = "";
        private boolean resetGradients = true;
        private boolean keepEpochModels;
        private long exitAtStep = -1;
        private int exitCode = 137;
        private String core = CORE_LLAMA_OPT;
        private String lossOn = LOSS_ALL;
        private int loraRank;
        private double loraAlpha;
        private List<String> loraTargets = List.of();
        private boolean sharedPrefix;
        private int rowTokens;
        private double decisionWeight = 1;
        private int decisionTokens;
        private int stopAfterEpochs;

        private Builder(Path model, Path output, Path checkpointDir, Path trainTexts) {
            this.model = model;
            this.output = output;
            this.checkpointDir = checkpointDir;
            this.trainTexts = trainTexts;
        }

        public Builder evalTexts(Path v) {
            evalTexts = v;
            return this;
        }

        public Builder context(int v) {
            nCtx = v;
            return this;
        }

        /** Tokens per optimizer step and per evaluation. */
        public Builder batch(int tokens, int microTokens) {
            batch = tokens;
            ubatch = microTokens;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        /** The run's total epochs and the first one to run (resume: the epochs already done). */
        public Builder epochs(int total, int start) {
            epochs = total;
            startEpoch = start;
            return this;
        }

        /** Peak learning rate and the cosine schedule's floor. */
        public Builder learningRate(double peak, double floor) {
            learningRate = peak;
            minLearningRate = floor;
            return this;
        }

        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        public Builder schedule(String v) {
            schedule = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder optimizer(String v) {
            optimizer = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder specialTokens(List<String> v) {
            specialTokens = v;
            return this;
        }

        public Builder runKey(String v) {
            runKey = v;
            return this;
        }

        public Builder resetGradients(boolean v) {
            resetGradients = v;
            return this;
        }

        public Builder keepEpochModels(boolean v) {
            keepEpochModels = v;
            return this;
        }

        /** Test hook: halt the worker with {@code code} at global step {@code step} (-1: off). */
        public Builder exitAt(long step, int code) {
            exitAtStep = step;
            exitCode = code;
            return this;
        }

        public Builder core(String trainingCore, String lossScope) {
            core = trainingCore;
            lossOn = lossScope;
            return this;
        }

        public Builder lora(int rank, double alpha, List<String> targets) {
            loraRank = rank;
            loraAlpha = alpha;
            loraTargets = targets;
            return this;
        }

        public Builder sharedPrefix(boolean on, int rows) {
            sharedPrefix = on;
            rowTokens = rows;
            return this;
        }

        public Builder decision(double weight, int tokens) {
            decisionWeight = weight;
            decisionTokens = tokens;
            return this;
        }

        public Builder stopAfterEpochs(int v) {
            stopAfterEpochs = v;
            return this;
        }

        public TrainRequest build() {
            return new TrainRequest(model, output, checkpointDir, trainTexts, evalTexts, nCtx, batch, ubatch, threads,
                    epochs, startEpoch, learningRate, minLearningRate, warmupSteps, schedule, weightDecay, optimizer,
                    seed, specialTokens, runKey, resetGradients, keepEpochModels, exitAtStep, exitCode, core, lossOn,
                    loraRank, loraAlpha, loraTargets, sharedPrefix, rowTokens, decisionWeight, decisionTokens,
                    stopAfterEpochs);
        }
    }

    /** Checks shared by both training cores: the epoch range and the learning rate. */
    public void checkSchedule() {
        if (epochs < 1 || startEpoch < 0 || startEpoch > epochs) {
            throw new dev.mcpforge.engine.EngineException(dev.mcpforge.engine.EngineException.Kind.INVALID_REQUEST,
                    "epochs " + epochs + " / start epoch " + startEpoch + " out of range");
        }
        if (!(learningRate > 0)) {
            throw new dev.mcpforge.engine.EngineException(dev.mcpforge.engine.EngineException.Kind.INVALID_REQUEST,
                    "learning rate must be > 0, got " + learningRate);
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("model", model.toString());
        o.put("output", output.toString());
        o.put("checkpointDir", checkpointDir.toString());
        o.put("trainTexts", trainTexts.toString());
        o.put("evalTexts", evalTexts == null ? null : evalTexts.toString());
        o.put("nCtx", nCtx);
        o.put("batch", batch);
        o.put("ubatch", ubatch);
        o.put("threads", threads);
        o.put("epochs", epochs);
        o.put("startEpoch", startEpoch);
        o.put("learningRate", learningRate);
        o.put("minLearningRate", minLearningRate);
        o.put("warmupSteps", warmupSteps);
        o.put("schedule", schedule);
        o.put("weightDecay", weightDecay);
        o.put("optimizer", optimizer);
        o.put("seed", seed);
        o.set("specialTokens", MAPPER.valueToTree(specialTokens));
        o.put("runKey", runKey);
        o.put("resetGradients", resetGradients);
        o.put("keepEpochModels", keepEpochModels);
        o.put("exitAtStep", exitAtStep);
        o.put("exitCode", exitCode);
        o.put("core", core);
        o.put("lossOn", lossOn);
        o.put("loraRank", loraRank);
        o.put("loraAlpha", loraAlpha);
        o.set("loraTargets", MAPPER.valueToTree(loraTargets));
        o.put("sharedPrefix", sharedPrefix);
        o.put("rowTokens", rowTokens);
        o.put("decisionWeight", decisionWeight);
        o.put("decisionTokens", decisionTokens);
        o.put("stopAfterEpochs", stopAfterEpochs);
        return o;
    }

    public static TrainRequest fromJson(JsonNode o) {
        List<String> special = new java.util.ArrayList<>();
        o.path("specialTokens").forEach(n -> special.add(n.asString()));
        String eval = o.path("evalTexts").isString() ? o.path("evalTexts").asString() : null;
        return new TrainRequest(Path.of(o.path("model").asString()), Path.of(o.path("output").asString()),
                Path.of(o.path("checkpointDir").asString()), Path.of(o.path("trainTexts").asString()),
                eval == null ? null : Path.of(eval), o.path("nCtx").asInt(256), o.path("batch").asInt(256),
                o.path("ubatch").asInt(256), o.path("threads").asInt(0), o.path("epochs").asInt(1),
                o.path("startEpoch").asInt(0), o.path("learningRate").asDouble(1e-3),
                o.path("minLearningRate").asDouble(1e-5), o.path("warmupSteps").asInt(0),
                o.path("schedule").asString("cosine"), o.path("weightDecay").asDouble(0),
                o.path("optimizer").asString("adamw"), o.path("seed").asLong(42), special,
                o.path("runKey").asString(""), o.path("resetGradients").asBoolean(true),
                o.path("keepEpochModels").asBoolean(false), o.path("exitAtStep").asLong(-1),
                o.path("exitCode").asInt(137), o.path("core").asString(CORE_LLAMA_OPT),
                o.path("lossOn").asString(LOSS_ALL), o.path("loraRank").asInt(0), o.path("loraAlpha").asDouble(0),
                targets(o.path("loraTargets")), o.path("sharedPrefix").asBoolean(false), o.path("rowTokens").asInt(0),
                o.path("decisionWeight").asDouble(1), o.path("decisionTokens").asInt(0),
                o.path("stopAfterEpochs").asInt(0));
    }

    private static List<String> targets(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.forEach(x -> out.add(x.asString()));
        return out;
    }

    /** Learning rate of optimizer step {@code step} (0-based) of {@code totalSteps}: linear warm-up, then cosine. */
    public double learningRateAt(long step, long totalSteps) {
        if (warmupSteps > 0 && step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        if (!"cosine".equals(schedule) || totalSteps <= warmupSteps) {
            return learningRate;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress));
    }
}
