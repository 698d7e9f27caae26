package dev.mcpforge.engine.train;

import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One training run inside the worker (the {@code train} op). Texts files hold one JSON string per line: a sample
 * rendered with the model family's chat format; the trainer tokenizes them with the model's own vocabulary.
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
 */
public record TrainRequest(Path model, Path output, Path checkpointDir, Path trainTexts, Path evalTexts, int nCtx,
                           int batch, int ubatch, int threads, int epochs, int startEpoch, double learningRate,
                           double minLearningRate, int warmupSteps, String schedule, double weightDecay,
                           String optimizer, long seed, List<String> specialTokens, String runKey,
                           boolean resetGradients, boolean keepEpochModels, long exitAtStep, int exitCode) {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    public TrainRequest {
        specialTokens = List.copyOf(specialTokens);
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
                o.path("exitCode").asInt(137));
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
