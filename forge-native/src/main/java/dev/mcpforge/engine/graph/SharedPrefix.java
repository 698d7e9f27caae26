package dev.mcpforge.engine.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shared-prefix packing for the graph core. Every training sample of one agent starts with the same system turn
 * (system prompt and tool list); instead of recomputing it for every sample, a row holds it once followed by as many
 * sample suffixes as fit: {@code [prefix][suffix_1][suffix_2]...}. {@link GraphSession} gives each suffix the
 * attention and positions it has in its unpacked sample (the whole prefix, then itself causally, positions P, P+1,
 * ...; never another suffix), so its logits are those of the sample alone.
 *
 * <p>Labels: the next token within the prefix and within each suffix. The prefix's last position predicts a
 * different token for every suffix; it is scored for the first suffix of a row only (with loss on the assistant spans
 * the prefix is cut before the first assistant token, so it is never scored). With loss on all tokens the prefix's
 * own positions are scored once per row, not once per sample.
 */
public final class SharedPrefix {
    /** Prefixes shorter than this many tokens are not worth a mode of their own. */
    public static final int MIN_TOKENS = 16;
    /** ... nor prefixes shorter than this fraction of the mean sample. */
    public static final double MIN_FRACTION = 0.10;

    /**
     * What packing did: {@code prefix} tokens shared, {@code sampleTokens} the tokens of the samples unpacked (the
     * tokens per epoch without the mode), {@code tokens} those placed in rows (prefix once per row + suffixes).
     */
    record Packed(List<Sequence> rows, int samples, int truncated, long tokens, long padTokens, long scored,
                  int longest, int prefix, long sampleTokens, int standalone) {
        GraphTrainer.Packed plain() {
            return new GraphTrainer.Packed(rows, samples, truncated, tokens, padTokens, scored, longest, null, new int[0]);
        }
    }

    /** The decision: {@code length} tokens to share (0: the mode does not apply) and why. */
    public record Choice(int length, String why) {
    }

    private SharedPrefix() {
    }

    /**
     * The longest common token prefix of all samples, cut so that every sample keeps at least one token of its own
     * and, with {@code assistantOnly}, before the first assistant token of any sample (so the token after the prefix
     * is never a scored target). Returns length 0 with the reason when it is shorter than {@link #MIN_TOKENS} or
     * {@link #MIN_FRACTION} of the mean sample.
     */
    static Choice choose(List<GraphTrainer.Tokenized> samples, boolean assistantOnly) {
        if (samples.size() < 2) {
            return new Choice(0, "fewer than 2 samples");
        }
        int[] first = samples.get(0).tokens();
        int p = first.length;
        long total = 0;
        for (GraphTrainer.Tokenized s : samples) {
            int[] t = s.tokens();
            total += t.length;
            p = Math.min(p, t.length - 1);
            int i = 0;
            while (i < p && t[i] == first[i]) {
                i++;
            }
            p = i;
            if (assistantOnly) {
                for (int j = 0; j <= Math.min(p, t.length - 1); j++) {
                    if (s.assistant()[j]) {
                        p = Math.max(0, j - 1);
                        break;
                    }
                }
            }
        }
        p = Math.max(0, p);
        double mean = (double) total / samples.size();
        if (p < MIN_TOKENS || p < MIN_FRACTION * mean) {
            return new Choice(0, "the longest common prefix of the " + samples.size() + " samples is " + p
                    + " tokens (mean sample " + Math.round(mean) + "), below " + MIN_TOKENS + " tokens or "
                    + Math.round(MIN_FRACTION * 100) + "% of the mean sample");
        }
        return new Choice(p, "common prefix of " + p + " tokens (mean sample " + Math.round(mean) + ")");
    }

    /**
     * Packs samples (in order) into rows of {@code nCtx + 1} tokens as {@code [prefix][suffix_1]...} with the first
     * {@code prefix} tokens shared. A sample longer than the row on its own gets a row of its own, truncated as
     * {@link GraphTrainer#pack} does (its end kept, counted in {@code truncated}).
     */
    static Packed pack(List<GraphTrainer.Tokenized> samples, int prefix, int nCtx, int pad, boolean assistantOnly) {
        int w = nCtx + 1;
        if (prefix <= 0 || prefix >= w) {
            throw new IllegalArgumentException("shared prefix " + prefix + " must be in 1.." + (w - 1));
        }
        int[] pre = Arrays.copyOf(samples.get(0).tokens(), prefix);
        GraphTrainer.Rows rows = new GraphTrainer.Rows(nCtx, pad, prefix);
        List<Sequence> out = rows.out;
        int docId = 0;
        int truncated = 0;
        int standalone = 0;
        long tokens = 0;
        long padTokens = 0;
        long nScored = 0;
        long sampleTokens = 0;
        int longest = 0;
        for (GraphTrainer.Tokenized s : samples) {
            int[] t = s.tokens();
            longest = Math.max(longest, t.length);
            if (t.length == 0) {
                continue;
            }
            sampleTokens += Math.min(t.length, w);
            if (t.length > w || !Arrays.equals(t, 0, prefix, pre, 0, prefix)) {
                // does not fit a row even alone (or lacks the prefix): a plain row of its own, as without the mode
                GraphTrainer.Packed one = GraphTrainer.pack(List.of(s), nCtx, pad, assistantOnly);
                out.addAll(one.rows());
                truncated += one.truncated();
                tokens += one.tokens();
                padTokens += one.padTokens();
                nScored += one.scored();
                standalone++;
                continue;
            }
            int len = t.length - prefix;
            if (!rows.fits(len)) {
                rows.close(++docId);
                rows.open();
                System.arraycopy(pre, 0, rows.tokens, 0, prefix);
                docId = 0; // the prefix is document 0 of the row, its suffixes 1, 2, ...
                for (int j = 1; j < prefix; j++) {
                    if (!assistantOnly) { // the prefix's own next-token targets, once per row
                        rows.scored[j - 1] = true;
                        nScored++;
                    }
                }
                // the prefix's last position predicts the first token of this row's first suffix
                if (!assistantOnly || s.assistant()[prefix]) {
                    rows.scored[prefix - 1] = true;
                    nScored++;
                }
                rows.used = prefix;
                tokens += prefix;
            }
            docId++;
            nScored += GraphTrainer.place(s, prefix, len, rows.tokens, rows.doc, rows.scored, rows.used, docId,
                    assistantOnly);
            rows.used += len;
            tokens += len;
        }
        rows.close(++docId);
        padTokens += rows.padTokens;
        return new Packed(out, samples.size(), truncated, tokens, padTokens, nScored, longest, prefix, sampleTokens,
                standalone);
    }
}
