package dev.mcpforge.engine.tiny;

import dev.mcpforge.engine.gguf.GgmlType;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.gguf.GgufTensorInfo;
import dev.mcpforge.engine.tokenizer.SpmTokenizer;
import dev.mcpforge.engine.tokenizer.TestCorpus;
import dev.mcpforge.engine.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TinyModelBuilderTest {
    @TempDir
    Path dir;

    @Test
    void writesLoadableLlamaGgufWithAllRequiredKeys() throws Exception {
        String corpus = TestCorpus.chatml(200);
        TinyModelBuilder.Result r = new TinyModelBuilder().profile(TinyProfile.NANO).seed(1).contextLength(256)
                .vocabSize(512).corpus(corpus).build(dir.resolve("tiny.gguf"));
        GgufFile g = GgufReader.read(r.path());
        assertEquals("llama", g.architecture());
        assertEquals(256L, g.contextLength().orElseThrow());
        for (String k : List.of("llama.embedding_length", "llama.block_count", "llama.attention.layer_norm_rms_epsilon",
                "llama.feed_forward_length", "llama.attention.head_count", "llama.attention.head_count_kv",
                "llama.rope.dimension_count", "llama.vocab_size", "general.alignment", "tokenizer.ggml.model",
                "tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type",
                "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.chat_template")) {
            assertTrue(g.metadata().containsKey(k), "missing " + k);
        }
        assertEquals(256L, g.getLong("llama.embedding_length").orElseThrow());
        assertEquals(768L, g.getLong("llama.feed_forward_length").orElseThrow());
        int nVocab = r.vocabulary().size();
        assertTrue(nVocab <= 512 && nVocab > 400, "vocabulary " + nVocab);
        assertEquals(nVocab, g.vocabularySize());
        assertEquals(nVocab, g.getLong("llama.vocab_size").orElseThrow());
        assertTrue(g.chatTemplate().orElseThrow().contains("<|im_start|>"));
        assertEquals("chatml", dev.mcpforge.engine.chat.ChatFormat.forModel(g).id());
        assertTrue(g.describe().contains("architecture llama"), g.describe());
        assertEquals(3 + 9 * 2, g.tensors().size());
        GgufTensorInfo embd = g.tensor("token_embd.weight").orElseThrow();
        assertArrayEquals(new long[] {256, nVocab}, embd.shape());
        assertArrayEquals(new long[] {256, nVocab}, g.tensor("output.weight").orElseThrow().shape());
        assertArrayEquals(new long[] {256, 768}, g.tensor("blk.1.ffn_up.weight").orElseThrow().shape());
        assertArrayEquals(new long[] {768, 256}, g.tensor("blk.1.ffn_down.weight").orElseThrow().shape());
        assertTrue(g.tensors().stream().allMatch(t -> t.type() == GgmlType.F32));
        assertEquals(TinyProfile.NANO.parameterCount(nVocab), g.parameterCount());
        assertEquals(r.parameterCount(), g.parameterCount());
        assertEquals(Files.size(r.path()), g.fileSize());

        float[] norm = GgufReader.readFloats(g, "blk.0.attn_norm.weight");
        for (float v : norm) {
            assertEquals(1f, v);
        }
        float[] q = GgufReader.readFloats(g, "blk.0.attn_q.weight");
        assertEquals(0.02, std(q), 0.002);
        assertEquals(1.0, std(GgufReader.readFloats(g, "token_embd.weight")), 0.05);
        float[] out = GgufReader.readFloats(g, "output.weight");
        assertEquals(0.02, std(out), 0.002);

        // the vocabulary in the file is the learned one and tokenizes the corpus
        Vocabulary v = Vocabulary.fromGguf(g);
        assertEquals(r.vocabulary().tokens(), v.tokens());
        SpmTokenizer tok = new SpmTokenizer(v);
        String sample = corpus.substring(0, 300);
        assertEquals(sample, tok.decode(tok.encode(sample, true), true));
    }

    @Test
    void aTiedOutputHeadHasNoOutputTensorAndASmallEmbeddingInit() throws Exception {
        TinyModelBuilder.Result r = new TinyModelBuilder().profile(TinyProfile.NANO).seed(1).vocabSize(400)
                .corpus(TestCorpus.chatml(50)).tiedEmbeddings(true).build(dir.resolve("tied.gguf"));
        GgufFile g = GgufReader.read(r.path());
        assertTrue(g.tensor("output.weight").isEmpty());
        assertEquals(2 + 9 * 2, g.tensors().size());
        int nVocab = r.vocabulary().size();
        assertEquals(TinyProfile.NANO.parameterCount(nVocab, true), g.parameterCount());
        assertEquals(TinyProfile.NANO.parameterCount(nVocab) - 256L * nVocab, r.parameterCount());
        // the embedding is the output head now: std 1/sqrt(n_embd) (unit-variance logits), not 1.0
        assertEquals(1 / 16.0, std(GgufReader.readFloats(g, "token_embd.weight")), 0.004);
    }

    @Test
    void theCopyInitStartsValueAndOutputNearTheIdentityAndLeavesQueriesAndKeysRandom() throws Exception {
        TinyModelBuilder.Result r = new TinyModelBuilder().profile(TinyProfile.NANO).seed(1).vocabSize(400)
                .corpus(TestCorpus.chatml(50)).tiedEmbeddings(true).copyInit(0.5f).build(dir.resolve("copy.gguf"));
        GgufFile g = GgufReader.read(r.path());
        int d = TinyProfile.NANO.embedding();
        for (int l = 0; l < TinyProfile.NANO.layers(); l++) {
            float[] v = GgufReader.readFloats(g, "blk." + l + ".attn_v.weight");
            float[] o = GgufReader.readFloats(g, "blk." + l + ".attn_output.weight");
            // (W_o W_v)[i][j] = sum_k o[i][k] v[k][j]; row i of a matrix holds output i's inputs
            double diag = 0;
            double off = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double sum = 0;
                    for (int k = 0; k < d; k++) {
                        sum += o[i * d + k] * v[k * d + j];
                    }
                    if (i == j) {
                        diag += sum;
                    } else {
                        off = Math.max(off, Math.abs(sum));
                    }
                }
            }
            assertEquals(0.5, diag / d, 0.02, "mean diagonal of W_o W_v in layer " + l);
            assertTrue(off < 0.1, "largest off-diagonal of W_o W_v in layer " + l + ": " + off);
            for (String qk : new String[] {"attn_q", "attn_k"}) {
                float[] q = GgufReader.readFloats(g, "blk." + l + "." + qk + ".weight");
                double qdiag = 0;
                for (int i = 0; i < d; i++) {
                    qdiag += q[i * d + i];
                }
                assertEquals(0, qdiag / d, 0.01, qk + " stays random in layer " + l);
                assertEquals(0.02, std(q), 0.002);
            }
        }
        String description = g.getString("general.description").orElseThrow();
        assertTrue(description.contains("copy init 0.5"), description);
        // off by default: the plain random init
        TinyModelBuilder.Result plain = new TinyModelBuilder().profile(TinyProfile.NANO).seed(1).vocabSize(400)
                .corpus(TestCorpus.chatml(50)).tiedEmbeddings(true).build(dir.resolve("plain.gguf"));
        float[] v = GgufReader.readFloats(GgufReader.read(plain.path()), "blk.0.attn_v.weight");
        assertEquals(0.02, std(v), 0.002);
        assertThrows(IllegalArgumentException.class, () -> new TinyModelBuilder().copyInit(-1));
    }

    @Test
    void sameSeedSameBytesDifferentSeedDifferentBytes() throws Exception {
        String corpus = TestCorpus.chatml(50);
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        new TinyModelBuilder().profile(TinyProfile.NANO).seed(5).vocabSize(400).corpus(corpus).build(a);
        new TinyModelBuilder().profile(TinyProfile.NANO).seed(5).vocabSize(400).corpus(corpus).build(b);
        new TinyModelBuilder().profile(TinyProfile.NANO).seed(6).vocabSize(400).corpus(corpus).build(c);
        assertEquals(-1L, Files.mismatch(a, b));
        assertTrue(Files.mismatch(a, c) >= 0);
    }

    @Test
    void profilesAndErrors() {
        assertEquals(TinyProfile.BASE, TinyProfile.parse("Base"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinyProfile.parse("huge"));
        assertTrue(e.getMessage().contains("nano, small, base"), e.getMessage());
        for (TinyProfile p : TinyProfile.values()) {
            assertEquals(0, p.embedding() % 256);
            assertEquals(0, p.feedForward() % 256);
            assertTrue(p.parameterCount(4096) < 25_000_000L);
        }
        assertEquals(4 * (4 * 256 * 256 + 3 * 256 * 768 + 2 * 256) + 2 * 2048 * 256 + 256, TinyProfile.SMALL.parameterCount(2048));
        assertThrows(IllegalArgumentException.class, () -> new TinyModelBuilder().build(dir.resolve("x.gguf")));
        assertFalse(Files.exists(dir.resolve("x.gguf")));
    }

    private static double std(float[] a) {
        double s = 0;
        double s2 = 0;
        for (float f : a) {
            s += f;
            s2 += (double) f * f;
        }
        double m = s / a.length;
        return Math.sqrt(s2 / a.length - m * m);
    }
}
