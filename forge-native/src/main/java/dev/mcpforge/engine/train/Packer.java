package dev.mcpforge.engine.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs tokenized samples into training windows of {@code nCtx + 1} tokens (inputs are the first {@code nCtx}, labels
 * the last {@code nCtx}, shifted by one). Whole samples are placed greedily in order, so every window starts at the
 * beginning of a sample; the rest of a window is filled with the pad token. A sample longer than a window is
 * truncated to the window (and counted), keeping its end: the beginning of a rendered chat (system prompt and tool
 * list) is the same in every sample, while the end holds the user turn and the assistant's answer or call.
 */
public final class Packer {

    /** The packed windows and what packing did. */
    public record Packed(List<int[]> windows, int samples, int truncated, long tokens, long padTokens, int longest) {
        public double padFraction() {
            long total = (long) windows.size() * (windows.isEmpty() ? 0 : windows.get(0).length);
            return total == 0 ? 0 : (double) padTokens / total;
        }
    }

    private Packer() {
    }

    public static Packed pack(List<int[]> samples, int nCtx, int padToken) {
        int w = nCtx + 1;
        List<int[]> out = new ArrayList<>();
        int[] cur = null;
        int used = 0;
        int truncated = 0;
        long tokens = 0;
        long pad = 0;
        int longest = 0;
        for (int[] s : samples) {
            longest = Math.max(longest, s.length);
            if (s.length == 0) {
                continue;
            }
            int len = s.length;
            if (len > w) {
                truncated++;
                len = w;
            }
            if (cur == null || used + len > w) {
                if (cur != null) {
                    pad += fill(cur, used, padToken);
                    out.add(cur);
                }
                cur = new int[w];
                used = 0;
            }
            System.arraycopy(s, s.length - len, cur, used, len);
            used += len;
            tokens += len;
        }
        if (cur != null) {
            pad += fill(cur, used, padToken);
            out.add(cur);
        }
        return new Packed(out, samples.size(), truncated, tokens, pad, longest);
    }

    private static int fill(int[] window, int from, int padToken) {
        for (int i = from; i < window.length; i++) {
            window[i] = padToken;
        }
        return window.length - from;
    }
}
