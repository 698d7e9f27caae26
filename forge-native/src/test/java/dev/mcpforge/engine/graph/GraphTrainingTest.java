package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph's own optimizer loop: masked loss, gradient reset, determinism, every tensor trains, memorisation. */
class GraphTrainingTest {
    private static final int T = 16;

    private static Sequence seq(long seed, boolean[] scored) {
        Random r = new Random(seed);
        int[] tokens = GraphTestModels.randomTokens(r, T + 1);
        return new Sequence(tokens, new int[T], scored);
    }

    private static boolean[] scored(int from, int to) {
        boolean[] s = new boolean[T];
        Arrays.fill(s, from, to, true);
        return s;
    }

    @Test
    void maskedRowsGiveExactlyZeroGradientAndTheLossIsTheMeanOverScoredRows() {
        Path model = GraphTestModels.qwen2();
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, model);
             GraphSession s = new GraphSession(m, T, 1, m.names(), 1)) {
            // every row masked: every gradient is exactly zero
            s.setBatch(List.of(seq(1, scored(0, 0))));
            s.resetGradients();
            s.accumulate();
            for (String n : m.names()) {
                for (float f : s.gradient(n)) {
                    assertEquals(0f, f, n + " got a gradient from masked rows");
                }
            }
            // the label of a masked row does not matter: changing it leaves every gradient bit-identical
            Sequence a = seq(2, scored(0, T - 1));
            int[] other = a.tokens().clone();
            other[T] = (other[T] + 1) % GraphTestModels.vocabulary().size();
            Sequence b = new Sequence(other, a.doc(), a.scored());
            s.setBatch(List.of(a));
            s.resetGradients();
            double lossA = s.accumulate();
            List<float[]> ga = new ArrayList<>();
            m.names().forEach(n -> ga.add(s.gradient(n)));
            s.setBatch(List.of(b));
            s.resetGradients();
            s.accumulate();
            for (int i = 0; i < ga.size(); i++) {
                assertArrayEquals(ga.get(i), s.gradient(m.names().get(i)), m.names().get(i));
            }
            // the reported loss is the mean cross-entropy over the scored rows only
            s.setBatch(List.of(a));
            float[] logits = s.logits();
            int v = GraphTestModels.vocabulary().size();
            double sum = 0;
            for (int i = 0; i < T - 1; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < v; j++) {
                    max = Math.max(max, logits[i * v + j]);
                }
                double z = 0;
                for (int j = 0; j < v; j++) {
                    z += Math.exp(logits[i * v + j] - max);
                }
                sum += Math.log(z) + max - logits[i * v + a.tokens()[i + 1]];
            }
            assertEquals(sum / (T - 1), lossA, 1e-3);
            assertEquals(lossA, s.evalLoss(), 1e-6);
        }
    }

    @Test
    void gradientsAreResetAndIdenticalStepsGiveIdenticalUpdates() {
        Path model = GraphTestModels.qwen2();
        Sequence a = seq(5, scored(0, T));
        float[][] after = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, model);
                 GraphSession s = new GraphSession(m, T, 1, m.names(), 1)) {
                s.setBatch(List.of(a));
                s.resetGradients();
                s.accumulate();
                float[] g1 = s.gradient("blk.0.attn_k.weight");
                s.resetGradients();
                s.accumulate();
                assertArrayEquals(g1, s.gradient("blk.0.attn_k.weight"), "reset must zero the accumulators");
                s.step(1e-3f, 0.9f, 0.999f, 1e-8f, 0f);
                List<String> unchanged = new ArrayList<>();
                float[] before;
                try (GraphModel fresh = GraphModel.load(rt, model)) {
                    for (String n : m.names()) {
                        if (Arrays.equals(fresh.read(n), m.read(n))) {
                            unchanged.add(n);
                        }
                    }
                    before = fresh.read("blk.1.attn_v.weight");
                }
                assertTrue(unchanged.isEmpty(), "tensors that did not train: " + unchanged);
                after[run] = m.read("blk.1.attn_v.weight");
                assertNotEquals(Arrays.hashCode(before), Arrays.hashCode(after[run]));
            }
        }
        assertArrayEquals(after[0], after[1], "two identical steps from the same state differ");
    }

    @Test
    void memorisesATinyCorpusSoLlamaCppReproducesIt(@TempDir Path tmp) throws Exception {
        Path model = GraphTestModels.llama();
        int[] text = seq(9, scored(0, T)).tokens();
        Path out = tmp.resolve("memorised.gguf");
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, model);
             GraphSession s = new GraphSession(m, T, 1, m.names(), 1)) {
            s.setBatch(List.of(new Sequence(text, new int[T], scored(0, T))));
            double first = Double.NaN;
            double loss = Double.NaN;
            for (int i = 0; i < 40; i++) {
                s.resetGradients();
                loss = s.accumulate();
                if (i == 0) {
                    first = loss;
                }
                s.step(3e-3f, 0.9f, 0.999f, 1e-8f, 0f);
            }
            assertTrue(loss < first / 10, "loss " + first + " -> " + loss);
            m.save(out);
        }
        float[] ref = LlamaReference.logits(out, Arrays.copyOf(text, T));
        int v = GraphTestModels.vocabulary().size();
        for (int i = 0; i < T; i++) {
            int best = 0;
            for (int j = 1; j < v; j++) {
                if (ref[i * v + j] > ref[i * v + best]) {
                    best = j;
                }
            }
            assertEquals(text[i + 1], best, "llama.cpp's greedy next token after position " + i);
        }
    }
}
