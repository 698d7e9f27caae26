package dev.mcpforge.engine.graph;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.mcpforge.engine.EngineException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed-shape graph over a {@link GraphModel} for {@code nSeq} sequences of {@code nTokens} tokens, built once:
 * the forward pass with a masked cross-entropy loss ({@code gf}), optionally its backward pass into persistent
 * gradient accumulators ({@code gb}, ggml's autodiff) and an AdamW step per trained tensor ({@code gopt}, ggml's
 * {@code opt_step_adamw}).
 *
 * <p><b>Masked loss with exactly zero gradient on masked rows.</b> ggml's cross-entropy has no ignore index (it
 * scores every row and divides by the row count). The graph multiplies the logits by a per-row 0/1 tensor before the
 * loss and gives masked rows the uniform label 1/V: a masked row's logits become 0, so its softmax is uniform and its
 * gradient (softmax - label) is zero, and the multiplication by 0 makes the gradient reaching the model exactly 0
 * whatever rounding left. Each masked row adds ln V to the summed loss; {@link #correctedLoss} removes it. The
 * gradient is that of the sum over scored rows divided by the fixed row count T*B (the "all tokens of the batch"
 * normalisation), which AdamW's per-weight scaling makes insensitive to the constant.
 *
 * <p><b>Decision-token weight.</b> With a weight w &gt; 1 and k &gt; 0 decision tokens, the first k scored positions of
 * each scored span (the start of an assistant turn: whether to call a tool, which one, or how to answer after a tool
 * result) count w times: the loss is {@code CE + (w - 1) * CE_decision}, where {@code CE_decision} is a second
 * cross-entropy of the same kind over the logits multiplied by a 0/1 decision mask (masked rows again add a constant
 * and no gradient). That is exactly the gradient of the per-token weighted sum, built from ggml's own loss op, whose
 * backward pass assumes labels that sum to 1 and so cannot take weighted labels. The reported loss stays the plain
 * {@code CE} over scored rows, so weighted and unweighted runs compare. w = 1 or k = 0 builds the plain graph.
 *
 * <p><b>Logits of the scored positions only.</b> With {@code outputs} below T*B, the graph gathers the residual
 * stream of at most {@code outputs} positions (the batch's scored ones, in order; {@code get_rows}) before the output
 * norm and head, so the head, the softmax and the loss run on those rows instead of every position. With the loss on
 * the assistant turns a quarter of the positions is scored, and the head was the largest matrix product of the tiny
 * model. Unused slots are masked rows as above. The loss is scaled by {@code outputs / (T*B)}, so the gradient is
 * the same as with every position's logits (GraphGatherTest); {@link #logits()} then needs a session without it.
 *
 * <p><b>Gradient reset.</b> {@link #resetGradients()} calls {@code ggml_graph_reset} on {@code gb} only (never on a
 * graph holding the AdamW nodes: that would zero the moments), which zeroes the accumulators and sets the loss's
 * gradient to 1; {@link #accumulate} may then run several micro-batches before {@link #step}.
 */
public final class GraphSession implements AutoCloseable {
    private static final long GRAPH_SIZE = 16384;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private final GgmlRuntime rt;
    private final GgmlTrainLibrary g;
    private final GraphModel model;
    private final int nTokens;
    private final int nSeq;
    private final int nVocab;
    private final boolean train;
    private final Pointer ctxIn;
    private final Pointer ctxCompute;
    private Pointer ctxOpt;
    private final Pointer bufIn;
    private Pointer bufOpt;
    private final Pointer tokens;
    private final Pointer positions;
    private final Pointer mask;
    private final Pointer rowMask;
    /** Logit rows per micro-batch: T*B, or fewer when only the scored positions are gathered. */
    private final int nOut;
    private final Pointer outIdx;
    private final int[] hostOutIdx;
    private final Pointer decisionMask;
    private final int decisionTokens;
    private final Pointer labels;
    private final Pointer logits;
    private final Pointer ce;
    private final Pointer argmax;
    private final int[] hostLabelIds;
    private final int[] hostArgmax;
    /** Logit row of each position of the current batch ({@code seq * T + pos}), -1 when it is not scored. */
    private final int[] rowSlot;
    private int lastCorrect;
    private final Pointer gf;
    private Pointer gb;
    private Pointer gopt;
    private Pointer adamwParams;
    private final Map<String, Pointer> grads = new LinkedHashMap<>();
    private final List<Moments> moments = new ArrayList<>();
    private final Pointer galloc;
    private Pointer gallocOpt;
    private Memory gradAccs;
    private long iteration;
    private int lastMasked;
    private int lastScored;

    // host staging buffers
    private final int[] hostTokens;
    private final int[] hostPos;
    private final float[] hostMask;
    private final float[] hostRowMask;
    private final float[] hostDecisionMask;
    private final float[] hostLabels;

    /**
     * @param trainable tensor names to train (null or empty with {@code train=false}: forward only)
     * @param accumulation micro-batches per optimizer step (the loss is scaled by 1/accumulation)
     */
    public GraphSession(GraphModel model, int nTokens, int nSeq, List<String> trainable, int accumulation) {
        this(model, nTokens, nSeq, trainable, accumulation, 1f, 0, 0);
    }

    /**
     * @param decisionWeight loss weight of the decision tokens (1: plain loss)
     * @param decisionTokens how many scored positions at the start of each scored span are decision tokens (0: none)
     * @param outputs the most scored positions a micro-batch will have: the logits are computed for those positions
     *                only; 0 (or at least T*B) computes the logits of every position
     */
    public GraphSession(GraphModel model, int nTokens, int nSeq, List<String> trainable, int accumulation,
                        float decisionWeight, int decisionTokens, int outputs) {
        if (outputs < 0) {
            throw new IllegalArgumentException("negative number of logit rows " + outputs);
        }
        if (!(decisionWeight >= 1) || decisionTokens < 0) {
            throw new IllegalArgumentException("decision weight must be >= 1 and decision tokens >= 0, got "
                    + decisionWeight + " and " + decisionTokens);
        }
        boolean weighted = decisionWeight > 1 && decisionTokens > 0;
        this.decisionTokens = weighted ? decisionTokens : 0;
        this.model = model;
        this.rt = modelRuntime(model);
        this.g = rt.ggml();
        this.nTokens = nTokens;
        this.nSeq = nSeq;
        this.nVocab = model.hparams().nVocab();
        this.train = trainable != null && !trainable.isEmpty();
        long n = (long) nTokens * nSeq;
        if (n * nVocab > Integer.MAX_VALUE) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Batch too large for the training graph: "
                    + nTokens + " x " + nSeq + " tokens x vocabulary " + nVocab + "; lower the batch or context.");
        }
        this.nOut = outputs > 0 && outputs < n ? outputs : (int) n;
        boolean gathered = nOut < n;
        ctxIn = rt.newMetaContext(8, 0, 0);
        tokens = input(g.ggml_new_tensor_1d(ctxIn, GgmlTrainLibrary.TYPE_I32, n), "tokens");
        positions = input(g.ggml_new_tensor_1d(ctxIn, GgmlTrainLibrary.TYPE_I32, n), "positions");
        mask = input(g.ggml_new_tensor_4d(ctxIn, GgmlTrainLibrary.TYPE_F32, nTokens, nTokens, 1, nSeq), "kq_mask");
        rowMask = input(g.ggml_new_tensor_2d(ctxIn, GgmlTrainLibrary.TYPE_F32, 1, nOut), "row_mask");
        labels = input(g.ggml_new_tensor_2d(ctxIn, GgmlTrainLibrary.TYPE_F32, nVocab, nOut), "labels");
        decisionMask = weighted ? input(g.ggml_new_tensor_2d(ctxIn, GgmlTrainLibrary.TYPE_F32, 1, nOut),
                "decision_mask") : null;
        outIdx = gathered ? input(g.ggml_new_tensor_1d(ctxIn, GgmlTrainLibrary.TYPE_I32, nOut), "scored_rows") : null;
        adamwParams = train ? input(g.ggml_new_tensor_1d(ctxIn, GgmlTrainLibrary.TYPE_F32, 7), "adamw_params") : null;
        bufIn = g.ggml_backend_alloc_ctx_tensors(ctxIn, rt.backend());
        hostTokens = new int[(int) n];
        hostPos = new int[(int) n];
        hostMask = new float[nTokens * nTokens * nSeq];
        hostRowMask = new float[nOut];
        hostDecisionMask = weighted ? new float[nOut] : null;
        hostLabels = new float[nOut * nVocab];
        hostLabelIds = new int[nOut];
        hostArgmax = new int[nOut];
        rowSlot = new int[nTokens * nSeq];
        hostOutIdx = gathered ? new int[nOut] : null;

        ctxCompute = rt.newMetaContext(GRAPH_SIZE * 2, GRAPH_SIZE, 3);
        if (train) {
            for (String name : trainable) {
                Pointer t = model.tensor(name);
                if (t == null) {
                    throw new EngineException(EngineException.Kind.INVALID_REQUEST, "No tensor " + name + " to train");
                }
                g.ggml_set_param(t);
            }
        }
        gf = g.ggml_new_graph_custom(ctxCompute, GRAPH_SIZE, true);
        Pointer hidden = model.hidden(ctxCompute, tokens, positions, mask, nTokens, nSeq);
        logits = model.head(ctxCompute, gathered ? g.ggml_get_rows(ctxCompute, hidden, outIdx) : hidden);
        g.ggml_set_name(logits, "logits");
        g.ggml_set_output(logits);
        argmax = g.ggml_argmax(ctxCompute, logits);
        g.ggml_set_name(argmax, "argmax");
        g.ggml_set_output(argmax);
        Pointer masked = g.ggml_mul(ctxCompute, logits, rowMask);
        ce = g.ggml_cross_entropy_loss(ctxCompute, masked, labels);
        g.ggml_set_name(ce, "loss_ce");
        g.ggml_set_output(ce);
        Pointer total = ce;
        if (weighted) {
            Pointer ceDecision = g.ggml_cross_entropy_loss(ctxCompute, g.ggml_mul(ctxCompute, logits, decisionMask),
                    labels);
            g.ggml_set_name(ceDecision, "loss_ce_decision");
            total = g.ggml_add(ctxCompute, ce, g.ggml_scale(ctxCompute, ceDecision, decisionWeight - 1f));
        }
        // ggml's loss is the mean over the logit rows: rescaled to the mean over T*B, as without gathering
        float lossScale = (float) ((double) nOut / n / accumulation);
        Pointer loss = lossScale != 1f ? g.ggml_scale(ctxCompute, total, lossScale) : total;
        g.ggml_set_output(loss);
        g.ggml_set_loss(loss);
        g.ggml_build_forward_expand(gf, loss);
        g.ggml_build_forward_expand(gf, argmax);
        galloc = g.ggml_gallocr_new(g.ggml_backend_get_default_buffer_type(rt.backend()));
        if (train) {
            buildBackward(trainable, loss);
        }
        if (!g.ggml_gallocr_alloc_graph(galloc, train ? gb : gf)) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Could not allocate the compute buffer of the "
                    + "training graph (out of memory?)");
        }
    }

    private static GgmlRuntime modelRuntime(GraphModel m) {
        return m.runtime();
    }

    private Pointer input(Pointer t, String name) {
        g.ggml_set_name(t, name);
        g.ggml_set_input(t);
        return t;
    }

    private void buildBackward(List<String> trainable, Pointer loss) {
        int nNodes = g.ggml_graph_n_nodes(gf);
        Map<Pointer, String> params = new LinkedHashMap<>();
        for (String name : trainable) {
            params.put(model.tensor(name), name);
        }
        ctxOpt = rt.newMetaContext(3L * trainable.size() + 4, 0, 0);
        gradAccs = new Memory((long) Native.POINTER_SIZE * nNodes);
        gradAccs.clear();
        Map<String, Pointer> m = new LinkedHashMap<>();
        Map<String, Pointer> v = new LinkedHashMap<>();
        for (int i = 0; i < nNodes; i++) {
            Pointer node = g.ggml_graph_node(gf, i);
            String name = params.get(node);
            if (name != null) {
                long[] ne = shape(node);
                Pointer acc = g.ggml_new_tensor(ctxOpt, GgmlTrainLibrary.TYPE_F32, 4, ne);
                g.ggml_set_name(acc, "grad_acc." + name);
                grads.put(name, acc);
                m.put(name, g.ggml_new_tensor(ctxOpt, GgmlTrainLibrary.TYPE_F32, 4, ne));
                v.put(name, g.ggml_new_tensor(ctxOpt, GgmlTrainLibrary.TYPE_F32, 4, ne));
                gradAccs.setPointer((long) Native.POINTER_SIZE * i, acc);
            } else if (node.equals(loss)) {
                Pointer acc = g.ggml_new_tensor_1d(ctxOpt, GgmlTrainLibrary.TYPE_F32, 1);
                g.ggml_set_name(acc, "grad_acc.loss");
                gradAccs.setPointer((long) Native.POINTER_SIZE * i, acc);
            }
        }
        if (grads.size() != trainable.size()) {
            List<String> missing = new ArrayList<>(trainable);
            missing.removeAll(grads.keySet());
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Tensors not used by the graph: " + missing);
        }
        bufOpt = g.ggml_backend_alloc_ctx_tensors(ctxOpt, rt.backend());
        if (bufOpt == null) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Could not allocate gradients and AdamW moments");
        }
        for (String name : trainable) {
            moments.add(new Moments(name, dims(shape(model.tensor(name))), m.get(name), v.get(name)));
        }
        resetOptimizer();
        gb = g.ggml_graph_dup(ctxCompute, gf, true);
        g.ggml_build_backward_expand(ctxCompute, gb, gradAccs);
        gopt = g.ggml_new_graph_custom(ctxCompute, GRAPH_SIZE, false);
        for (String name : trainable) {
            Pointer step = g.ggml_opt_step_adamw(ctxCompute, model.tensor(name), grads.get(name), m.get(name),
                    v.get(name), adamwParams);
            g.ggml_build_forward_expand(gopt, step);
        }
        gallocOpt = g.ggml_gallocr_new(g.ggml_backend_get_default_buffer_type(rt.backend()));
        if (!g.ggml_gallocr_alloc_graph(gallocOpt, gopt)) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Could not allocate the optimizer graph");
        }
        g.ggml_graph_reset(gb);
    }

    /** The shape without trailing dimensions of size 1 (at least one dimension), as GGUF writes it. */
    private static long[] dims(long[] ne) {
        int n = ne.length;
        while (n > 1 && ne[n - 1] == 1) {
            n--;
        }
        return Arrays.copyOf(ne, n);
    }

    /** ne[0..3] of a tensor (struct ggml_tensor: type int32 at 0, buffer ptr at 8, ne int64[4] at 16). */
    private static long[] shape(Pointer t) {
        return t.getLongArray(16, 4);
    }

    public int nTokens() {
        return nTokens;
    }

    public int nSeq() {
        return nSeq;
    }

    /** Writes the inputs of one micro-batch: exactly {@code nSeq} sequences of {@code nTokens} (+1) tokens. */
    public void setBatch(List<Sequence> seqs) {
        if (seqs.size() != nSeq) {
            throw new IllegalArgumentException("expected " + nSeq + " sequences, got " + seqs.size());
        }
        Arrays.fill(hostLabels, 0f);
        int masked = 0;
        int scored = 0;
        int slot = 0;
        for (int b = 0; b < nSeq; b++) {
            Sequence s = seqs.get(b);
            if (s.length() != nTokens) {
                throw new IllegalArgumentException("sequence " + b + " has " + s.length() + " positions, not " + nTokens);
            }
            int start = 0;
            int p = s.prefix();
            int spanAt = 0;
            for (int i = 0; i < nTokens; i++) {
                if (i > 0 && s.doc()[i] != s.doc()[i - 1]) {
                    start = i;
                }
                int row = b * nTokens + i;
                hostTokens[row] = s.tokens()[i];
                // a document after a shared prefix continues its positions and also sees the whole prefix
                boolean afterPrefix = p > 0 && i >= p;
                hostPos[row] = afterPrefix ? p + i - start : i - start;
                // row q = i of sequence b: keys k <= q of the same document (and of the shared prefix)
                int base = (b * nTokens + i) * nTokens;
                for (int k = 0; k < nTokens; k++) {
                    hostMask[base + k] = k <= i && (k >= start || (afterPrefix && k < p)) ? 0f : NEG_INF;
                }
                boolean isScored = s.scored()[i];
                spanAt = i > 0 && i != start && isScored && s.scored()[i - 1] ? spanAt + 1 : 0;
                int out = row;
                rowSlot[row] = isScored ? row : -1;
                if (hostOutIdx != null) {
                    if (!isScored) {
                        continue;
                    }
                    if (slot == nOut) {
                        throw new IllegalArgumentException("the batch has more scored positions than the " + nOut
                                + " logit rows of this session");
                    }
                    hostOutIdx[slot] = row;
                    rowSlot[row] = slot;
                    out = slot++;
                }
                setOutput(out, isScored ? s.tokens()[i + 1] : -1, isScored && spanAt < decisionTokens);
                if (isScored) {
                    scored++;
                } else {
                    masked++;
                }
            }
        }
        if (hostOutIdx != null) {
            for (; slot < nOut; slot++) {
                hostOutIdx[slot] = 0;
                setOutput(slot, -1, false);
                masked++;
            }
            g.ggml_backend_tensor_set(outIdx, hostOutIdx, 0, 4L * nOut);
        }
        g.ggml_backend_tensor_set(tokens, hostTokens, 0, 4L * hostTokens.length);
        g.ggml_backend_tensor_set(positions, hostPos, 0, 4L * hostPos.length);
        g.ggml_backend_tensor_set(mask, hostMask, 0, 4L * hostMask.length);
        g.ggml_backend_tensor_set(rowMask, hostRowMask, 0, 4L * hostRowMask.length);
        if (decisionMask != null) {
            g.ggml_backend_tensor_set(decisionMask, hostDecisionMask, 0, 4L * hostDecisionMask.length);
        }
        g.ggml_backend_tensor_set(labels, hostLabels, 0, 4L * hostLabels.length);
        lastMasked = masked;
        lastScored = scored;
    }

    /** Logit row {@code out}: the one-hot label {@code next}, or a masked row (uniform label) when it is -1. */
    private void setOutput(int out, int next, boolean decision) {
        hostLabelIds[out] = next;
        if (hostDecisionMask != null) {
            hostDecisionMask[out] = decision ? 1f : 0f;
        }
        if (next >= 0) {
            hostRowMask[out] = 1f;
            hostLabels[out * nVocab + next] = 1f;
        } else {
            hostRowMask[out] = 0f;
            Arrays.fill(hostLabels, out * nVocab, (out + 1) * nVocab, 1f / nVocab);
        }
    }

    /** Forward pass only; returns the logits of every position, [row][vocab] flattened (row = seq * T + pos). */
    public float[] logits() {
        if (hostOutIdx != null) {
            throw new IllegalStateException("this session computes the logits of the scored positions only");
        }
        rt.compute(gf);
        float[] out = new float[nTokens * nSeq * nVocab];
        g.ggml_backend_tensor_get(logits, out, 0, 4L * out.length);
        return out;
    }

    /** Forward pass only: the mean loss over the scored positions of the current batch (NaN if none). */
    public double evalLoss() {
        rt.compute(gf);
        return correctedLoss(readCe());
    }

    public int scoredPositions() {
        return lastScored;
    }

    /** Zeroes the gradient accumulators (and sets d loss = 1): before the first micro-batch of each step. */
    public void resetGradients() {
        requireTrain();
        g.ggml_graph_reset(gb);
    }

    /** Forward + backward of the current batch, adding its gradient to the accumulators; returns its loss. */
    public double accumulate() {
        requireTrain();
        rt.compute(gb);
        return correctedLoss(readCe());
    }

    /** One AdamW step of every trained tensor with the accumulated gradients. */
    public void step(float lr, float beta1, float beta2, float eps, float weightDecay) {
        requireTrain();
        iteration++;
        float b1h = (float) (1.0 / (1.0 - Math.pow(beta1, iteration)));
        float b2h = (float) (1.0 / (1.0 - Math.pow(beta2, iteration)));
        g.ggml_backend_tensor_set(adamwParams, new float[] {lr, beta1, beta2, eps, weightDecay, b1h, b2h}, 0, 28);
        rt.compute(gopt);
    }

    /** AdamW steps taken: the next step's bias correction uses {@code iteration() + 1}. */
    public long iteration() {
        return iteration;
    }

    /**
     * The AdamW state of one trained tensor: its first ({@code m}) and second ({@code v}) moment, F32 tensors of the
     * tensor's shape in the backend. {@code opt_step_adamw} keeps no other state: the step count enters only through
     * the bias corrections passed in {@code adamw_params} (see {@link #step}).
     */
    record Moments(String name, long[] shape, Pointer m, Pointer v) {
    }

    /** The moments of every trained tensor, in the order of the trainable list given to the constructor. */
    List<Moments> moments() {
        requireTrain();
        return List.copyOf(moments);
    }

    GgmlTrainLibrary ggml() {
        return g;
    }

    /** Sets the step count after restoring the moments of a checkpoint (bias corrections continue from there). */
    void restoreIteration(long steps) {
        requireTrain();
        if (steps < 0) {
            throw new IllegalArgumentException("negative step count " + steps);
        }
        iteration = steps;
    }

    /** Fresh AdamW state: zero moments and step count 0 (as after construction). */
    void resetOptimizer() {
        requireTrain();
        for (Moments mo : moments) {
            g.ggml_backend_tensor_memset(mo.m(), (byte) 0, 0, g.ggml_nbytes(mo.m()));
            g.ggml_backend_tensor_memset(mo.v(), (byte) 0, 0, g.ggml_nbytes(mo.v()));
        }
        iteration = 0;
    }

    /** The accumulated gradient of a trained tensor. */
    public float[] gradient(String name) {
        Pointer t = grads.get(name);
        float[] out = new float[(int) g.ggml_nelements(t)];
        g.ggml_backend_tensor_get(t, out, 0, 4L * out.length);
        return out;
    }

    /**
     * Whether position {@code pos} of sequence {@code seq} in the last computed batch is scored and its most likely
     * next token was the label (teacher-forced: every earlier token is the data's).
     */
    public boolean correctAt(int seq, int pos) {
        int slot = rowSlot[seq * nTokens + pos];
        return slot >= 0 && hostLabelIds[slot] >= 0 && hostArgmax[slot] == hostLabelIds[slot];
    }

    /**
     * The most likely next token at position {@code pos} of sequence {@code seq} in the last computed batch, or -1
     * when the position is not scored (its logits were not computed).
     */
    public int predictedAt(int seq, int pos) {
        int slot = rowSlot[seq * nTokens + pos];
        return slot >= 0 ? hostArgmax[slot] : -1;
    }

    /** Scored positions of the last computed batch whose most likely next token was the label. */
    public int correctPositions() {
        return lastCorrect;
    }

    private double readCe() {
        g.ggml_backend_tensor_get(argmax, hostArgmax, 0, 4L * hostArgmax.length);
        int ok = 0;
        for (int i = 0; i < hostArgmax.length; i++) {
            ok += hostLabelIds[i] >= 0 && hostArgmax[i] == hostLabelIds[i] ? 1 : 0;
        }
        lastCorrect = ok;
        float[] v = new float[1];
        g.ggml_backend_tensor_get(ce, v, 0, 4);
        return v[0];
    }

    /** Mean cross-entropy over scored rows from ggml's mean over all rows (masked rows add exactly ln V each). */
    double correctedLoss(double ceAllRows) {
        if (lastScored == 0) {
            return Double.NaN;
        }
        double rows = nOut;
        return (ceAllRows * rows - lastMasked * Math.log(nVocab)) / lastScored;
    }

    private void requireTrain() {
        if (!train) {
            throw new IllegalStateException("forward-only session");
        }
    }

    @Override
    public void close() {
        g.ggml_gallocr_free(galloc);
        if (gallocOpt != null) {
            g.ggml_gallocr_free(gallocOpt);
        }
        if (bufOpt != null) {
            g.ggml_backend_buffer_free(bufOpt);
        }
        g.ggml_backend_buffer_free(bufIn);
        g.ggml_free(ctxCompute);
        if (ctxOpt != null) {
            g.ggml_free(ctxOpt);
        }
        g.ggml_free(ctxIn);
    }
}
