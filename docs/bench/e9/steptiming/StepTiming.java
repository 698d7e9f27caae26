// Experiment code for docs/benchmarks.md (run 25), not part of the build. Compile into the package
// dev.mcpforge.engine.graph against the forge-native test classpath (see docs/bench/e9/copy/README.md) and run:
//   java -cp <out>:<cp> dev.mcpforge.engine.graph.StepTiming examples/filesystem-agent/target/forge/model/base-tiny.gguf 480 2 1
package dev.mcpforge.engine.graph;

import dev.mcpforge.engine.NativeLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Times the parts of one optimizer step of the graph core: experiment code. args: model.gguf T threads rows */
public class StepTiming {
    public static void main(String[] a) {
        NativeLoader.load();
        Path model = Path.of(a[0]);
        int T = Integer.parseInt(a[1]);
        int threads = Integer.parseInt(a[2]);
        int micros = Integer.parseInt(a[3]);
        try (GgmlRuntime rt = GgmlRuntime.open(threads); GraphModel m = GraphModel.load(rt, model);
             GraphSession s = new GraphSession(m, T, 1, m.names(), micros, 1f, 0, T / 3)) {
            Random r = new Random(1);
            int nv = m.hparams().nVocab();
            long tSet = 0, tReset = 0, tAcc = 0, tStep = 0;
            int steps = 12;
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                s.resetGradients();
                long t1 = System.nanoTime();
                long set = 0, acc = 0;
                for (int k = 0; k < micros; k++) {
                    int[] tok = new int[T + 1];
                    for (int j = 0; j <= T; j++) tok[j] = 10 + r.nextInt(nv - 10);
                    boolean[] sc = new boolean[T];
                    Arrays.fill(sc, T - T / 3, T, true);
                    long u0 = System.nanoTime();
                    s.setBatch(List.of(new Sequence(tok, new int[T], sc)));
                    long u1 = System.nanoTime();
                    s.accumulate();
                    long u2 = System.nanoTime();
                    set += u1 - u0; acc += u2 - u1;
                }
                long t2 = System.nanoTime();
                s.step(1e-4f, 0.9f, 0.999f, 1e-8f, 0f);
                long t3 = System.nanoTime();
                if (i >= 2) { tReset += t1 - t0; tSet += set; tAcc += acc; tStep += t3 - t2; }
            }
            int n = steps - 2;
            System.out.printf("T=%d threads=%d micros=%d per step: reset %.1f ms, setBatch %.1f ms, accumulate %.1f ms, adamw %.1f ms%n",
                    T, threads, micros, tReset / 1e6 / n, tSet / 1e6 / n, tAcc / 1e6 / n, tStep / 1e6 / n);
        }
    }
}
