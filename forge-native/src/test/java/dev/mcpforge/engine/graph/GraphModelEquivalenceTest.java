package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The training graph computes the same logits as llama.cpp's inference for the same weights and tokens (issue #8
 * step 4), for each supported architecture, including packed documents (block-diagonal mask, restarting positions).
 */
class GraphModelEquivalenceTest {

    @Test
    void llamaLogitsMatchLlamaDecode() {
        check(GraphTestModels.llama());
    }

    @Test
    void qwen2LogitsMatchLlamaDecode() {
        check(GraphTestModels.qwen2());
    }

    private static void check(Path gguf) {
        int nVocab = GraphTestModels.vocabulary().size();
        Random r = new Random(3);
        int[] a = GraphTestModels.randomTokens(r, 13);
        int[] b = GraphTestModels.randomTokens(r, 11);
        float[] refA = LlamaReference.logits(gguf, a);
        float[] refB = LlamaReference.logits(gguf, b);
        int t = 24; // a + b packed into one row, b + a into another
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, gguf);
             GraphSession s = new GraphSession(m, t, 2, List.of(), 1)) {
            s.setBatch(List.of(packed(a, b), packed(b, a)));
            float[] got = s.logits();
            double scale = 0;
            for (float f : refA) {
                scale = Math.max(scale, Math.abs(f));
            }
            assertTrue(scale > 1.0, "reference logits are too flat for a meaningful check: max |logit| " + scale);
            double maxDiff = 0;
            maxDiff = Math.max(maxDiff, diff(got, 0, refA, a.length, nVocab));
            maxDiff = Math.max(maxDiff, diff(got, a.length, refB, b.length, nVocab));
            maxDiff = Math.max(maxDiff, diff(got, t, refB, b.length, nVocab));
            maxDiff = Math.max(maxDiff, diff(got, t + b.length, refA, a.length, nVocab));
            System.out.println(gguf.getFileName() + ": max diff " + maxDiff + " scale " + scale);
            assertTrue(maxDiff < 1e-3 * scale, gguf.getFileName() + ": max |graph - llama_decode| = " + maxDiff
                    + " at logit scale " + scale);
            // the graph really depends on the context: a shifted sequence gives other logits
            assertTrue(diff(got, 1, refA, a.length - 1, nVocab) > 1e-2 * scale);
        }
    }

    private static double diff(float[] got, int row0, float[] ref, int rows, int nVocab) {
        double m = 0;
        for (int i = 0; i < rows * nVocab; i++) {
            m = Math.max(m, Math.abs(got[row0 * nVocab + i] - ref[i]));
        }
        return m;
    }

    private static Sequence packed(int[] x, int[] y) {
        int t = x.length + y.length;
        int[] tokens = new int[t + 1];
        System.arraycopy(x, 0, tokens, 0, x.length);
        System.arraycopy(y, 0, tokens, x.length, y.length);
        int[] doc = new int[t];
        Arrays.fill(doc, x.length, t, 1);
        boolean[] scored = new boolean[t];
        Arrays.fill(scored, true);
        return new Sequence(tokens, doc, scored);
    }

    @Test
    void hparamsOfBothArchitectures() {
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel q = GraphModel.load(rt, GraphTestModels.qwen2())) {
            assertEquals("qwen2", q.hparams().arch());
            assertEquals(GgmlTrainLibrary.ROPE_NEOX, q.hparams().ropeMode());
            assertEquals(2, q.hparams().nHeadKv());
            assertTrue(q.tiedOutput());
        }
    }
}
