package dev.mcpforge.engine.train;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.NativeEngine;
import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.gguf.GgufTensorInfo;
import dev.mcpforge.engine.llama.LlamaBatch;
import dev.mcpforge.engine.llama.LlamaContextParams;
import dev.mcpforge.engine.llama.LlamaLibrary;
import dev.mcpforge.engine.llama.LlamaModelParams;
import dev.mcpforge.engine.llama.LlamaOptLibrary;
import dev.mcpforge.engine.llama.LlamaOptParams;
import dev.mcpforge.engine.llama.Model;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Full-parameter training of an F32 GGUF through llama.cpp's public training API ({@code llama_opt_init},
 * {@code llama_opt_epoch}, {@code ggml_opt_dataset_*}), meant to run inside the engine worker (an assert aborts the
 * process, G12). Follows engine-notes: no mmap and no extra buffer types (G15), n_ctx a multiple of 256 and equal to
 * the dataset's datapoint size (G7), one warm-up decode so the thread count applies (G8), F32 KV cache and no flash
 * attention (G14), learning rate through {@code ggml_opt_get_constant_optimizer_params} and a 28-byte parameter block
 * rewritten before every optimizer step, seeded shuffling by rewriting the dataset's host memory (G13), and the
 * gradient-accumulator fix ({@link GradientReset}).
 *
 * <p>Progress is reported as JSON strings: {@code {"event":"step",...}}, {@code {"event":"epoch",...}},
 * {@code {"event":"info","message":...}} and {@code {"event":"warn","message":...}}.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    public static final String CHECKPOINT_MODEL = "checkpoint.gguf";
    public static final String CHECKPOINT_STATE = "checkpoint.json";
    /**
     * What a resume restores on this core. The AdamW moments and step count live in {@code grad_m}, {@code grad_v} and
     * {@code iter} of llama.cpp's private {@code struct ggml_opt_context}: ggml-opt.h has no accessor for them, llama.h
     * does not expose the context at all (only the epoch callback receives it), and the moments are allocated inside
     * the first {@code llama_opt_epoch} call, whose first callback comes after the first AdamW step when
     * batch == ubatch. So they cannot be saved or put back through the public API of this release.
     */
    static final String LLAMA_OPT_RESUME = "weights and learning-rate schedule restored; AdamW moments and step count "
            + "restart from zero on the llama-opt core (llama.cpp's public training API does not expose its optimizer"
            + " state)";
    /** The graph core's AdamW moments and step count beside the checkpoint model (see GraphTrainer). */
    public static final String CHECKPOINT_OPTIMIZER = "optimizer.gguf";

    private final TrainRequest r;
    private final Consumer<String> progress;
    private final NativeEngine engine;
    private final LlamaLibrary l;
    private final LlamaOptLibrary lo;
    private final GgmlOptLibrary g;
    private final NativeLibrary ggmlBase;

    // kept as fields: native code holds these (G5)
    private LlamaOptLibrary.ParamFilter filter;
    private LlamaOptLibrary.EpochCallback callback;
    private final Memory optPars = new Memory(28);

    private final Set<String> trained = new LinkedHashSet<>();
    private final List<String> skippedNonF32 = new ArrayList<>();
    private GradientReset reset;
    private volatile String layoutProblem;
    private long step;
    private long totalSteps;
    private int epoch;
    private long lastReportNanos;
    private long epochStartNanos;
    private long runStartNanos;
    private long stepsAtEpochStart;
    private long exitAt = -1;
    private final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);

    public Trainer(TrainRequest request, Consumer<String> progress) {
        this.r = request;
        this.progress = progress;
        this.engine = NativeLoader.load();
        this.l = engine.llama();
        Path dir = engine.libraryDir();
        String llamaFile = dev.mcpforge.engine.graph.GgmlRuntime.library(dir, "libllama");
        String baseFile = dev.mcpforge.engine.graph.GgmlRuntime.library(dir, "libggml-base");
        this.lo = Native.load(dir.resolve(llamaFile).toString(), LlamaOptLibrary.class);
        this.g = Native.load(dir.resolve(baseFile).toString(), GgmlOptLibrary.class);
        this.ggmlBase = NativeLibrary.getInstance(dir.resolve(baseFile).toString());
    }

    /** Runs the whole request; returns the result JSON (also sent as the op's result by the worker). */
    public ObjectNode run() {
        validate();
        if (r.stopAfterEpochs() > 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The llama-opt core runs whole schedules "
                    + "only (stopAfterEpochs " + r.stopAfterEpochs() + "); trial draws need the graph core.");
        }
        runStartNanos = System.nanoTime();
        Model.checkGgufFile(r.model());
        GgufFile meta;
        try {
            meta = GgufReader.read(r.model());
        } catch (dev.mcpforge.engine.gguf.GgufException | RuntimeException e) {
            throw new EngineException(EngineException.Kind.MODEL_INVALID, "Cannot read " + r.model() + ": " + e.getMessage(), e);
        }
        List<String> nonF32 = new ArrayList<>();
        for (GgufTensorInfo t : meta.tensors()) {
            if (t.type() != dev.mcpforge.engine.gguf.GgmlType.F32) {
                nonF32.add(t.name() + " (" + t.type() + ")");
            }
        }
        if (!nonF32.isEmpty()) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Training needs an all-F32 model, but "
                    + r.model() + " has " + nonF32.size() + " tensors of other types (e.g. " + nonF32.get(0)
                    + "); llama.cpp would silently freeze them. Convert it to F32 first (quantize with ftype 0).");
        }

        LlamaModelParams.ByValue mp = l.llama_model_default_params();
        mp.n_gpu_layers = 0;
        mp.load_mode = LlamaModelParams.LOAD_MODE_NONE; // writable CPU weights (G15)
        mp.use_extra_bufts = 0;
        info("loading " + r.model());
        if (r.sharedPrefix()) {
            info("shared-prefix packing ignored: the llama-opt core (llama.cpp's training API) takes no custom attention"
                    + " mask; every sample is trained whole");
        }
        if (r.decisionWeight() > 1 && r.decisionTokens() > 0) {
            info("decision-token weight ignored: the llama-opt core (llama.cpp's training API) weighs every token"
                    + " the same");
        }
        Pointer model = l.llama_model_load_from_file(r.model().toAbsolutePath().toString(), mp);
        if (model == null) {
            throw new EngineException(EngineException.Kind.MODEL_INVALID, "llama.cpp could not load " + r.model()
                    + " for training (corrupt file or unsupported architecture).");
        }
        Pointer ctx = null;
        Pointer ds = null;
        Pointer rt = null;
        Pointer re = null;
        try {
            Pointer vocab = l.llama_model_get_vocab(model);
            checkSpecialTokens(vocab);
            int pad = l.llama_vocab_eos(vocab) >= 0 ? l.llama_vocab_eos(vocab) : 0;
            Packer.Packed train = Packer.pack(tokenize(vocab, r.trainTexts()), r.nCtx(), pad);
            Packer.Packed eval = r.evalTexts() == null ? Packer.pack(List.of(), r.nCtx(), pad)
                    : Packer.pack(tokenize(vocab, r.evalTexts()), r.nCtx(), pad);
            if (train.windows().isEmpty()) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The training texts " + r.trainTexts()
                        + " are empty: nothing to train on.");
            }
            info("packed " + train.samples() + " training samples into " + train.windows().size() + " sequences of "
                    + r.nCtx() + " tokens (longest sample " + train.longest() + " tokens, " + train.truncated()
                    + " truncated to their last " + (r.nCtx() + 1) + ", " + String.format("%.1f", 100 * train.padFraction())
                    + "% padding), " + eval.windows().size() + " held-out sequences");
            if (train.truncated() > 0) {
                // said now, not only after the run: a truncated sample loses its beginning (system prompt, tool list)
                warn(train.truncated() + " of " + train.samples() + " training samples are longer than the context of "
                        + r.nCtx() + " tokens (longest " + train.longest() + ") and lose their beginning (system prompt"
                        + " and tool list); a context of at least " + train.longest() + " tokens keeps them whole");
            }

            ctx = createContext(model);
            warmUp(ctx, vocab);

            int nTrain = train.windows().size();
            int nEval = eval.windows().size();
            long ndata = nTrain + nEval;
            ds = g.ggml_opt_dataset_init(GgmlOptLibrary.GGML_TYPE_I32, GgmlOptLibrary.GGML_TYPE_I32, r.nCtx(), r.nCtx(), ndata, 1);
            List<int[]> all = new ArrayList<>(train.windows());
            all.addAll(eval.windows());
            writeDataset(ds, all);

            LlamaOptParams.ByValue op = new LlamaOptParams.ByValue();
            op.n_ctx_train = r.nCtx();
            filter = (tensor, ud) -> {
                String name = g.ggml_get_name(tensor);
                int type = tensor.getInt(0); // struct ggml_tensor starts with enum ggml_type
                if (type == GgmlOptLibrary.GGML_TYPE_F32) {
                    trained.add(name);
                } else {
                    skippedNonF32.add(name);
                }
                return 1;
            };
            op.param_filter = com.sun.jna.CallbackReference.getFunctionPointer(filter);
            op.param_filter_ud = Pointer.NULL;
            op.get_opt_pars = ggmlBase.getFunction("ggml_opt_get_constant_optimizer_params");
            op.get_opt_pars_ud = optPars;
            op.optimizer_type = "sgd".equals(r.optimizer()) ? 1 : 0;
            int stepsPerSequence = r.nCtx() / r.batch();
            totalSteps = (long) r.epochs() * nTrain * stepsPerSequence;
            step = (long) r.startEpoch() * nTrain * stepsPerSequence;
            setLearningRate(step);
            // test hook: a value <= -2 means "that many steps into the second epoch"
            exitAt = r.exitAtStep() <= -2 ? (long) nTrain * stepsPerSequence - r.exitAtStep() : r.exitAtStep();
            lo.llama_opt_init(ctx, model, op);

            reset = new GradientReset(g);
            rt = g.ggml_opt_result_init();
            re = g.ggml_opt_result_init();
            int period = r.batch() / r.ubatch();
            callback = (trainFlag, optCtx, dataset, result, ibatch, ibatchMax, tStart) -> onUbatch(optCtx, result, ibatch, ibatchMax, period);

            ArrayNode epochs = TrainRequest.MAPPER.createArrayNode();
            JsonNode previous = readPreviousHistory();
            if (previous != null) {
                previous.forEach(epochs::add);
            }
            if (r.startEpoch() > 0) {
                info("resuming after epoch " + r.startEpoch() + ": " + LLAMA_OPT_RESUME);
            }
            long tokensSeen = (long) r.startEpoch() * nTrain * r.nCtx();
            for (epoch = r.startEpoch(); epoch < r.epochs(); epoch++) {
                shuffle(ds, train.windows(), epoch);
                epochStartNanos = System.nanoTime();
                stepsAtEpochStart = step;
                lastReportNanos = epochStartNanos;
                lo.llama_opt_epoch(ctx, ds, rt, re, nTrain, callback, null);
                if (layoutProblem != null) {
                    throw new EngineException(EngineException.Kind.NATIVE_CALL, layoutProblem);
                }
                double secs = (System.nanoTime() - epochStartNanos) / 1e9;
                tokensSeen += (long) nTrain * r.nCtx();
                ObjectNode ep = TrainRequest.MAPPER.createObjectNode();
                ep.put("event", "epoch");
                ep.put("epoch", epoch + 1);
                ep.put("epochs", r.epochs());
                ep.put("step", step);
                ep.put("totalSteps", totalSteps);
                putLoss(ep, "train", rt);
                putLoss(ep, "eval", re);
                ep.put("tokens", (long) nTrain * r.nCtx());
                ep.put("seconds", secs);
                ep.put("tokensPerSecond", nTrain * r.nCtx() / Math.max(1e-9, secs));
                ep.put("learningRate", optPars.getFloat(0));
                g.ggml_opt_result_reset(rt);
                g.ggml_opt_result_reset(re);
                epochs.add(ep);
                checkpoint(model, epochs);
                progress.accept(ep.toString());
            }
            saveModel(model, r.output());
            ObjectNode res = TrainRequest.MAPPER.createObjectNode();
            res.put("output", r.output().toAbsolutePath().toString());
            if (r.startEpoch() > 0) {
                ObjectNode resume = res.putObject("resume");
                resume.put("fromEpoch", r.startEpoch());
                resume.put("optimizerState", "fresh");
                resume.put("note", LLAMA_OPT_RESUME);
            }
            res.set("epochs", epochs);
            res.put("tokensSeen", tokensSeen);
            res.put("steps", step);
            res.put("nCtx", r.nCtx());
            res.put("batch", r.batch());
            res.put("ubatch", r.ubatch());
            res.put("trainSequences", nTrain);
            res.put("evalSequences", nEval);
            res.put("trainSamples", train.samples());
            res.put("evalSamples", eval.samples());
            res.put("truncatedSamples", train.truncated() + eval.truncated());
            res.put("padFraction", train.padFraction());
            res.put("longestSampleTokens", Math.max(train.longest(), eval.longest()));
            res.put("trainTokens", train.tokens());
            res.put("wallSeconds", (System.nanoTime() - runStartNanos) / 1e9);
            res.put("peakRssBytes", peakRss());
            res.put("gradientAccumulatorsReset", reset.count());
            res.put("modelParameters", l.llama_model_n_params(model));
            List<String> frozen = new ArrayList<>();
            List<String> trainedReal = new ArrayList<>();
            for (GgufTensorInfo t : meta.tensors()) {
                String n = t.name();
                // attn_k/attn_v are marked trainable but no gradient reaches them through the KV cache (§5)
                if (trained.contains(n) && !n.contains("attn_k.") && !n.contains("attn_v.")) {
                    trainedReal.add(n);
                } else {
                    frozen.add(n);
                }
            }
            res.set("trainedTensors", TrainRequest.MAPPER.valueToTree(trainedReal));
            res.set("frozenTensors", TrainRequest.MAPPER.valueToTree(frozen));
            return res;
        } finally {
            if (rt != null) {
                g.ggml_opt_result_free(rt);
            }
            if (re != null) {
                g.ggml_opt_result_free(re);
            }
            if (ds != null) {
                g.ggml_opt_dataset_free(ds);
            }
            if (ctx != null) {
                l.llama_free(ctx);
            }
            l.llama_model_free(model);
        }
    }

    private void validate() {
        if (r.loraRank() > 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "LoRA needs the graph training core "
                    + "(-Dforge.train.core=graph); llama.cpp's training API trains full weights only.");
        }
        if (TrainRequest.LOSS_ASSISTANT.equals(r.lossOn())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The llama-opt training core scores every "
                    + "token (llama.cpp's training API cannot mask the loss): use -Dforge.train.lossOn=all with it, or "
                    + "the graph core (-Dforge.train.core=graph) for loss on the assistant turns.");
        }
        if (r.nCtx() <= 0 || r.nCtx() % 256 != 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The training context length " + r.nCtx()
                    + " must be a positive multiple of 256 (llama.cpp pads it to one).");
        }
        if (r.batch() <= 0 || r.nCtx() % r.batch() != 0 || r.ubatch() <= 0 || r.batch() % r.ubatch() != 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "batch " + r.batch() + " must divide the context "
                    + r.nCtx() + " and micro-batch " + r.ubatch() + " must divide the batch.");
        }
        r.checkSchedule();
    }

    private void onUbatch(Pointer optCtx, Pointer result, long ibatch, long ibatchMax, int period) {
        if (layoutProblem != null) {
            return;
        }
        if (reset.count() == 0 && ibatch == 1) {
            String problem = GradientReset.check(optCtx, period, 1);
            if (problem != null) {
                layoutProblem = problem;
                return;
            }
        }
        if (!GradientReset.stepCompleted(optCtx)) {
            return;
        }
        if (r.resetGradients()) {
            reset.zero(optCtx);
        }
        step++;
        if (exitAt >= 0 && step >= exitAt) {
            LOG.warn("test hook: halting the worker with exit code {} at step {}", r.exitCode(), step);
            Runtime.getRuntime().halt(r.exitCode());
        }
        setLearningRate(step);
        long now = System.nanoTime();
        if (now - lastReportNanos >= 2_000_000_000L || ibatch == ibatchMax) {
            lastReportNanos = now;
            if (parent != null && !parent.isAlive()) {
                // the build that started this worker is gone (Ctrl-C): stop instead of training on as an orphan that
                // would race the next build for the checkpoint; the last epoch's checkpoint stays valid
                LOG.warn("parent process {} is gone: stopping training", parent.pid());
                Runtime.getRuntime().halt(143);
            }
            double secs = (now - epochStartNanos) / 1e9;
            long stepsDone = step - stepsAtEpochStart;
            ObjectNode ev = TrainRequest.MAPPER.createObjectNode();
            ev.put("event", "step");
            ev.put("epoch", epoch + 1);
            ev.put("epochs", r.epochs());
            ev.put("step", step);
            ev.put("totalSteps", totalSteps);
            putLoss(ev, "train", result);
            ev.put("tokensPerSecond", stepsDone * r.batch() / Math.max(1e-9, secs));
            ev.put("learningRate", optPars.getFloat(0));
            progress.accept(ev.toString());
        }
    }

    private void setLearningRate(long s) {
        float lr = (float) r.learningRateAt(s, totalSteps);
        float wd = (float) r.weightDecay();
        // ggml_opt_optimizer_params: adamw {alpha, beta1, beta2, eps, wd}, sgd {alpha, wd}
        optPars.write(0, new float[] {lr, 0.9f, 0.999f, 1e-8f, wd, lr, wd}, 0, 7);
    }

    private void putLoss(ObjectNode o, String prefix, Pointer result) {
        long[] nd = new long[1];
        g.ggml_opt_result_ndata(result, nd);
        if (nd[0] == 0) {
            o.putNull(prefix + "Loss");
            o.putNull(prefix + "Accuracy");
            return;
        }
        double[] v = new double[1];
        double[] unc = new double[1];
        g.ggml_opt_result_loss(result, v, unc);
        o.put(prefix + "Loss", v[0]);
        g.ggml_opt_result_accuracy(result, v, unc);
        o.put(prefix + "Accuracy", v[0]);
    }

    private Pointer createContext(Pointer model) {
        LlamaContextParams.ByValue cp = l.llama_context_default_params();
        int threads = r.threads() > 0 ? r.threads() : Runtime.getRuntime().availableProcessors();
        cp.n_ctx = r.nCtx();
        cp.n_batch = r.batch();
        cp.n_ubatch = r.ubatch();
        cp.n_seq_max = 1;
        cp.n_threads = threads;
        cp.n_threads_batch = threads;
        cp.type_k = 0; // F32 KV cache: OUT_PROD has no F16 support (G14)
        cp.type_v = 0;
        cp.flash_attn_type = 0;
        cp.no_perf = 1;
        Pointer ctx = l.llama_init_from_model(model, cp);
        if (ctx == null) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "llama.cpp could not create a training context of "
                    + r.nCtx() + " tokens (out of memory?)");
        }
        int actual = l.llama_n_ctx(ctx);
        if (actual != r.nCtx()) {
            l.llama_free(ctx);
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "llama.cpp made the context " + actual
                    + " tokens long instead of " + r.nCtx());
        }
        return ctx;
    }

    /** One decode of a single token, then clear: applies the thread count to the CPU backend (G8). */
    private void warmUp(Pointer ctx, Pointer vocab) {
        int bos = l.llama_vocab_bos(vocab);
        try (Memory tok = new Memory(4)) {
            tok.setInt(0, bos >= 0 ? bos : 0);
            LlamaBatch.ByValue b = l.llama_batch_get_one(tok, 1);
            int rc = l.llama_decode(ctx, b);
            if (rc != 0) {
                throw new EngineException(EngineException.Kind.NATIVE_CALL, "warm-up decode failed with code " + rc);
            }
        }
        l.llama_memory_clear(l.llama_get_memory(ctx), true);
    }

    private void checkSpecialTokens(Pointer vocab) {
        for (String s : r.specialTokens()) {
            int[] t = tokenize(vocab, s, false);
            if (t.length != 1 || !l.llama_vocab_is_control(vocab, t[0])) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The model's vocabulary does not match the"
                        + " chat format of the data: '" + s + "' is " + t.length + " token(s)" + (t.length == 1
                        ? " but not a control token" : "") + " in " + r.model().getFileName() + ". Use a base model of the"
                        + " chat format's family, or the tiny model (its tokenizer is learned from the data).");
            }
        }
    }

    private int[] tokenize(Pointer vocab, String text, boolean addSpecial) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] buf = new int[b.length + 8];
        int n = l.llama_tokenize(vocab, b, b.length, buf, buf.length, addSpecial, true);
        if (n < 0) {
            buf = new int[-n];
            n = l.llama_tokenize(vocab, b, b.length, buf, buf.length, addSpecial, true);
        }
        if (n < 0) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "llama_tokenize failed (" + n + ")");
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    private List<int[]> tokenize(Pointer vocab, Path texts) {
        List<int[]> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(texts, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String text = TrainTexts.parse(line, texts).text();
                out.add(tokenize(vocab, text, false)); // as at inference (GenerationRequest.chat): no BOS added
            }
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Cannot read " + texts + ": " + e.getMessage(), e);
        }
        return out;
    }

    private void writeDataset(Pointer ds, List<int[]> windows) {
        Pointer data = g.ggml_get_data(g.ggml_opt_dataset_data(ds));
        Pointer labels = g.ggml_get_data(g.ggml_opt_dataset_labels(ds));
        int n = r.nCtx();
        for (int i = 0; i < windows.size(); i++) {
            int[] w = windows.get(i);
            data.write(4L * i * n, w, 0, n);
            labels.write(4L * i * n, w, 1, n);
        }
    }

    /** Seeded shuffle of the training sequences (the held-out ones stay at the end): llama_opt_epoch does not (G13). */
    private void shuffle(Pointer ds, List<int[]> trainWindows, int ep) {
        List<int[]> order = new ArrayList<>(trainWindows);
        java.util.Collections.shuffle(order, new Random(r.seed() * 1_000_003L + ep));
        writeDataset(ds, order);
    }

    private void checkpoint(Pointer model, ArrayNode epochs) {
        try {
            Files.createDirectories(r.checkpointDir());
            Path gguf = r.checkpointDir().resolve(CHECKPOINT_MODEL);
            saveModel(model, gguf);
            if (r.keepEpochModels()) {
                Files.copy(gguf, r.checkpointDir().resolve("epoch-" + (epoch + 1) + ".gguf"), StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectNode st = TrainRequest.MAPPER.createObjectNode();
            st.put("runKey", r.runKey());
            st.put("epochsDone", epoch + 1);
            st.put("epochs", r.epochs());
            st.put("step", step);
            st.put("modelSha256", sha256(gguf));
            st.put("modelBytes", Files.size(gguf));
            st.set("history", epochs.deepCopy());
            Path tmp = r.checkpointDir().resolve(CHECKPOINT_STATE + ".tmp");
            Files.writeString(tmp, TrainRequest.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(st));
            Files.move(tmp, r.checkpointDir().resolve(CHECKPOINT_STATE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Cannot write the checkpoint in "
                    + r.checkpointDir() + ": " + e.getMessage(), e);
        }
    }

    /** On resume: the epochs already recorded in checkpoint.json (so the report has the whole curve). */
    private JsonNode readPreviousHistory() {
        if (r.startEpoch() == 0) {
            return null;
        }
        Path st = r.checkpointDir().resolve(CHECKPOINT_STATE);
        try {
            JsonNode n = TrainRequest.MAPPER.readTree(Files.readString(st));
            JsonNode h = n.path("history");
            ArrayNode out = TrainRequest.MAPPER.createArrayNode();
            h.forEach(e -> {
                if (e.path("epoch").asInt() <= r.startEpoch()) {
                    out.add(e);
                }
            });
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void saveModel(Pointer model, Path out) {
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(out.getFileName() + ".tmp");
            lo.llama_model_save_to_file(model, tmp.toString());
            if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                throw new EngineException(EngineException.Kind.NATIVE_CALL, "llama_model_save_to_file wrote nothing to " + tmp);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Cannot save the model to " + out + ": " + e.getMessage(), e);
        }
    }

    private void warn(String message) {
        ObjectNode o = TrainRequest.MAPPER.createObjectNode();
        o.put("event", "warn");
        o.put("message", message);
        progress.accept(o.toString());
    }

    private void info(String message) {
        ObjectNode o = TrainRequest.MAPPER.createObjectNode();
        o.put("event", "info");
        o.put("message", message);
        progress.accept(o.toString());
    }

    /** VmHWM of this process (peak resident set), or -1 when /proc is not there. */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
