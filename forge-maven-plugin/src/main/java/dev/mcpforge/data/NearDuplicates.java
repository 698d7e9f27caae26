package dev.mcpforge.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Near-duplicate detection on normalised text with MinHash signatures and LSH banding: each new text is compared
 * only with the earlier texts that share a band, so a dataset of n texts costs O(n), not O(n²). Similarity is the
 * Jaccard index of character 5-gram shingles, estimated from 64 min-hashes; exact duplicates (same normalised text)
 * are always caught. With 8 bands of 8 rows a pair with Jaccard 0.95 becomes a candidate with probability > 0.999.
 *
 * <p>Hand-written (about 100 lines) because the JVM MinHash libraries are unmaintained or pull in large
 * dependencies.</p>
 */
public final class NearDuplicates {

    private static final int HASHES = 64;
    private static final int BANDS = 8;
    private static final int ROWS = HASHES / BANDS;
    private static final long[] SEEDS = new long[HASHES];

    static {
        long s = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < HASHES; i++) {
            s = mix(s + 0x632BE59BD9B4E019L);
            SEEDS[i] = s;
        }
    }

    private final double threshold;
    private final Set<String> exact = new HashSet<>();
    private final List<int[]> signatures = new ArrayList<>();
    private final List<Map<Long, List<Integer>>> bands = new ArrayList<>();

    /** @param threshold Jaccard similarity at or above which two texts are duplicates (e.g. 0.95) */
    public NearDuplicates(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("forge.qa.dedupThreshold must be in (0, 1], got " + threshold);
        }
        this.threshold = threshold;
        for (int b = 0; b < BANDS; b++) {
            bands.add(new HashMap<>());
        }
    }

    /** Lower-case, punctuation removed, whitespace collapsed. */
    public static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** True when {@code text} is a (near-)duplicate of a text seen before, without adding it. */
    public boolean isDuplicate(String text) {
        String n = normalise(text);
        if (exact.contains(n)) {
            return true;
        }
        return nearest(signature(n)) >= 0;
    }

    /** Adds {@code text} when it is new and returns true; returns false (and adds nothing) for a duplicate. */
    public boolean add(String text) {
        String n = normalise(text);
        if (exact.contains(n)) {
            return false;
        }
        int[] sig = signature(n);
        if (nearest(sig) >= 0) {
            return false;
        }
        exact.add(n);
        int id = signatures.size();
        signatures.add(sig);
        for (int b = 0; b < BANDS; b++) {
            bands.get(b).computeIfAbsent(bandKey(sig, b), k -> new ArrayList<>(1)).add(id);
        }
        return true;
    }

    public int size() {
        return signatures.size();
    }

    private int nearest(int[] sig) {
        for (int b = 0; b < BANDS; b++) {
            List<Integer> candidates = bands.get(b).get(bandKey(sig, b));
            if (candidates == null) {
                continue;
            }
            for (int c : candidates) {
                if (similarity(sig, signatures.get(c)) >= threshold) {
                    return c;
                }
            }
        }
        return -1;
    }

    static double similarity(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return same / (double) a.length;
    }

    private static long bandKey(int[] sig, int band) {
        long h = band;
        for (int i = band * ROWS; i < (band + 1) * ROWS; i++) {
            h = mix(h * 31 + sig[i]);
        }
        return h;
    }

    static int[] signature(String normalised) {
        int[] sig = new int[HASHES];
        java.util.Arrays.fill(sig, Integer.MAX_VALUE);
        String s = normalised.length() < 5 ? normalised + "     ".substring(normalised.length()) : normalised;
        for (int i = 0; i + 5 <= s.length(); i++) {
            long h = 1125899906842597L;
            for (int k = i; k < i + 5; k++) {
                h = 31 * h + s.charAt(k);
            }
            for (int j = 0; j < HASHES; j++) {
                int v = (int) (mix(h ^ SEEDS[j]) >>> 33);
                if (v < sig[j]) {
                    sig[j] = v;
                }
            }
        }
        return sig;
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit hash of {@code z}. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
