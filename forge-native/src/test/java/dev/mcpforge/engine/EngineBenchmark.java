package dev.mcpforge.engine;

import dev.mcpforge.engine.llama.Context;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.llama.Sampler;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyProfile;
import dev.mcpforge.engine.tokenizer.TestCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the benchmark recorded in docs/benchmarks.md. Measures what llama-bench measures (pp = prompt
 * processing of N tokens in one batch, tg = N single-token decodes, here each followed by greedy sampling) plus
 * quantization wall time. Usage: {@code java -cp <test classpath> dev.mcpforge.engine.EngineBenchmark <out dir>
 * [threads] [reps] [extra.gguf ...]}.
 */
public final class EngineBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Files.createDirectories(dir);
        NativeEngine e = NativeLoader.load();
        System.out.println("engine " + e.llamaRelease() + " cpu variant " + e.cpuVariant() + ", threads " + threads);
        List<Path> models = new ArrayList<>();
        Path f32 = dir.resolve("base-f32.gguf");
        if (!Files.exists(f32)) {
            new TinyModelBuilder().profile(TinyProfile.BASE).seed(1).contextLength(512).vocabSize(2048)
                    .corpus(TestCorpus.chatml(600)).build(f32);
        }
        models.add(f32);
        for (QuantFormat f : List.of(QuantFormat.Q8_0, QuantFormat.Q4_K_M)) {
            Path out = dir.resolve("base-" + f.id() + ".gguf");
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                ms.add(Quantizer.quantize(f32, out, f, threads).millis());
            }
            System.out.println(String.format(Locale.ROOT, "quantize %s -> %s: %s ms", f32.getFileName(), f.id(), stats(ms)));
            models.add(out);
        }
        for (int i = 3; i < args.length; i++) {
            models.add(Path.of(args[i]));
        }
        for (Path p : models) {
            try (Model m = Model.load(p)) {
                List<Double> pp = new ArrayList<>();
                List<Double> tg = new ArrayList<>();
                for (int r = 0; r <= reps; r++) { // r == 0: warm-up
                    double[] x = run(m, threads, 128, 128);
                    if (r > 0) {
                        pp.add(x[0]);
                        tg.add(x[1]);
                    }
                }
                System.out.println(String.format(Locale.ROOT, "%s (%s, %d params): pp128 %s t/s, tg128 %s t/s",
                        p.getFileName(), m.description(), m.nParams(), statsD(pp), statsD(tg)));
            }
        }
    }

    /** {pp tokens/s, tg tokens/s}. */
    private static double[] run(Model m, int threads, int nPrompt, int nGen) {
        int nVocab = m.vocab().nTokens();
        int[] prompt = new int[nPrompt];
        java.util.Random rnd = new java.util.Random(42);
        for (int i = 0; i < nPrompt; i++) {
            prompt[i] = 3 + rnd.nextInt(nVocab - 3);
        }
        double pp;
        double tg;
        try (Context ctx = new Context(m, nPrompt + nGen + 16, threads);
             Sampler s = new Sampler(m, null, 0f, 0, 1f, 0)) {
            long t0 = System.nanoTime();
            ctx.decode(prompt, 0, nPrompt);
            long t1 = System.nanoTime();
            pp = nPrompt / ((t1 - t0) / 1e9);
            ctx.clear();
            int[] one = {m.vocab().bos() >= 0 ? m.vocab().bos() : 1};
            long t2 = System.nanoTime();
            for (int i = 0; i < nGen; i++) {
                ctx.decode(one, 0, 1);
                one[0] = s.sample(ctx);
            }
            long t3 = System.nanoTime();
            tg = nGen / ((t3 - t2) / 1e9);
        }
        return new double[] {pp, tg};
    }

    private static String stats(List<Long> xs) {
        return statsD(xs.stream().map(Long::doubleValue).toList());
    }

    private static String statsD(List<Double> xs) {
        double mean = xs.stream().mapToDouble(d -> d).average().orElse(0);
        double var = xs.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / Math.max(1, xs.size() - 1);
        return String.format(Locale.ROOT, "%.1f ± %.1f", mean, Math.sqrt(var));
    }
}
