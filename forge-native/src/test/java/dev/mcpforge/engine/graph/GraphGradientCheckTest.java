package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ggml's autodiff through the graph against central finite differences, for an element of every tensor. */
class GraphGradientCheckTest {
    @Test
    void qwen2GradientsMatchFiniteDifferences() {
        check(GraphTestModels.qwen2());
    }

    @Test
    void llamaGradientsMatchFiniteDifferences() {
        check(GraphTestModels.llama());
    }

    private static void check(java.nio.file.Path model) {
        int t = 8;
        Random r = new Random(4);
        List<Sequence> batch = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            int[] tok = GraphTestModels.randomTokens(r, t + 1);
            int[] doc = new int[t];
            for (int i = t / 2; i < t; i++) {
                doc[i] = b; // the second row holds two documents
            }
            boolean[] scored = new boolean[t];
            java.util.Arrays.fill(scored, true);
            batch.add(new Sequence(tok, doc, scored));
        }
        List<String> bad = new ArrayList<>();
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, model);
             GraphSession s = new GraphSession(m, t, 2, m.names(), 1)) {
            s.setBatch(batch);
            s.resetGradients();
            s.accumulate();
            for (String name : m.names()) {
                float[] g = s.gradient(name);
                float[] w = m.read(name);
                int best = 0;
                for (int i = 1; i < g.length; i++) {
                    if (Math.abs(g[i]) > Math.abs(g[best])) {
                        best = i;
                    }
                }
                for (int idx : new int[] {best, r.nextInt(g.length)}) {
                    float h = 5e-3f;
                    float orig = w[idx];
                    w[idx] = orig + h;
                    m.write(name, w);
                    double up = s.evalLoss();
                    w[idx] = orig - h;
                    m.write(name, w);
                    double down = s.evalLoss();
                    w[idx] = orig;
                    m.write(name, w);
                    double fd = (up - down) / (2 * h);
                    double err = Math.abs(fd - g[idx]);
                    if (err > 2e-3 + 0.05 * Math.abs(g[idx])) {
                        bad.add(name + "[" + idx + "] autodiff " + g[idx] + " vs finite difference " + fd);
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
