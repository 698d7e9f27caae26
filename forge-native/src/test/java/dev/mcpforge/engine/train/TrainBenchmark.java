package dev.mcpforge.engine.train;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import dev.mcpforge.engine.NativeEngine;
import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyProfile;
import dev.mcpforge.engine.tokenizer.TestCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/**
 * Not a test: the training benchmark recorded in docs/benchmarks.md ("forge:train vs llama-finetune"). Modes
 * (run with the test classpath):
 * <ul>
 * <li>{@code prepare <dir> <profile> <nCtx> <conversations>}: builds the tiny F32 model (tokenizer learned from the
 * corpus) as {@code <dir>/model.gguf}, writes the corpus as one text file {@code corpus.txt} (llama-finetune -f)
 * and as one JSON string per conversation {@code train.jsonl} (the project's trainer).</li>
 * <li>{@code train <dir> <threads> <nCtx> <batch> <ubatch> <epochs>}: runs {@link Trainer} (the code the worker's
 * {@code train} op runs) on it, AdamW, no held-out split; prints tokens/s per epoch, peak RSS, the memory
 * estimate and 6 x params x tokens/s.</li>
 * <li>{@code graph <dir> <threads> <nCtx> <batch> <ubatch> <epochs> [sharedPrefix]}: the same with
 * {@link GraphTrainer} (the default {@code graph} core of forge:train), loss on all tokens as llama-finetune scores
 * them, shared-prefix packing off unless the last argument is {@code true}; tokens/s = computed row tokens.</li>
 * <li>{@code matmul <engine|libDir> <threads> <M> <N> <K> <reps>}: a single F32 ggml_mul_mat graph computed
 * with ggml_graph_compute_with_ctx, either with the engine's libraries or with the ggml libraries in libDir;
 * prints GFLOP/s (2 x M x N x K per product).</li>
 * </ul>
 */
public final class TrainBenchmark {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "prepare" -> prepare(Path.of(args[1]), TinyProfile.valueOf(args[2].toUpperCase(Locale.ROOT)),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "train" -> train(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            case "graph" -> graph(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    args.length > 7 && Boolean.parseBoolean(args[7]));
            case "matmul" -> matmul(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]),
                    Long.parseLong(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("mode: prepare | train | graph | matmul");
        }
    }

    private static void prepare(Path dir, TinyProfile profile, int nCtx, int conversations) throws Exception {
        Files.createDirectories(dir);
        String corpus = TestCorpus.chatml(conversations);
        TinyModelBuilder.Result m = new TinyModelBuilder().profile(profile).seed(1).contextLength(nCtx).vocabSize(2048)
                .corpus(corpus).build(dir.resolve("model.gguf"));
        Files.writeString(dir.resolve("corpus.txt"), corpus, StandardCharsets.UTF_8);
        StringBuilder jsonl = new StringBuilder();
        for (String conv : corpus.split("(?=<\\|im_start\\|>system)")) {
            if (!conv.isEmpty()) {
                jsonl.append(TrainRequest.MAPPER.writeValueAsString(conv)).append('\n');
            }
        }
        Files.writeString(dir.resolve("train.jsonl"), jsonl, StandardCharsets.UTF_8);
        System.out.println("model " + m.path() + " profile " + profile + " params " + m.parameterCount() + " vocab "
                + m.vocabulary().size() + ", corpus " + corpus.length() + " chars");
    }

