package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decision-token weight: the first k scored positions of each scored span count w times. Its gradient must equal
 * the plain gradient plus (w - 1) times the gradient of the decision positions alone, and the reported loss must stay
 * the plain one.
 */
class DecisionWeightTest {
    private static final int T = 8;

    /** Two rows; spans start at 2 and 6 in row 0, and at 0 and at the second document (position 5) in row 1. */
    private static List<Sequence> batch(boolean decisionOnly) {
        Random r = new Random(11);
        boolean[][] scored = {
                {false, false, true, true, true, false, true, true},
                {true, true, true, true, true, true, true, true}};
        // decision positions with k = 2: the first two of each span (row 1: a new document starts at 5)
        boolean[][] decision = {
                {false, false, true, true, false, false, true, true},
                {true, true, false, false, false, true, true, false}};
        List<Sequence> out = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            int[] tok = GraphTestModels.randomTokens(r, T + 1);
            int[] doc = new int[T];
            if (b == 1) {
                for (int i = 5; i < T; i++) {
                    doc[i] = 1;
                }
            }
            out.add(new Sequence(tok, doc, decisionOnly ? decision[b] : scored[b]));
        }
        return out;
    }

    private record Run(double loss, List<float[]> grads) {
    }

    private static Run run(GraphModel m, List<Sequence> batch, float weight, int tokens) {
        try (GraphSession s = new GraphSession(m, T, 2, m.names(), 1, weight, tokens, 0)) {
            s.setBatch(batch);
            s.resetGradients();
            double loss = s.accumulate();
            List<float[]> g = new ArrayList<>();
            for (String n : m.names()) {
                g.add(s.gradient(n));
            }
            return new Run(loss, g);
        }
    }

    @Test
    void weightedGradientIsPlainPlusWeightedDecisionGradient() {
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, GraphTestModels.llama())) {
            Run plain = run(m, batch(false), 1f, 0);
            Run decisionOnly = run(m, batch(true), 1f, 0);
            Run weighted = run(m, batch(false), 3f, 2);
            assertEquals(plain.loss(), weighted.loss(), 1e-5, "the reported loss stays the plain loss");
            double maxErr = 0;
            double maxGrad = 0;
            for (int t = 0; t < plain.grads().size(); t++) {
                float[] p = plain.grads().get(t);
                float[] d = decisionOnly.grads().get(t);
                float[] w = weighted.grads().get(t);
                for (int i = 0; i < p.length; i++) {
                    maxErr = Math.max(maxErr, Math.abs(w[i] - (p[i] + 2 * d[i])));
                    maxGrad = Math.max(maxGrad, Math.abs(p[i] + 2 * d[i]));
                }
            }
            assertTrue(maxGrad > 1e-3, "the gradient is not trivially zero: " + maxGrad);
            assertTrue(maxErr < 1e-4 * maxGrad + 1e-6, "weighted gradient off by " + maxErr + " (max " + maxGrad + ")");

            Run one = run(m, batch(false), 1f, 16);
            for (int t = 0; t < plain.grads().size(); t++) {
                assertTrue(java.util.Arrays.equals(plain.grads().get(t), one.grads().get(t)), "weight 1 is the plain graph");
            }
        }
    }

    @Test
    void aWeightBelowOneIsRefused() {
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, GraphTestModels.llama())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GraphSession(m, T, 2, m.names(), 1, 0.5f, 4, 0));
            assertTrue(e.getMessage().contains("decision weight"), e.getMessage());
        }
    }
}
