package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Shared-prefix packing is exact: the suffixes of a {@code [prefix][suffix_1][suffix_2][suffix_3]} row get the logits
 * and the gradient they get alone, through the real {@link GraphModel}/{@link GraphSession}; and the packer's
 * bookkeeping (tokens saved, row bounds, long samples, no common prefix).
 */
class SharedPrefixTest {
    private static final int T = 80;
    private static final int P = 24;
    private static final int[] SUFFIX = {12, 17, 9};

    private static int nVocab() {
        return GraphTestModels.vocabulary().size();
    }

    /** Three samples sharing P tokens; the last {@code assistantTail} tokens of each are assistant tokens. */
    private static List<GraphTrainer.Tokenized> samples(int assistantTail) {
        Random r = new Random(3);
        int[] prefix = new int[P];
        for (int i = 0; i < P; i++) {
            prefix[i] = 3 + r.nextInt(nVocab() - 3);
        }
        List<GraphTrainer.Tokenized> out = new ArrayList<>();
        for (int len : SUFFIX) {
            int[] t = Arrays.copyOf(prefix, P + len);
            t[P] = 3 + r.nextInt(nVocab() - 3);
            while (t[P] == prefix[0]) { // the suffixes differ at their first token (so the prefix is exactly P)
                t[P] = 3 + r.nextInt(nVocab() - 3);
            }
            for (int i = P + 1; i < t.length; i++) {
                t[i] = 3 + r.nextInt(nVocab() - 3);
            }
            boolean[] a = new boolean[t.length];
            Arrays.fill(a, t.length - Math.min(assistantTail, len - 1), t.length, true);
            out.add(new GraphTrainer.Tokenized(t, a));
        }
        // distinct first suffix tokens: the common prefix stops at P
        return out;
    }

    private static float[] logits(GraphSession s, Sequence row) {
        s.setBatch(List.of(row));
        return s.logits();
    }