    private static void train(Path dir, int threads, int nCtx, int batch, int ubatch, int epochs) throws Exception {
        TrainRequest r = TrainRequest.builder(dir.resolve("model.gguf"), dir.resolve("out-forge.gguf"),
                dir.resolve("ckpt"), dir.resolve("train.jsonl")).context(nCtx).batch(batch, ubatch).threads(threads)
                .epochs(epochs, 0).learningRate(1e-4, 1e-4).schedule("constant").seed(1).runKey("bench").build();
        long t0 = System.nanoTime();
        JsonNode res = new Trainer(r, TrainBenchmark::printInfo).run();
        double wall = (System.nanoTime() - t0) / 1e9;
        long params = res.get("modelParameters").asLong();
        String tps = perEpoch(res, params);
        // the formula of dev.mcpforge.train.MemoryEstimate (forge-maven-plugin; forge-native cannot import it)
        TinyDims d = TinyDims.of(dir.resolve("model.gguf"));
        long w = 4L * params;
        long kv = 2L * 4 * d.layers * d.embd * nCtx;
        long act = 4L * (3L * d.vocab + (long) d.layers * (14L * d.embd + 4L * d.ff)) * ubatch * 2;
        long est = w + w + 2 * w + kv + act + (160L << 20);
        System.out.println(String.format(Locale.ROOT, "forge train: threads %d ctx %d batch %d ubatch %d params %d, %d "
                        + "sequences x %d epochs, %d steps; tokens/s per epoch:%s; run() %.2f s; peak RSS %.1f MiB;"
                        + " estimate %.1f MiB (weights+grads %.1f, moments %.1f, kv %.1f, act %.1f, runtime 160)",
                threads, nCtx, batch, ubatch, params, res.get("trainSequences").asInt(), epochs, res.get("steps").asLong(),
                tps, wall, Trainer.peakRss() / 1048576.0, est / 1048576.0, 2 * w / 1048576.0, 2 * w / 1048576.0,
                kv / 1048576.0, act / 1048576.0));
    }

    private static void graph(Path dir, int threads, int nCtx, int batch, int ubatch, int epochs, boolean shared) {
        TrainRequest r = TrainRequest.builder(dir.resolve("model.gguf"), dir.resolve("out-graph.gguf"),
                dir.resolve("ckpt-graph"), dir.resolve("train.jsonl")).context(nCtx).batch(batch, ubatch)
                .threads(threads).epochs(epochs, 0).learningRate(1e-4, 1e-4).schedule("constant").seed(1)
                .runKey("bench-graph").core(TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ALL).sharedPrefix(shared, 0)
                .build();
        NativeLoader.load();
        long t0 = System.nanoTime();
        JsonNode res = new dev.mcpforge.engine.graph.GraphTrainer(r, TrainBenchmark::printInfo).run();
        double wall = (System.nanoTime() - t0) / 1e9;
        long params = res.get("modelParameters").asLong();
        String tps = perEpoch(res, params);
        NativeEngine e = NativeLoader.load();
        System.out.println(String.format(Locale.ROOT, "forge graph train: libraries %s (cpu %s), threads %d ctx %d "
                        + "batch %d ubatch %d params %d, %d rows x %d epochs, %d steps; tokens/s per epoch:%s; run() "
                        + "%.2f s; peak RSS %.1f MiB", e.probe().npmPackage(), e.cpuVariant(), threads, nCtx, batch,
                ubatch, params, res.get("trainSequences").asInt(), epochs, res.get("steps").asLong(), tps, wall,
                Trainer.peakRss() / 1048576.0));
    }

    private static void printInfo(String event) {
        if (event.contains("\"info\"")) {
            System.out.println(event);
        }
    }

    /** " tokens/s (seconds, 6 x params x tokens/s GFLOP/s)" for each epoch of a trainer's result. */
    private static String perEpoch(JsonNode res, long params) {
        StringBuilder tps = new StringBuilder();
        for (JsonNode ep : res.get("epochs")) {
            double t = ep.get("tokensPerSecond").asDouble();
            tps.append(String.format(Locale.ROOT, " %.1f (%.2f s, %.2f GFLOP/s)", t, ep.get("seconds").asDouble(),
                    6.0 * params * t / 1e9));
        }
        return tps.toString();
    }

    private record TinyDims(int vocab, int layers, int embd, int ff) {
        static TinyDims of(Path gguf) throws Exception {
            var f = dev.mcpforge.engine.gguf.GgufReader.read(gguf);
            String a = f.metadata().get("general.architecture").toString();
            return new TinyDims(intOf(f.metadata().get("tokenizer.ggml.tokens")),
                    intOf(f.metadata().get(a + ".block_count")), intOf(f.metadata().get(a + ".embedding_length")),
                    intOf(f.metadata().get(a + ".feed_forward_length")));
        }

