package dev.mcpforge.train;

import dev.mcpforge.tools.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.node.ObjectNode;

/** The resolved training configuration (profile + overrides); its JSON and sha256 go into reports/training.json. */
public record TrainSettings(String profile, String baseModel, String tinySize, int contextLength, int batch, int ubatch,
                            int epochs, double learningRate, double minLearningRate, int warmupSteps, String schedule,
                            double weightDecay, String optimizer, int threads, long seed) {

    /** Overrides: null keeps the profile's value. */
    public record Overrides(Integer epochs, Double learningRate, Integer contextLength, Integer batchSize,
                            Integer microBatchSize, Integer threads, Long seed, String optimizer, String schedule,
                            Double weightDecay) {
        public static Overrides none() {
            return new Overrides(null, null, null, null, null, null, null, null, null, null);
        }
    }

    public static TrainSettings resolve(TrainProfile p, String baseModel, Overrides o) {
        int ctx = o.contextLength() != null ? o.contextLength() : p.contextLength;
        if (ctx <= 0) {
            throw new IllegalArgumentException("forge.contextLength must be positive, got " + ctx);
        }
        int padded = (ctx + 255) / 256 * 256; // llama.cpp pads n_ctx to a multiple of 256 (engine-notes G7)
        int batch = o.batchSize() != null ? o.batchSize() : Math.min(p.batch, padded);
        if (batch <= 0 || padded % batch != 0) {
            throw new IllegalArgumentException("forge.batchSize " + batch + " must divide the context length " + padded);
        }
        int ubatch = o.microBatchSize() != null ? o.microBatchSize() : Math.min(p.ubatch, batch);
        if (ubatch <= 0 || batch % ubatch != 0) {
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
        return new TrainSettings(p.id(), baseModel, p.tinySize, padded, batch, ubatch, epochs, lr,
                Math.min(lr, p.minLearningRate), p.warmupSteps, schedule,
                o.weightDecay() != null ? o.weightDecay() : p.weightDecay, opt, threads,
                o.seed() != null ? o.seed() : 42L);
    }

    public TrainSettings withUbatch(int u) {
        return new TrainSettings(profile, baseModel, tinySize, contextLength, batch, u, epochs, learningRate,
                minLearningRate, warmupSteps, schedule, weightDecay, optimizer, threads, seed);
    }

    public TrainSettings withContext(int ctx) {
        int b = Math.min(batch, ctx);
        int u = Math.min(ubatch, b);
        return new TrainSettings(profile, baseModel, tinySize, ctx, b, u, epochs, learningRate,
                minLearningRate, warmupSteps, schedule, weightDecay, optimizer, threads, seed);
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