    @Test
    void suffixLogitsInASharedRowEqualThoseOfEachSampleAlone() {
        List<GraphTrainer.Tokenized> samples = samples(0);
        assertEquals(P, SharedPrefix.choose(samples, false).length());
        SharedPrefix.Packed packed = SharedPrefix.pack(samples, P, T, 0, false);
        assertEquals(1, packed.rows().size());
        int v = nVocab();
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, GraphTestModels.qwen2());
             GraphSession s = new GraphSession(m, T, 1, null, 1)) {
            float[] shared = logits(s, packed.rows().get(0));
            int off = P;
            double worst = 0;
            double spread = 0;
            for (int k = 0; k < samples.size(); k++) {
                GraphTrainer.Tokenized t = samples.get(k);
                float[] alone = logits(s, GraphTrainer.pack(List.of(t), T, 0, false).rows().get(0));
                int len = t.tokens().length - P;
                for (int j = 0; j < len; j++) {
                    for (int x = 0; x < v; x++) {
                        float a = alone[(P + j) * v + x];
                        worst = Math.max(worst, Math.abs(shared[(off + j) * v + x] - a));
                        spread = Math.max(spread, Math.abs(a));
                    }
                }
                if (k == 0) { // the prefix positions too
                    for (int i = 0; i < P * v; i++) {
                        worst = Math.max(worst, Math.abs(shared[i] - alone[i]));
                    }
                }
                off += len;
            }
            assertTrue(spread > 0.5, "the logits are not trivially equal (max |logit| " + spread + ")");
            assertTrue(worst < 1e-4, "suffix logits differ from the unpacked samples' by up to " + worst);
            // control: without the shared-prefix mask (each suffix its own document at positions 0..) they differ
            Sequence r0 = packed.rows().get(0);
            float[] plain = logits(s, new Sequence(r0.tokens(), r0.doc(), r0.scored()));
            double diff = 0;
            for (int i = (P + SUFFIX[0]) * v; i < (P + SUFFIX[0] + SUFFIX[1]) * v; i++) {
                diff = Math.max(diff, Math.abs(plain[i] - shared[i]));
            }
            assertTrue(diff > 1e-2, "the prefix must change the suffix logits (max diff " + diff + ")");
        }
    }

    @Test
    void gradientOfASharedRowIsTheSumOfTheSamplesGradientsWithLossOnAssistantSpans() {
        List<GraphTrainer.Tokenized> samples = samples(6);
        assertEquals(P, SharedPrefix.choose(samples, true).length());
        SharedPrefix.Packed packed = SharedPrefix.pack(samples, P, T, 0, true);
        assertEquals(1, packed.rows().size());
        assertEquals(3 * 6, packed.scored(), "6 assistant tokens each");
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, GraphTestModels.qwen2());
             GraphSession s = new GraphSession(m, T, 1, m.names(), 1)) {
            List<String> check = List.of("token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_k.bias",
                    "blk.1.attn_v.weight", "blk.1.ffn_down.weight", "output_norm.weight");
            s.resetGradients();
            s.setBatch(List.of(packed.rows().get(0)));
            double sharedLoss = s.accumulate() * s.scoredPositions();
            List<float[]> shared = new ArrayList<>();
            check.forEach(n -> shared.add(s.gradient(n)));
            s.resetGradients();
            double sumLoss = 0;
            for (GraphTrainer.Tokenized t : samples) {
                s.setBatch(List.of(GraphTrainer.pack(List.of(t), T, 0, true).rows().get(0)));
                sumLoss += s.accumulate() * s.scoredPositions();
            }
            assertEquals(sumLoss, sharedLoss, 1e-3, "summed loss over the scored positions");
            for (int i = 0; i < check.size(); i++) {
                float[] a = shared.get(i);
                float[] b = s.gradient(check.get(i));
                double worst = 0;
                double norm = 0;
                for (int j = 0; j < a.length; j++) {
                    worst = Math.max(worst, Math.abs(a[j] - b[j]));
                    norm = Math.max(norm, Math.abs(b[j]));
                }
                assertTrue(norm > 1e-5, check.get(i) + " has a gradient to compare (max " + norm + ")");
                assertTrue(worst < 1e-4 * Math.max(1, norm), check.get(i) + ": shared-row gradient differs from the"
                        + " sum of the samples' by " + worst + " (max |g| " + norm + ")");
            }
        }
    }

    @Test
    void packerSavesTheRepeatedPrefixAndKeepsEverySuffixInsideItsRow() {
        List<GraphTrainer.Tokenized> samples = new ArrayList<>();
        for (int k = 0; k < 7; k++) {
            samples.addAll(samples(6));
        }
        SharedPrefix.Packed p = SharedPrefix.pack(samples, P, 64, 0, true);
        long unpacked = samples.stream().mapToLong(t -> t.tokens().length).sum();
        assertEquals(unpacked, p.sampleTokens());
        // suffixes 12, 17, 9 after a prefix of 24 in rows of 65 tokens: all three fit a row
        assertEquals(7, p.rows().size());
        assertEquals(unpacked - (long) (samples.size() - p.rows().size()) * P, p.tokens(), "one prefix per row");
        assertTrue(p.tokens() < unpacked * 0.7, "packed " + p.tokens() + " of " + unpacked);
        assertEquals(0, p.truncated());
        long scored = 0;
        for (Sequence row : p.rows()) {
            assertEquals(P, row.prefix());
            assertEquals(65, row.tokens().length);
            for (int i = 0; i < P; i++) {
                assertEquals(samples.get(0).tokens()[i], row.tokens()[i]);
                assertEquals(row.doc()[0], row.doc()[i]);
            }
            scored += row.scoredCount();
        }
        assertEquals(p.scored(), scored);
        assertEquals(samples.size() * 6L, scored, "every sample's assistant targets, once");
        // every suffix lies whole in one row: the documents of the rows, in order, are the samples' suffixes
        List<Integer> expected = new ArrayList<>();
        samples.forEach(t -> expected.add(t.tokens().length - P));
        assertEquals(expected, suffixLengths(p), "suffix lengths in order");
    }

    /** The document lengths after the prefix, without each row's trailing padding document. */
    private static List<Integer> suffixLengths(SharedPrefix.Packed p) {
        List<Integer> lens = new ArrayList<>();
        for (Sequence row : p.rows()) {
            List<Integer> docs = new ArrayList<>();
            int start = P;
            for (int i = P + 1; i <= row.length(); i++) {
                if (i == row.length() || row.doc()[i] != row.doc()[i - 1]) {
                    docs.add(i - start);
                    start = i;
                }
            }
            if (row.tokens()[row.length()] == 0) { // not full: the last document is padding
                docs.remove(docs.size() - 1);
            }
            lens.addAll(docs);
        }
        return lens;
    }

    @Test
    void aSampleLongerThanTheRowIsTruncatedAloneAndNoCommonPrefixMeansNoMode() {
        List<GraphTrainer.Tokenized> samples = new ArrayList<>(samples(0));
        int[] longOne = Arrays.copyOf(samples.get(0).tokens(), 100);
        for (int i = P; i < 100; i++) {
            longOne[i] = 5 + i;
        }
        samples.add(1, new GraphTrainer.Tokenized(longOne, new boolean[100]));
        SharedPrefix.Packed p = SharedPrefix.pack(samples, P, 48, 0, false);
        assertEquals(1, p.truncated());
        assertEquals(1, p.standalone());
        Sequence alone = p.rows().get(0);
        assertEquals(0, alone.prefix(), "the long sample's row is a plain row");
        assertEquals(longOne[99], alone.tokens()[48], "its end is kept");
        for (int i = 1; i < p.rows().size(); i++) {
            assertEquals(P, p.rows().get(i).prefix());
        }
        // samples without a common prefix (or a short one): the mode does not apply, with the reason
        List<GraphTrainer.Tokenized> mixed = new ArrayList<>(samples(0));
        int[] other = mixed.get(0).tokens().clone();
        other[10] = other[10] == 4 ? 5 : 4;
        mixed.add(new GraphTrainer.Tokenized(other, new boolean[other.length]));
        SharedPrefix.Choice c = SharedPrefix.choose(mixed, false);
        assertEquals(0, c.length());
        assertTrue(c.why().contains("10 tokens"), c.why());
        assertEquals(0, SharedPrefix.choose(samples.subList(0, 1), false).length());
        // with loss on assistant spans the prefix stops before the first assistant token of any sample
        List<GraphTrainer.Tokenized> early = new ArrayList<>(samples(0));
        boolean[] a = new boolean[early.get(1).tokens().length];
        a[20] = true;
        early.set(1, new GraphTrainer.Tokenized(early.get(1).tokens(), a));
        assertEquals(19, SharedPrefix.choose(early, true).length());
        assertEquals(P, SharedPrefix.choose(early, false).length());
        assertThrows(IllegalArgumentException.class, () -> new Sequence(new int[5], new int[4], new boolean[4], 2));
    }
}