        private static int intOf(Object o) {
            if (o instanceof dev.mcpforge.engine.gguf.GgufArray arr) {
                return arr.size();
            }
            return ((Number) o).intValue();
        }
    }

    /** struct ggml_init_params. */
    @Structure.FieldOrder({"mem_size", "mem_buffer", "no_alloc"})
    public static class InitParams extends Structure implements Structure.ByValue {
        public long mem_size;
        public Pointer mem_buffer;
        public byte no_alloc;
    }

    public interface GgmlBase extends Library {
        Pointer ggml_init(InitParams p);

        void ggml_free(Pointer ctx);

        Pointer ggml_new_tensor_2d(Pointer ctx, int type, long ne0, long ne1);

        Pointer ggml_mul_mat(Pointer ctx, Pointer a, Pointer b);

        Pointer ggml_new_graph(Pointer ctx);

        void ggml_build_forward_expand(Pointer graph, Pointer tensor);

        Pointer ggml_get_data(Pointer tensor);

        long ggml_graph_overhead();

        long ggml_tensor_overhead();
    }

    public interface GgmlCpu extends Library {
        int ggml_graph_compute_with_ctx(Pointer ctx, Pointer graph, int nThreads);
    }

    private static void matmul(String libs, int threads, long m, long n, long k, int reps) throws Exception {
        GgmlBase base;
        GgmlCpu cpu;
        String what;
        if ("engine".equals(libs)) {
            NativeEngine e = NativeLoader.load();
            Path d = e.libraryDir();
            base = Native.load(d.resolve("libggml-base.so").toString(), GgmlBase.class);
            cpu = Native.load(e.cpuLibrary().toString(), GgmlCpu.class);
            what = "engine libraries (" + e.llamaRelease() + ", cpu variant " + e.cpuVariant() + ")";
        } else {
            Path d = Path.of(libs);
            base = Native.load(d.resolve("libggml-base.so").toString(), GgmlBase.class);
            cpu = Native.load(d.resolve("libggml-cpu.so").toString(), GgmlCpu.class);
            what = d.toString();
        }
        InitParams p = new InitParams();
        p.mem_size = 4 * (k * m + k * n + m * n) + base.ggml_graph_overhead() + 16 * base.ggml_tensor_overhead()
                + (256L << 20);
        p.mem_buffer = null;
        p.no_alloc = 0;
        Pointer ctx = base.ggml_init(p);
        Pointer a = base.ggml_new_tensor_2d(ctx, 0, k, m);
        Pointer b = base.ggml_new_tensor_2d(ctx, 0, k, n);
        Random rnd = new Random(1);
        fill(base.ggml_get_data(a), k * m, rnd);
        fill(base.ggml_get_data(b), k * n, rnd);
        Pointer c = base.ggml_mul_mat(ctx, a, b);
        Pointer g = base.ggml_new_graph(ctx);
        base.ggml_build_forward_expand(g, c);
        List<Double> gf = new ArrayList<>();
        for (int i = 0; i <= reps; i++) {
            long t0 = System.nanoTime();
            int rc = cpu.ggml_graph_compute_with_ctx(ctx, g, threads);
            long t1 = System.nanoTime();
            if (rc != 0) {
                throw new IllegalStateException("ggml_graph_compute_with_ctx returned " + rc);
            }
            if (i > 0) { // i == 0: warm-up
                gf.add(2.0 * m * n * k / ((t1 - t0) / 1e9) / 1e9);
            }
        }
        base.ggml_free(ctx);
        gf.sort(null);
        double mean = gf.stream().mapToDouble(x -> x).average().orElse(0);
        System.out.println(String.format(Locale.ROOT, "mul_mat F32 %dx%d * %dx%d, %d threads, %s: GFLOP/s mean %.1f, "
                + "median %.1f, best %.1f (%d reps)", m, k, k, n, threads, what, mean, gf.get(gf.size() / 2),
                gf.get(gf.size() - 1), reps));
    }

    private static void fill(Pointer p, long count, Random rnd) {
        float[] f = new float[(int) count];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        p.write(0, f, 0, f.length);
    }
}
