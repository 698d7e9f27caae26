package dev.mcpforge.engine.graph;

import com.sun.jna.Pointer;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.gguf.GgmlType;
import dev.mcpforge.engine.gguf.GgufException;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.gguf.GgufTensorInfo;
import dev.mcpforge.engine.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weights of a {@code llama} or {@code qwen2} GGUF as F32 ggml tensors in one CPU backend buffer, and the model's
 * forward graph for training: token embedding, per block RMSNorm, Q/K/V projections (with the optional biases of
 * Qwen2), RoPE in the architecture's mode, causal softmax attention over whole sequences without a KV cache (grouped
 * query attention through mul_mat's broadcast over heads), output projection, SwiGLU feed-forward, output norm and
 * head (tied to the embedding when the GGUF has no {@code output.weight}). It mirrors llama.cpp's graphs of the same
 * architectures ({@code src/models/llama.cpp}, {@code qwen2.cpp}); {@code GraphModelEquivalenceTest} checks the logits
 * against {@code llama_decode}.
 *
 * <p>Documents packed into one training sequence are kept apart by the attention mask (block-diagonal causal mask)
 * and their positions restart at 0, exactly as each would be seen at inference.
 */
public final class GraphModel implements AutoCloseable {

    /** Hyper-parameters read from the GGUF metadata. */
    public record HParams(String arch, int nEmbd, int nLayer, int nHead, int nHeadKv, int nFf, int nVocab, float eps,
                          float freqBase, int nRot, int ropeMode, int nCtxTrain) {
        public int headDim() {
            return nEmbd / nHead;
        }
    }

    private final GgmlRuntime rt;
    private final GgmlTrainLibrary g;
    private final GgufFile gguf;
    private final HParams hp;
    private final Pointer ctx;
    private final Pointer buffer;
    private final Map<String, Pointer> tensors = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    // LoRA: target weight name -> {A [n_in, r], B [r, n_out]}, in their own buffer; applied as W x + scale * B (A x)
    private final Map<String, Pointer[]> lora = new LinkedHashMap<>();
    private Pointer loraCtx;
    private Pointer loraBuffer;
    private float loraAlpha;
    private int loraRank;

    private GraphModel(GgmlRuntime rt, GgufFile gguf, HParams hp) {
        this.rt = rt;
        this.g = rt.ggml();
        this.gguf = gguf;
        this.hp = hp;
        this.ctx = rt.newMetaContext(gguf.tensors().size() + 8, 0, 0);
        for (GgufTensorInfo t : gguf.tensors()) {
            long[] ne = t.shape();
            Pointer p = g.ggml_new_tensor(ctx, GgmlTrainLibrary.TYPE_F32, ne.length, ne);
            g.ggml_set_name(p, t.name());
            tensors.put(t.name(), p);
            shapes.put(t.name(), ne);
        }
        this.buffer = g.ggml_backend_alloc_ctx_tensors(ctx, rt.backend());
        if (buffer == null) {
            g.ggml_free(ctx);
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Could not allocate the weights of " + gguf.path());
        }
    }

