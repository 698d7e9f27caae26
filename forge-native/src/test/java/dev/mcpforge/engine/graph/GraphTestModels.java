package dev.mcpforge.engine.graph;

import dev.mcpforge.engine.TestModels;
import dev.mcpforge.engine.gguf.GgmlType;
import dev.mcpforge.engine.gguf.GgufWriter;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyProfile;
import dev.mcpforge.engine.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small models for the graph tests: a llama from TinyModelBuilder and a hand-written qwen2 (biases, GQA, tied head). */
final class GraphTestModels {
    private static Path llama;
    private static Path qwen2;

    private GraphTestModels() {
    }

    static Vocabulary vocabulary() {
        return TestModels.tiny().vocabulary();
    }

    /** n random tokens of the test vocabulary, none of its first three (special) tokens. */
    static int[] randomTokens(Random r, int n) {
        int nVocab = vocabulary().size();
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 3 + r.nextInt(nVocab - 3);
        }
        return t;
    }

    static synchronized Path llama() {
        if (llama == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "test-models").toAbsolutePath());
                // larger init than the default so that the logits are far from uniform (a meaningful comparison)
                llama = new TinyModelBuilder().profile(TinyProfile.NANO).seed(7).contextLength(256)
                        .vocabulary(vocabulary()).initStd(0.08f).build(dir.resolve("graph-llama.gguf")).path();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return llama;
    }

    /** qwen2: n_embd 64, 4 query heads / 2 KV heads, n_ff 96, 2 layers, Q/K/V biases, no output.weight (tied). */
    static synchronized Path qwen2() {
        if (qwen2 == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "test-models").toAbsolutePath());
                qwen2 = writeQwen2(dir.resolve("graph-qwen2.gguf"), 64, 4, 2, 96, 2, 11);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return qwen2;
    }

    static Path writeQwen2(Path out, int d, int heads, int kvHeads, int ff, int layers, long seed) throws IOException {
        Vocabulary v = vocabulary();
        int nVocab = v.size();
        int hd = d / heads;
        int dkv = hd * kvHeads;
        String a = "qwen2";
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", a);
        w.putString("general.name", "graph-test-qwen2");
        w.putUInt32("general.file_type", 0);
        w.putUInt32("general.alignment", 32);
        w.putUInt32(a + ".context_length", 256);
        w.putUInt32(a + ".embedding_length", d);
        w.putUInt32(a + ".block_count", layers);
        w.putUInt32(a + ".feed_forward_length", ff);
        w.putUInt32(a + ".attention.head_count", heads);
        w.putUInt32(a + ".attention.head_count_kv", kvHeads);
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-6f);
        w.putFloat32(a + ".rope.freq_base", 1000000f);
        v.writeTo(w);
        Random r = new Random(seed);
        w.addTensor("token_embd.weight", new long[] {d, nVocab}, normal(r, d * nVocab, 0.5f));
        w.addTensor("output_norm.weight", new long[] {d}, around1(r, d));
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", new long[] {d}, around1(r, d));
            w.addTensor(p + "attn_q.weight", new long[] {d, d}, normal(r, d * d, 0.15f));
            w.addTensor(p + "attn_q.bias", new long[] {d}, normal(r, d, 0.3f));
            w.addTensor(p + "attn_k.weight", new long[] {d, dkv}, normal(r, d * dkv, 0.15f));
            w.addTensor(p + "attn_k.bias", new long[] {dkv}, normal(r, dkv, 0.3f));
            w.addTensor(p + "attn_v.weight", new long[] {d, dkv}, normal(r, d * dkv, 0.15f));
            w.addTensor(p + "attn_v.bias", new long[] {dkv}, normal(r, dkv, 0.3f));
            w.addTensor(p + "attn_output.weight", new long[] {d, d}, normal(r, d * d, 0.15f));
            w.addTensor(p + "ffn_norm.weight", new long[] {d}, around1(r, d));
            w.addTensor(p + "ffn_gate.weight", new long[] {d, ff}, normal(r, d * ff, 0.15f));
            w.addTensor(p + "ffn_up.weight", new long[] {d, ff}, normal(r, d * ff, 0.15f));
            w.addTensor(p + "ffn_down.weight", new long[] {ff, d}, normal(r, d * ff, 0.15f));
        }
        w.write(out);
        return out;
    }

    private static float[] normal(Random r, int n, float std) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextGaussian() * std);
        }
        return f;
    }

    private static float[] around1(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = 1f + (float) (r.nextGaussian() * 0.1);
        }
        return f;
    }
}
