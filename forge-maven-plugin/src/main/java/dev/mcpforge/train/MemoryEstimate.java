package dev.mcpforge.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Rough peak memory of a training worker: F32 weights, gradients, optimizer moments (AdamW: 2 per weight, SGD: none),
 * the F32 KV cache of the context, activations of one micro-batch (logits, their softmax and gradient dominate at
 * small sizes), plus a fixed JVM/runtime overhead. Calibrated against engine-notes §3 (18M parameters, ubatch 256:
 * measured 428 MB peak RSS).
 */
public record MemoryEstimate(long weights, long gradients, long moments, long kvCache, long activations, long overhead) {

    public static final long JVM_OVERHEAD = 160L << 20;

    public static MemoryEstimate of(long params, int nVocab, int nLayer, int nEmbd, int nFf, int nCtx, int ubatch,
                                    String optimizer) {
        long w = 4L * params;
        long kv = 2L * 4 * nLayer * nEmbd * nCtx;
        long perToken = 4L * (3L * nVocab + (long) nLayer * (14L * nEmbd + 4L * nFf));
        long act = perToken * ubatch * 2; // forward values + their gradients
        return new MemoryEstimate(w, w, "sgd".equals(optimizer) ? 0 : 2 * w, kv, act, JVM_OVERHEAD);
    }

    public long total() {
        return weights + gradients + moments + kvCache + activations + overhead;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s (weights %s, gradients %s, optimizer moments %s, KV cache %s, "
                + "activations %s, runtime %s)", mib(total()), mib(weights), mib(gradients), mib(moments), mib(kvCache),
                mib(activations), mib(overhead));
    }

    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    /** MemAvailable of /proc/meminfo, or -1 when unknown. */
    public static long available() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Parses 512m, 2g, 1.5G, 1048576 (bytes). */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("k")) {
            mult = 1L << 10;
        } else if (t.endsWith("m")) {
            mult = 1L << 20;
        } else if (t.endsWith("g")) {
            mult = 1L << 30;
        }
        if (mult > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return (long) (Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("forge.memoryLimit '" + s + "' is not a size (e.g. 512m, 2g)");
        }
    }
}