    /** Loads every tensor of {@code path} (F32, or F16 widened to F32) into the runtime's backend. */
    public static GraphModel load(GgmlRuntime rt, Path path) {
        GgufFile f;
        try {
            f = GgufReader.read(path);
        } catch (GgufException e) {
            throw new EngineException(EngineException.Kind.MODEL_INVALID, e.getMessage(), e);
        }
        HParams hp = hparams(f);
        for (GgufTensorInfo t : f.tensors()) {
            if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The training graph needs F32 or F16 "
                        + "weights, but " + t.name() + " in " + path + " is " + t.type() + ". Train from the F32/F16 "
                        + "model (quantize after training).");
            }
        }
        GraphModel m = new GraphModel(rt, f, hp);
        try {
            for (GgufTensorInfo t : f.tensors()) {
                float[] data = GgufReader.readFloats(f, t.name());
                m.g.ggml_backend_tensor_set(m.tensors.get(t.name()), data, 0, 4L * data.length);
            }
            m.require("token_embd.weight", "output_norm.weight");
            for (int l = 0; l < hp.nLayer(); l++) {
                for (String s : new String[] {"attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm",
                        "ffn_gate", "ffn_up", "ffn_down"}) {
                    m.require("blk." + l + "." + s + ".weight");
                }
            }
        } catch (GgufException | RuntimeException e) {
            m.close();
            throw e instanceof EngineException ee ? ee
                    : new EngineException(EngineException.Kind.MODEL_INVALID, "Cannot load " + path + ": " + e.getMessage(), e);
        }
        return m;
    }

    private void require(String... names) {
        for (String n : names) {
            if (!tensors.containsKey(n)) {
                throw new EngineException(EngineException.Kind.MODEL_INVALID, gguf.path() + " has no tensor " + n
                        + ": not a complete " + hp.arch() + " model.");
            }
        }
    }

    static HParams hparams(GgufFile f) {
        String arch = f.architecture();
        int mode;
        switch (arch) {
            case "llama" -> mode = GgmlTrainLibrary.ROPE_NORMAL;
            case "qwen2" -> mode = GgmlTrainLibrary.ROPE_NEOX;
            default -> throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The training graph supports the "
                    + "architectures llama and qwen2, not '" + arch + "' (" + f.path() + "). Use -Dforge.train.core=llama-opt.");
        }
        int nEmbd = (int) req(f, arch + ".embedding_length");
        int nLayer = (int) req(f, arch + ".block_count");
        int nHead = (int) req(f, arch + ".attention.head_count");
        int nHeadKv = f.getLong(arch + ".attention.head_count_kv").orElse((long) nHead).intValue();
        int nFf = (int) req(f, arch + ".feed_forward_length");
        float eps = f.getDouble(arch + ".attention.layer_norm_rms_epsilon").orElseThrow(() -> missing(f,
                arch + ".attention.layer_norm_rms_epsilon")).floatValue();
        float base = f.getDouble(arch + ".rope.freq_base").orElse(10000.0).floatValue();
        int nRot = f.getLong(arch + ".rope.dimension_count").orElse((long) (nEmbd / nHead)).intValue();
        int nCtx = f.getLong(arch + ".context_length").orElse(0L).intValue();
        long kl = f.getLong(arch + ".attention.key_length").orElse((long) (nEmbd / nHead));
        if (nEmbd % nHead != 0 || kl != nEmbd / nHead || nHead % nHeadKv != 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Unsupported attention shape in " + f.path()
                    + ": n_embd " + nEmbd + ", heads " + nHead + "/" + nHeadKv + ", key_length " + kl);
        }
        // llama_model_save_to_file writes rope.scaling.type "linear" with factor 0 for "no scaling"
        String scaling = f.getString(arch + ".rope.scaling.type").orElse("none");
        double factor = f.getDouble(arch + ".rope.scaling.factor").orElse(0.0);
        if (!scaling.equals("none") && !(scaling.equals("linear") && (factor == 0.0 || factor == 1.0))) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "RoPE scaling (" + scaling + ", factor "
                    + factor + ") is not supported by the training graph; use -Dforge.train.core=llama-opt.");
        }
        if (f.tensor("rope_freqs.weight").isPresent()) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "rope_freqs (Llama-3 style RoPE) is not "
                    + "supported by the training graph; use -Dforge.train.core=llama-opt.");
        }
        GgufTensorInfo emb = f.tensor("token_embd.weight").orElseThrow(() -> new EngineException(
                EngineException.Kind.MODEL_INVALID, f.path() + " has no token_embd.weight"));
        return new HParams(arch, nEmbd, nLayer, nHead, nHeadKv, nFf, (int) emb.shape()[1], eps, base, nRot, mode, nCtx);
    }

    private static long req(GgufFile f, String key) {
        return f.getLong(key).orElseThrow(() -> missing(f, key));
    }

    private static EngineException missing(GgufFile f, String key) {
        return new EngineException(EngineException.Kind.MODEL_INVALID, f.path() + " lacks the metadata key " + key);
    }

    public GgmlRuntime runtime() {
        return rt;
    }

    public HParams hparams() {
        return hp;
    }

    public GgufFile gguf() {
        return gguf;
    }

    /** Tensor names in GGUF order. */
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    public Pointer tensor(String name) {
        Pointer t = tensors.get(name);
        if (t == null && (name.endsWith(".lora_a") || name.endsWith(".lora_b"))) {
            Pointer[] ab = lora.get(name.substring(0, name.length() - 7));
            return ab == null ? null : ab[name.endsWith(".lora_a") ? 0 : 1];
        }
        return t;
    }

    /**
     * Adds LoRA adapters of rank {@code rank} to the weights named {@code targets} (2-D weights only): A is drawn
     * from N(0, 1/sqrt(n_in)) (seeded), B is zero, so the model is unchanged until trained. Returns the names of the
     * trainable adapter tensors ({@code <target>.lora_a}, {@code <target>.lora_b}), as llama.cpp names them.
     */
    public List<String> addLora(List<String> targets, int rank, float alpha, long seed) {
        if (!lora.isEmpty()) {
            throw new IllegalStateException("LoRA adapters already added");
        }
        loraRank = rank;
        loraAlpha = alpha;
        loraCtx = rt.newMetaContext(2L * targets.size() + 2, 0, 0);
        List<String> names = new ArrayList<>();
        for (String t : targets) {
            long[] ne = shapes.get(t);
            if (ne == null || ne.length != 2) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "LoRA target " + t
                        + " is not a 2-D weight of " + gguf.path());
            }
            Pointer a = g.ggml_new_tensor_2d(loraCtx, GgmlTrainLibrary.TYPE_F32, ne[0], rank);
            Pointer b = g.ggml_new_tensor_2d(loraCtx, GgmlTrainLibrary.TYPE_F32, rank, ne[1]);
            g.ggml_set_name(a, t + ".lora_a");
            g.ggml_set_name(b, t + ".lora_b");
            lora.put(t, new Pointer[] {a, b});
            names.add(t + ".lora_a");
            names.add(t + ".lora_b");
        }
        loraBuffer = g.ggml_backend_alloc_ctx_tensors(loraCtx, rt.backend());
        java.util.Random rnd = new java.util.Random(seed);
        for (Map.Entry<String, Pointer[]> e : lora.entrySet()) {
            long nIn = shapes.get(e.getKey())[0];
            float[] a = new float[(int) (nIn * rank)];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rnd.nextGaussian() / Math.sqrt(nIn));
            }
            g.ggml_backend_tensor_set(e.getValue()[0], a, 0, 4L * a.length);
            float[] b = new float[(int) (rank * shapes.get(e.getKey())[1])];
            g.ggml_backend_tensor_set(e.getValue()[1], b, 0, 4L * b.length);
        }
        return names;
    }

    /** The adapter scale llama.cpp applies: alpha / rank. */
    public float loraScale() {
        return loraAlpha / loraRank;
    }

    private float[] get(Pointer t) {
        float[] out = new float[(int) g.ggml_nelements(t)];
        g.ggml_backend_tensor_get(t, out, 0, 4L * out.length);
        return out;
    }

    /**
     * Writes the adapters as a llama.cpp LoRA adapter GGUF ({@code general.type=adapter}, {@code adapter.type=lora},
     * {@code adapter.lora.alpha}; tensors {@code <target>.lora_a} [n_in, r] and {@code .lora_b} [r, n_out]), loadable
     * with {@code llama_adapter_lora_init} on the base model.
     */
    public void saveLoraAdapter(Path out) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", hp.arch());
        w.putString("general.type", "adapter");
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", loraAlpha);
        w.putUInt32("general.alignment", 32);
        for (Map.Entry<String, Pointer[]> e : lora.entrySet()) {
            long[] ne = shapes.get(e.getKey());
            float[] a = get(e.getValue()[0]);
            float[] b = get(e.getValue()[1]);
            w.addTensor(e.getKey() + ".lora_a", GgmlType.F32, new long[] {ne[0], loraRank},
                    (buf, start, len) -> System.arraycopy(a, (int) start, buf, 0, len));
            w.addTensor(e.getKey() + ".lora_b", GgmlType.F32, new long[] {loraRank, ne[1]},
                    (buf, start, len) -> System.arraycopy(b, (int) start, buf, 0, len));
        }
        w.write(out);
    }

    /** Folds the adapters into the base weights (W += alpha/r * B A); graphs built afterwards use the merged weights only. */
    public void mergeLora() {
        for (String t : lora.keySet()) {
            write(t, merged(t));
        }
        lora.clear();
    }

    /** W + alpha/r * B A of one LoRA target. */
    private float[] merged(String target) {
        float scale = loraScale();
        Pointer[] ab = lora.get(target);
        {
            long[] ne = shapes.get(target);
            int nIn = (int) ne[0];
            int nOut = (int) ne[1];
            float[] w = read(target);
            float[] a = get(ab[0]); // a[k * nIn + i]
            float[] b = get(ab[1]); // b[o * r + k]
            for (int o = 0; o < nOut; o++) {
                for (int k = 0; k < loraRank; k++) {
                    float bk = b[o * loraRank + k] * scale;
                    if (bk == 0f) {
                        continue;
                    }
                    int ao = k * nIn;
                    int wo = o * nIn;
                    for (int i = 0; i < nIn; i++) {
                        w[wo + i] += bk * a[ao + i];
                    }
                }
            }
            return w;
        }
    }

    /** LoRA target weights (full names), empty without adapters. */
    public List<String> loraTargets() {
        return new ArrayList<>(lora.keySet());
    }

    public boolean tiedOutput() {
        return !tensors.containsKey("output.weight");
    }

    /** The current values of a tensor. */
    public float[] read(String name) {
        Pointer t = tensors.get(name);
        float[] out = new float[(int) g.ggml_nelements(t)];
        g.ggml_backend_tensor_get(t, out, 0, 4L * out.length);
        return out;
    }

    public void write(String name, float[] data) {
        g.ggml_backend_tensor_set(tensors.get(name), data, 0, 4L * data.length);
    }

    /** Marks every weight as trainable (full fine-tuning). */
    public void setAllParams() {
        tensors.values().forEach(g::ggml_set_param);
    }

    /**
     * Builds the forward pass into {@code c} up to the last block: {@code tokens} and {@code positions} are I32
     * [T*B] (sequence-major), {@code mask} F32 [T, T, 1, B] (0 or -INF; key index fastest). Returns the residual
     * stream after the last block, F32 [n_embd, T*B], before the output norm; {@link #head} turns any selection of its
     * columns into logits (every operation after the blocks works on one position at a time).
     */
    public Pointer hidden(Pointer c, Pointer tokens, Pointer positions, Pointer mask, int nTokens, int nSeq) {
        int d = hp.nEmbd();
        int hd = hp.headDim();
        int nh = hp.nHead();
        int nkv = hp.nHeadKv();
        long n = (long) nTokens * nSeq;
        float scale = (float) (1.0 / Math.sqrt(hd));
        Pointer x = g.ggml_get_rows(c, tensors.get("token_embd.weight"), tokens);
        for (int l = 0; l < hp.nLayer(); l++) {
            String p = "blk." + l + ".";
            Pointer cur = g.ggml_mul(c, g.ggml_rms_norm(c, x, hp.eps()), tensors.get(p + "attn_norm.weight"));
            Pointer q = linear(c, p + "attn_q", cur);
            Pointer k = linear(c, p + "attn_k", cur);
            Pointer v = linear(c, p + "attn_v", cur);
            q = rope(c, g.ggml_reshape_3d(c, q, hd, nh, n), positions);
            k = rope(c, g.ggml_reshape_3d(c, k, hd, nkv, n), positions);
            // [hd, heads, T, B] -> [hd, T, heads*B]: head index fastest, so mul_mat's broadcast maps query head h of
            // sequence b to key/value head h / (nh/nkv) of the same sequence (GQA as llama.cpp groups heads)
            q = g.ggml_reshape_3d(c, g.ggml_cont(c, g.ggml_permute(c, g.ggml_reshape_4d(c, q, hd, nh, nTokens, nSeq),
                    0, 2, 1, 3)), hd, nTokens, (long) nh * nSeq);
            k = g.ggml_reshape_3d(c, g.ggml_cont(c, g.ggml_permute(c, g.ggml_reshape_4d(c, k, hd, nkv, nTokens, nSeq),
                    0, 2, 1, 3)), hd, nTokens, (long) nkv * nSeq);
            // V as [T, hd, nkv*B] so that kqv = V^T-times-softmax is one mul_mat
            Pointer vt = g.ggml_reshape_3d(c, g.ggml_cont(c, g.ggml_permute(c,
                    g.ggml_reshape_4d(c, v, hd, nkv, nTokens, nSeq), 1, 2, 0, 3)), nTokens, hd, (long) nkv * nSeq);
            Pointer kq = g.ggml_mul_mat(c, k, q); // [T_k, T_q, nh*B]
            kq = g.ggml_reshape_4d(c, kq, nTokens, nTokens, nh, nSeq);
            kq = g.ggml_soft_max_ext(c, kq, mask, scale, 0f);
            // keep the softmax output out of ggml-alloc's in-place reuse: SOFT_MAX_BACK may otherwise be allocated
            // on top of it (its src1) and overwrite it while still reading it, which corrupts every gradient that
            // flows through Q and K (found by GraphGradientCheckTest; marking it as an output forbids the reuse)
            g.ggml_set_output(kq);
            kq = g.ggml_reshape_3d(c, kq, nTokens, nTokens, (long) nh * nSeq);
            Pointer o = g.ggml_mul_mat(c, vt, kq); // [hd, T_q, nh*B]
            o = g.ggml_reshape_2d(c, g.ggml_cont(c, g.ggml_permute(c, g.ggml_reshape_4d(c, o, hd, nTokens, nh, nSeq),
                    0, 2, 1, 3)), d, n);
            o = linear(c, p + "attn_output", o);
            x = g.ggml_add(c, o, x);
            cur = g.ggml_mul(c, g.ggml_rms_norm(c, x, hp.eps()), tensors.get(p + "ffn_norm.weight"));
            Pointer gate = g.ggml_silu(c, linear(c, p + "ffn_gate", cur));
            Pointer up = linear(c, p + "ffn_up", cur);
            Pointer ff = linear(c, p + "ffn_down", g.ggml_mul(c, gate, up));
            x = g.ggml_add(c, ff, x);
        }
        return x;
    }

    /** Output norm and output head over residual-stream columns F32 [n_embd, N]: the logits, F32 [n_vocab, N]. */
    public Pointer head(Pointer c, Pointer x) {
        x = g.ggml_mul(c, g.ggml_rms_norm(c, x, hp.eps()), tensors.get("output_norm.weight"));
        Pointer logits = g.ggml_mul_mat(c, tensors.get(tiedOutput() ? "token_embd.weight" : "output.weight"), x);
        Pointer ob = tensors.get("output.bias");
        if (ob != null) {
            logits = g.ggml_add(c, logits, ob);
        }
        return logits;
    }

    private Pointer linear(Pointer c, String name, Pointer in) {
        Pointer y = g.ggml_mul_mat(c, tensors.get(name + ".weight"), in);
        Pointer[] ab = lora.get(name + ".weight");
        if (ab != null) {
            // as llama.cpp's build_lora_mm: W x + (alpha / r) * B (A x)
            y = g.ggml_add(c, y, g.ggml_scale(c, g.ggml_mul_mat(c, ab[1], g.ggml_mul_mat(c, ab[0], in)), loraScale()));
        }
        Pointer b = tensors.get(name + ".bias");
        return b == null ? y : g.ggml_add(c, y, b);
    }

    private Pointer rope(Pointer c, Pointer a, Pointer positions) {
        // llama.cpp's defaults without YaRN/rope scaling: freq_scale 1, ext_factor 0, attn_factor 1, beta 32/1
        return g.ggml_rope_ext(c, a, positions, Pointer.NULL, hp.nRot(), hp.ropeMode(), hp.nCtxTrain(), hp.freqBase(),
                1f, 0f, 1f, 32f, 1f);
    }

    /**
     * Writes the current weights as a GGUF with all metadata of the source file (tensor order, names and shapes
     * kept; every tensor F32, so {@code general.file_type} becomes 0).
     */
    public void save(Path out) throws IOException {
        save(out, false);
    }

    /** As {@link #save(Path)}; with {@code mergeLora} the written weights include the adapters (the model keeps them). */
    public void save(Path out, boolean mergeLora) throws IOException {
        GgufWriter w = new GgufWriter();
        List<String> skipped = GgufMetadata.copy(gguf, w);
        if (!skipped.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(GraphModel.class).warn("Metadata not copied (unsupported type): {}", skipped);
        }
        if (gguf.metadata().containsKey("general.file_type")) {
            w.putUInt32("general.file_type", 0);
        }
        for (String name : tensors.keySet()) {
            float[] data = mergeLora && lora.containsKey(name) ? merged(name) : read(name);
            w.addTensor(name, GgmlType.F32, shapes.get(name), (buf, start, len) -> System.arraycopy(data, (int) start, buf, 0, len));
        }
        w.write(out);
    }

    @Override
    public void close() {
        if (loraBuffer != null) {
            g.ggml_backend_buffer_free(loraBuffer);
        }
        if (loraCtx != null) {
            g.ggml_free(loraCtx);
        }
        if (buffer != null) {
            g.ggml_backend_buffer_free(buffer);
        }
        g.ggml_free(ctx);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s d=%d layers=%d heads=%d/%d ff=%d vocab=%d", hp.arch(), hp.nEmbd(),
                hp.nLayer(), hp.nHead(), hp.nHeadKv(), hp.nFf(), hp.nVocab());
    }
}
