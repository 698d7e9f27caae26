package dev.mcpforge.engine.tiny;

import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.engine.gguf.GgmlType;
import dev.mcpforge.engine.gguf.GgufWriter;
import dev.mcpforge.engine.tokenizer.TokenizerTrainer;
import dev.mcpforge.engine.tokenizer.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Random;

/**
 * Writes the offline "tiny" base model: a LLaMA-architecture F32 GGUF with seeded random weights, an untied
 * {@code output.weight} or an output head tied to {@code token_embd} ({@link #tiedEmbeddings}), its own
 * SentencePiece-style vocabulary learned from a corpus (or given), and a ChatML (Hermes tool-calling) chat template.
 * The same inputs and seed give the same bytes.
 *
 * <pre>
 * TinyModelBuilder.Result r = new TinyModelBuilder()
 *         .profile(TinyProfile.SMALL).seed(42).contextLength(512).vocabSize(2048)
 *         .corpus(text).build(Path.of("target/tiny.gguf"));
 * </pre>
 */
public final class TinyModelBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(TinyModelBuilder.class);

    public static final float DEFAULT_INIT_STD = 0.02f;
    /**
     * token_embd never trains through llama.cpp's optimizer (engine-notes §5), so it keeps its initial values; the
     * spike found std 1.0 trains better than 0.02 for frozen embeddings.
     */
    public static final float DEFAULT_EMBEDDING_STD = 1.0f;
    /**
     * The copy init that starts attn_v and attn_output at the identity (their product too). On the copy task
     * (docs/benchmarks.md, "The copy init") it raised exact copies from 32 to 52 of 100 (words and paths from 0 to 18
     * of 60) and the held-out next-token accuracy from 0.849 to 0.928; 0.5 gave 45, 2.0 gave 52.
     */
    public static final float COPY_INIT_IDENTITY = 1.0f;
    public static final float RMS_EPS = 1e-5f;
    public static final float ROPE_FREQ_BASE = 10000f;

    /** What was written. */
    public record Result(Path path, Vocabulary vocabulary, TinyShape shape, long parameterCount, long fileSize) {
    }

    private TinyShape shape = TinyProfile.SMALL.shape();
    private long seed = 42;
    private int contextLength = 512;
    private int vocabSize = TokenizerTrainer.DEFAULT_VOCAB_SIZE;
    private String name = "mcp-forge-tiny";
    private float initStd = DEFAULT_INIT_STD;
    private float embeddingStd = DEFAULT_EMBEDDING_STD;
    private boolean tied;
    private float copyInit;
    private String corpus;
    private java.util.List<String> wordTokens = java.util.List.of();
    private Vocabulary vocabulary;
    private String chatTemplate = ChatTemplates.CHATML_TOOLS;

    public TinyModelBuilder profile(TinyProfile p) {
        return shape(p.shape());
    }

    /** A named profile's shape or a custom one ({@link TinyShape#parse}). */
    public TinyModelBuilder shape(TinyShape s) {
        this.shape = Objects.requireNonNull(s);
        return this;
    }

    public TinyModelBuilder seed(long s) {
        this.seed = s;
        return this;
    }

    public TinyModelBuilder contextLength(int n) {
        if (n < 16) {
            throw new IllegalArgumentException("context length " + n + " is too small (minimum 16)");
        }
        this.contextLength = n;
        return this;
    }

    /** Vocabulary size for the tokenizer learned from {@link #corpus(String)}. */
    public TinyModelBuilder vocabSize(int n) {
        this.vocabSize = n;
        return this;
    }

    public TinyModelBuilder name(String n) {
        this.name = Objects.requireNonNull(n);
        return this;
    }

    /** Std of the normal init of all matrices except token_embd (default 0.02). */
    public TinyModelBuilder initStd(float std) {
        this.initStd = std;
        return this;
    }

    /** Std of the normal init of an untied token_embd (default 1.0, see {@link #DEFAULT_EMBEDDING_STD}). */
    public TinyModelBuilder embeddingStd(float std) {
        this.embeddingStd = std;
        return this;
    }

    /**
     * Ties the output head to the embedding: no {@code output.weight}, so llama.cpp (and Ollama) project the last hidden
     * state onto {@code token_embd}, which then starts at std 1/sqrt(n_embd): the RMS-normed hidden state times the
     * embedding gives logits of unit variance (0.02 made the first epochs of a short run slower). Only for a core
     * that trains {@code token_embd} (the graph core; llama.cpp's optimizer leaves it frozen, engine-notes §5). With the
     * head tied, a token the model writes and the same token it reads share one vector, so a rare token's output side
     * needs no training of its own; on the filesystem example the held-out loss fell from 1.333 to 1.181 and tool
     * selection rose on both eval sets (docs/benchmarks.md, runs 9-11).
     */
    public TinyModelBuilder tiedEmbeddings(boolean on) {
        this.tied = on;
        return this;
    }

    /**
     * Starts every attention head as a copier: {@code attn_v} and {@code attn_output} are sqrt(strength) times the
     * identity plus the usual N(0, initStd) noise, so their product (what a head moves from the token it attends to
     * into the residual stream) starts near {@code strength} times the identity. With the output head tied, attending
     * to a token then already raises that token's own logit: copying a value from the prompt is where training starts,
     * not a circuit it has to discover. A from-scratch model given random value/output matrices learned to copy digits
     * (ten frequent tokens) but never a word in ~2,000 steps, nor in 7,300, nor with random strings to copy; with this
     * init it copies words and paths in the same 2,000 steps (docs/benchmarks.md, "The copy init"). This is the
     * value/output half of mimetic initialisation (Trockman and Kolter, 2023); its query/key half (W_q, W_k near the
     * identity) measured worse here and is not used. 0 (the default) writes plain random matrices;
     * {@link #COPY_INIT_IDENTITY} starts the product at the identity.
     */
    public TinyModelBuilder copyInit(float strength) {
        if (!(strength >= 0 && strength <= 4)) {
            throw new IllegalArgumentException("copy init strength must be in [0, 4], was " + strength);
        }
        this.copyInit = strength;
        return this;
    }

    /** Text the tokenizer is learned from (the training data rendered with the chat format). */
    public TinyModelBuilder corpus(String text) {
        this.corpus = text;
        return this;
    }

    /**
     * Texts that the learned tokenizer keeps as one token each, e.g. the tool names
     * ({@link TokenizerTrainer#train(String, java.util.Collection)}); default none.
     */
    public TinyModelBuilder wordTokens(java.util.Collection<String> words) {
        this.wordTokens = java.util.List.copyOf(words);
        return this;
    }

    /** Use this vocabulary instead of learning one. */
    public TinyModelBuilder vocabulary(Vocabulary v) {
        this.vocabulary = v;
        return this;
    }

    public TinyModelBuilder chatTemplate(String template) {
        this.chatTemplate = Objects.requireNonNull(template);
        return this;
    }

    /** Builds the model and writes it atomically to {@code output}. */
    public Result build(Path output) throws IOException {
        Vocabulary vocab = vocabulary;
        if (vocab == null) {
            if (corpus == null || corpus.isBlank()) {
                throw new IllegalArgumentException("The tiny model needs a tokenizer corpus (the training text) or a vocabulary.");
            }
            vocab = new TokenizerTrainer(vocabSize).train(corpus, wordTokens);
        }
        int nVocab = vocab.size();
        int d = shape.embedding();
        int ff = shape.feedForward();
        int heads = shape.heads();
        String arch = "llama";

        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", arch);
        w.putString("general.type", "model");
        w.putString("general.name", name);
        w.putString("general.description", "MCP-Forge tiny " + shape.name()
                + " model, random init (seed " + seed + ")" + (copyInit > 0 ? ", copy init " + copyInit : ""));
        w.putUInt32("general.file_type", 0); // LLAMA_FTYPE_ALL_F32
        w.putUInt32("general.alignment", 32);
        w.putUInt32(arch + ".vocab_size", nVocab);
        w.putUInt32(arch + ".context_length", contextLength);
        w.putUInt32(arch + ".embedding_length", d);
        w.putUInt32(arch + ".block_count", shape.layers());
        w.putUInt32(arch + ".feed_forward_length", ff);
        w.putUInt32(arch + ".attention.head_count", heads);
        w.putUInt32(arch + ".attention.head_count_kv", heads);
        w.putFloat32(arch + ".attention.layer_norm_rms_epsilon", RMS_EPS);
        w.putUInt32(arch + ".rope.dimension_count", d / heads);
        w.putFloat32(arch + ".rope.freq_base", ROPE_FREQ_BASE);
        vocab.writeTo(w);
        w.putString("tokenizer.chat_template", chatTemplate);

        // shapes in ggml order: ne[0] = input dimension
        w.addTensor("token_embd.weight", GgmlType.F32, new long[] {d, nVocab},
                normal("token_embd.weight", tied ? (float) (1 / Math.sqrt(d)) : embeddingStd));
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {d}, ones());
        if (!tied) {
            w.addTensor("output.weight", GgmlType.F32, new long[] {d, nVocab}, normal("output.weight", initStd));
        }
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {d}, ones());
            for (String m : new String[] {"attn_q", "attn_k", "attn_v", "attn_output"}) {
                boolean copier = copyInit > 0 && (m.equals("attn_v") || m.equals("attn_output"));
                w.addTensor(p + m + ".weight", GgmlType.F32, new long[] {d, d}, copier
                        ? plusIdentity(normal(p + m, initStd), d, (float) Math.sqrt(copyInit)) : normal(p + m, initStd));
            }
            w.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {d}, ones());
            w.addTensor(p + "ffn_gate.weight", GgmlType.F32, new long[] {d, ff}, normal(p + "ffn_gate", initStd));
            w.addTensor(p + "ffn_up.weight", GgmlType.F32, new long[] {d, ff}, normal(p + "ffn_up", initStd));
            w.addTensor(p + "ffn_down.weight", GgmlType.F32, new long[] {ff, d}, normal(p + "ffn_down", initStd));
        }
        w.write(output);
        long params = shape.parameterCount(nVocab, tied);
        long size = Files.size(output);
        LOG.info("Wrote tiny model {} ({}, {} parameters, vocabulary {}, {} output head, {}{} bytes)", output,
                shape.describe(), params, nVocab, tied ? "tied" : "untied",
                copyInit > 0 ? "copy init " + copyInit + ", " : "", size);
        return new Result(output, vocab, shape, params, size);
    }

    /** Per-tensor generator seeded from the model seed and the tensor name (String.hashCode is specified). */
    private GgufWriter.FloatSource normal(String tensor, float std) {
        Random rnd = new Random(seed * 1_000_003L + tensor.hashCode());
        return (buf, start, len) -> {
            for (int i = 0; i < len; i++) {
                buf[i] = (float) (rnd.nextGaussian() * std);
            }
        };
    }

    /** noise + diagonal * I for a square d x d matrix, filled in element order (row o holds output o's inputs). */
    private static GgufWriter.FloatSource plusIdentity(GgufWriter.FloatSource noise, int d, float diagonal) {
        return (buf, start, len) -> {
            noise.fill(buf, start, len);
            for (int i = 0; i < len; i++) {
                long k = start + i;
                if (k / d == k % d) {
                    buf[i] += diagonal;
                }
            }
        };
    }

    private static GgufWriter.FloatSource ones() {
        return (buf, start, len) -> java.util.Arrays.fill(buf, 0, len, 1f);
    }
}
