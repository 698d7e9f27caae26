package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Logits of the scored positions only: a session that gathers the scored positions before the output head must give
 * the loss, accuracy and gradient of a session that computes every position's logits, on batches with a shared
 * prefix, document boundaries, decision weights and unused slots.
 */
class GraphGatherTest {
    private static final int T = 10;

    /** Row 0: prefix of 3, two suffixes (3..6, 7..9); row 1: one document. 10 scored positions in all. */
    private static List<Sequence> batch(long seed) {
        Random r = new Random(seed);
        boolean[][] scored = {
                {false, false, false, false, true, true, false, false, true, true},
                {false, true, true, true, false, false, true, true, true, false}};
        int[][] doc = {{0, 0, 0, 1, 1, 1, 1, 2, 2, 2}, new int[T]};
        int[] prefix = {3, 0};
        List<Sequence> out = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            out.add(new Sequence(GraphTestModels.randomTokens(r, T + 1), doc[b], scored[b], prefix[b]));
        }
        return out;
    }

    private record Run(double loss, int correct, List<float[]> grads) {
    }

    private static Run run(GraphModel m, int outputs, float weight, int decisionTokens, long seed) {
        try (GraphSession s = new GraphSession(m, T, 2, m.names(), 1, weight, decisionTokens, outputs)) {
            s.setBatch(batch(seed));
            s.resetGradients();
            double loss = s.accumulate();
            List<float[]> g = new ArrayList<>();
            for (String n : m.names()) {
                g.add(s.gradient(n));
            }
            return new Run(loss, s.correctPositions(), g);
        }
    }

    private static void assertSame(Run all, Run gathered) {
        assertEquals(all.loss(), gathered.loss(), 1e-5 * Math.abs(all.loss()), "loss over the scored positions");
        assertEquals(all.correct(), gathered.correct(), "correctly predicted scored positions");
        double maxErr = 0;
        double maxGrad = 0;
        for (int t = 0; t < all.grads().size(); t++) {
            float[] a = all.grads().get(t);
            float[] b = gathered.grads().get(t);
            for (int i = 0; i < a.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]));
                maxGrad = Math.max(maxGrad, Math.abs(a[i]));
            }
        }
        assertTrue(maxGrad > 1e-3, "the gradient is not trivially zero: " + maxGrad);
        assertTrue(maxErr < 1e-5 * maxGrad, "gathered gradient off by " + maxErr + " (max " + maxGrad + ")");
    }

    @Test
    void gatheringTheScoredPositionsChangesNeitherLossNorGradient() {
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, GraphTestModels.llama())) {
            // exactly the 10 scored positions, and 15 slots of which 5 stay unused
            assertSame(run(m, 0, 1f, 0, 5), run(m, 10, 1f, 0, 5));
            assertSame(run(m, 0, 1f, 0, 6), run(m, 15, 1f, 0, 6));
            // with the decision-token weight, whose mask is gathered with the labels
            assertSame(run(m, 0, 3f, 1, 7), run(m, 13, 3f, 1, 7));
        }
    }

    @Test
    void aBatchWithMoreScoredPositionsThanSlotsIsRefused() {
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, GraphTestModels.llama());
             GraphSession s = new GraphSession(m, T, 2, m.names(), 1, 1f, 0, 9)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setBatch(batch(5)));
            assertTrue(e.getMessage().contains("9 logit rows"), e.getMessage());
            assertThrows(IllegalStateException.class, s::logits, "every position's logits are not computed");
        }
    }

    @Test
    void capacityIsTheSumOfTheLargestScoredCountsPerMicroBatch() {
        List<Sequence> train = List.of(scoredRow(3), scoredRow(7), scoredRow(5));
        List<Sequence> eval = List.of(scoredRow(8));
        assertEquals(8, GraphTrainer.scoredCapacity(train, eval, 1));
        assertEquals(15, GraphTrainer.scoredCapacity(train, eval, 2));
        assertEquals(23, GraphTrainer.scoredCapacity(train, eval, 9), "fewer rows than a micro-batch: all of them");
        assertEquals(1, GraphTrainer.scoredCapacity(List.of(scoredRow(0)), List.of(), 1), "never zero slots");
    }

    private static Sequence scoredRow(int scored) {
        boolean[] s = new boolean[T];
        for (int i = 0; i < scored; i++) {
            s[i] = true;
        }
        return new Sequence(new int[T + 1], new int[T], s);
    }
}
