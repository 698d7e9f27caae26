package dev.mcpforge.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named training presets ({@code -Dforge.profile}). Every value can be overridden on its own.
 *
 * @param tinySize     size of the offline tiny model (nano/small/base) when the base model is {@code tiny}
 * @param contextLength training sequence length on the llama-opt core (a multiple of 256: llama.cpp pads n_ctx)
 * @param graphContextLength the longest training row on the graph core: rows are as long as the longest sample up to
 *                     this, so it only costs when samples are that long (a filesystem-server sample with its 14 tools
 *                     is 1,500-2,300 tokens with the tiny tokenizer; truncating it to 1,024 kept mostly the tool list
 *                     and never showed the model the prompt lengths it meets at inference)
 * @param batch        tokens per optimizer step
 * @param ubatch       tokens per evaluation (gradients accumulate over batch/ubatch)
 */
public enum TrainProfile {
    // contexts: a server-everything sample rendered with its 12+ tools is ~750 tokens (max ~830) with the tiny
    // model's learned 2048-piece vocabulary, a filesystem-server sample ~1230 (max ~1370)
    // loraRank: the seed's LoRA ranks, used for a real base model on the graph core (the tiny model trains fully)
    FAST_DEV("nano", 1024, 2048, 256, 256, 1, 1e-3, 5e-5, 10, "cosine", 0.0, "adamw", 8),
    BALANCED("small", 1024, 2560, 256, 256, 3, 1e-3, 2e-5, 20, "cosine", 0.0, "adamw", 16),
    MAX_QUALITY("base", 2048, 4096, 256, 256, 6, 5e-4, 1e-5, 50, "cosine", 0.01, "adamw", 32);

    public final String tinySize;
    public final int contextLength;
    public final int graphContextLength;
    public final int batch;
    public final int ubatch;
    public final int epochs;
    public final double learningRate;
    public final double minLearningRate;
    public final int warmupSteps;
    public final String schedule;
    public final double weightDecay;
    public final String optimizer;
    public final int loraRank;

    TrainProfile(String tinySize, int contextLength, int graphContextLength, int batch, int ubatch, int epochs, double learningRate,
                 double minLearningRate, int warmupSteps, String schedule, double weightDecay, String optimizer,
                 int loraRank) {
        this.tinySize = tinySize;
        this.contextLength = contextLength;
        this.graphContextLength = graphContextLength;
        this.batch = batch;
        this.ubatch = ubatch;
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.minLearningRate = minLearningRate;
        this.warmupSteps = warmupSteps;
        this.schedule = schedule;
        this.weightDecay = weightDecay;
        this.optimizer = optimizer;
        this.loraRank = loraRank;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrainProfile parse(String s) {
        String n = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (TrainProfile p : values()) {
            if (p.id().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown training profile '" + s + "'. Use -Dforge.profile= one of "
                + Arrays.stream(values()).map(TrainProfile::id).collect(Collectors.joining(", ")) + ".");
    }
}
