package dev.mcpforge.engine.graph;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.NativeEngine;
import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.llama.LlamaLibrary;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.llama.Vocab;
import dev.mcpforge.engine.train.TrainRequest;
import dev.mcpforge.engine.train.TrainTexts;
import dev.mcpforge.engine.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code graph} training core: full fine-tuning of every tensor (embeddings, K/V, a tied head included) with the
 * project's own ggml graph ({@link GraphModel}, {@link GraphSession}), loss on the assistant spans or on all tokens,
 * and ggml's AdamW step in a loop of its own. Same request, progress events, checkpoints and result JSON as
 * {@link Trainer} (the {@code llama-opt} core), so forge:train's orchestration works unchanged.
 *
 * <p>Batching: every training row is a whole window of L tokens, L = the longest sample rounded up to 16, at most
 * {@code nCtx} (no KV cache, so neither need be a multiple of 256); a micro-batch holds {@code max(1, ubatch / L)}
 * rows and an optimizer step {@code max(1, batch / L)} rows (gradients accumulated over the micro-batches). The
 * warm-up, given in steps of {@code batch} tokens, is rescaled to the same number of tokens.
 */
public final class GraphTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(GraphTrainer.class);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;
    private static final String LORA_RESUME = "a LoRA checkpoint holds the merged model, so a resume trains new adapters"
            + " whose moments would not match the saved ones";
    /**
     * With shared-prefix packing and {@code rowTokens} 0, a row holds the prefix and about this many mean-length
     * suffixes (at least the longest sample, at most the context): each row is one optimizer step, so packing every
     * suffix that fits the context trades too many steps for tokens (measured in docs/notes/sp.md).
     */
    public static final int DEFAULT_SUFFIXES_PER_ROW = 3;

    private final TrainRequest r;
    private final Consumer<String> progress;
    private final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);

    /**
     * Packed rows and what packing did; {@code calls}, when the packer tracked them ({@link #pack}), says for each
     * row's position which tool call's name token it predicts (-1: none), and {@code callTokens} how many name
     * tokens each call has in its sample; {@code turns} (null when untracked) the assistant turns' openings.
     */
    record Packed(List<Sequence> rows, int samples, int truncated, long tokens, long padTokens, long scored, int longest,
                  List<int[]> calls, int[] callTokens, Turns turns) {
        Packed(List<Sequence> rows, int samples, int truncated, long tokens, long padTokens, long scored, int longest,
               List<int[]> calls, int[] callTokens) {
            this(rows, samples, truncated, tokens, padTokens, scored, longest, calls, callTokens, null);
        }
    }

    /**
     * The assistant turns of the packed samples that have their tool names marked: {@code at} says for each row's
     * position which turn's first token it predicts (-1: none); per turn, that token ({@code label}), whether the turn
     * calls tools ({@code call}) and the numbers of its calls ({@code callIds}, as in {@link Packed#calls}).
     */
    record Turns(List<int[]> at, int[] label, boolean[] call, int[][] callIds) {
    }

    /**
     * A tokenized sample: {@code assistant[j]} says token j lies in an assistant span; {@code call[j]} which of the
     * sample's tool calls has token j in its name (-1: none; a null array: no names known).
     */
    record Tokenized(int[] tokens, boolean[] assistant, int[] call) {
        Tokenized(int[] tokens, boolean[] assistant) {
            this(tokens, assistant, null);
        }
    }

    public GraphTrainer(TrainRequest request, Consumer<String> progress) {
        this.r = request;
        this.progress = progress;
    }

    public ObjectNode run() {
        validate();
        long runStart = System.nanoTime();
        NativeEngine engine = NativeLoader.load();
        List<Tokenized> trainSamples;
        List<Tokenized> evalSamples;
        int pad;
        Model.checkGgufFile(r.model());
        try (Model vocabModel = Model.load(engine, r.model(), true)) {
            Vocab vocab = vocabModel.vocab();
            checkSpecialTokens(engine.llama(), vocab);
            pad = vocab.eos() >= 0 ? vocab.eos() : 0;
            trainSamples = tokenize(vocab, r.trainTexts());
            evalSamples = r.evalTexts() == null ? List.of() : tokenize(vocab, r.evalTexts());
        }
        boolean assistantOnly = TrainRequest.LOSS_ASSISTANT.equals(r.lossOn());
        // no KV cache: the rows need only be as long as the longest sample (within the context), which gives more,
        // cheaper optimizer steps than packing several samples into a full context
        int longestSample = 0;
        for (Tokenized t : trainSamples) {
            longestSample = Math.max(longestSample, t.tokens().length);
        }
        for (Tokenized t : evalSamples) {
            longestSample = Math.max(longestSample, t.tokens().length);
        }
        int seqLen = Math.min(r.nCtx(), Math.max(16, (longestSample - 1 + 15) / 16 * 16));
        SharedPrefix.Packed shared = sharedPrefix(trainSamples, seqLen, pad, assistantOnly);
        if (shared != null) {
            seqLen = shared.rows().get(0).length();
        }
        Packed train = shared != null ? shared.plain() : pack(trainSamples, seqLen, pad, assistantOnly);
        Packed eval = pack(evalSamples, seqLen, pad, assistantOnly);
        if (train.rows().isEmpty()) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The training texts " + r.trainTexts()
                    + " are empty: nothing to train on.");
        }
        if (train.scored() == 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "No training token carries a loss: the texts in "
                    + r.trainTexts() + " have no assistant spans (lossOn=assistant needs {\"text\":...,\"spans\":...} "
                    + "lines). Use lossOn=all or re-render the data.");
        }
        info("packed " + train.samples() + " training samples into " + train.rows().size() + " sequences of " + seqLen
                + " tokens (longest sample " + train.longest() + " tokens, " + train.truncated() + " truncated, "
                + String.format("%.1f", 100.0 * train.padTokens() / Math.max(1, (long) train.rows().size() * seqLen))
                + "% padding), " + eval.rows().size() + " held-out sequences; loss on " + r.lossOn() + " tokens ("
                + train.scored() + " scored positions)");
        if (train.truncated() > 0) {
            warn(train.truncated() + " of " + train.samples() + " training samples are longer than the context of "
                    + r.nCtx() + " tokens (longest " + train.longest() + ") and lose their beginning (system prompt"
                    + " and tool list); a context of at least " + train.longest() + " tokens keeps them whole");
        }
        int rowsPerMicro = Math.max(1, r.ubatch() / seqLen);
        int micros = Math.max(1, Math.max(1, r.batch() / seqLen) / rowsPerMicro);
        int rowsPerStep = rowsPerMicro * micros;
        int nTrain = train.rows().size();
        long stepsPerEpoch = (nTrain + rowsPerStep - 1) / rowsPerStep;
        // the warm-up is given in steps of `batch` tokens (the llama-opt core's step): keep it as long in tokens
        TrainRequest sched = r.withWarmupSteps((int) Math.ceil((double) r.warmupSteps() * r.batch()
                / ((long) rowsPerStep * seqLen)));
        long totalSteps = r.epochs() * stepsPerEpoch;
        long step = r.startEpoch() * stepsPerEpoch;
        long exitAt = r.exitAtStep() <= -2 ? stepsPerEpoch - r.exitAtStep() : r.exitAtStep();
        // a trial draw stops after its epochs; the schedule (learning rate, shuffling) is the whole run's
        int lastEpoch = r.stopAfterEpochs() > 0 ? Math.min(r.stopAfterEpochs(), r.epochs()) : r.epochs();
        boolean stopsEarly = lastEpoch < r.epochs();

        int outputs = scoredCapacity(train.rows(), eval.rows(), rowsPerMicro);
        try (GgmlRuntime rt = GgmlRuntime.open(r.threads()); GraphModel model = GraphModel.load(rt, r.model())) {
            List<String> trainable = model.names();
            boolean lora = r.loraRank() > 0;
            if (lora) {
                List<String> targets = new ArrayList<>();
                for (String t : r.loraTargets()) {
                    for (int l = 0; l < model.hparams().nLayer(); l++) {
                        String name = "blk." + l + "." + t + ".weight";
                        if (model.tensor(name) == null) {
                            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "LoRA target '" + t
                                    + "' does not exist in " + r.model().getFileName() + " (no " + name + "); use module"
                                    + " names like attn_q, attn_k, attn_v, attn_output, ffn_gate, ffn_up, ffn_down.");
                        }
                        targets.add(name);
                    }
                }
                trainable = model.addLora(targets, r.loraRank(), (float) r.loraAlpha(), r.seed());
            }
            info("graph core: " + model + ", training " + (lora ? "LoRA rank " + r.loraRank() + " alpha "
                    + r.loraAlpha() + " adapters (" + trainable.size() + " tensors, base frozen)"
                    : "all " + trainable.size() + " tensors") + ", " + rowsPerMicro
                    + " sequence(s) per micro-batch, " + micros + " micro-batch(es) per step, " + rt.threads() + " threads"
                    + (outputs < rowsPerMicro * seqLen ? ", logits of at most " + outputs + " scored of "
                    + rowsPerMicro * seqLen + " positions per micro-batch" : "")
                    + (r.decisionWeight() > 1 && r.decisionTokens() > 0 ? ", the first " + r.decisionTokens()
                    + " tokens of each assistant turn weighted x" + r.decisionWeight() : ""));
            ArrayNode epochs = MAPPER.createArrayNode();
            JsonNode previous = readPreviousHistory();
            if (previous != null) {
                previous.forEach(epochs::add);
            }
            long tokensSeen = (long) r.startEpoch() * nTrain * seqLen;
            ObjectNode resume = null;
            try (GraphSession s = new GraphSession(model, seqLen, rowsPerMicro, trainable, micros,
                    (float) r.decisionWeight(), r.decisionTokens(), outputs)) {
                if (r.startEpoch() > 0) {
                    resume = restoreOptimizer(s, lora, step);
                }
                for (int epoch = r.startEpoch(); epoch < lastEpoch; epoch++) {
                    List<Sequence> order = new ArrayList<>(train.rows());
                    Collections.shuffle(order, new Random(r.seed() * 1_000_003L + epoch));
                    long epochStart = System.nanoTime();
                    long lastReport = epochStart;
                    long stepsAtStart = step;
                    double lossSum = 0;
                    long lossCount = 0;
                    long correct = 0;
                    for (int at = 0; at < nTrain; at += rowsPerStep) {
                        float lr = (float) sched.learningRateAt(step, totalSteps);
                        s.resetGradients();
                        for (int mb = 0; mb < micros; mb++) {
                            s.setBatch(slice(order, at + mb * rowsPerMicro, rowsPerMicro, seqLen, pad));
                            int n = s.scoredPositions();
                            double l = s.accumulate();
                            if (n > 0) {
                                lossSum += l * n;
                                lossCount += n;
                                correct += s.correctPositions();
                            }
                        }
                        s.step(lr, BETA1, BETA2, EPS, (float) r.weightDecay());
                        step++;
                        if (exitAt >= 0 && step >= exitAt) {
                            LOG.warn("test hook: halting the worker with exit code {} at step {}", r.exitCode(), step);
                            Runtime.getRuntime().halt(r.exitCode());
                        }
                        long now = System.nanoTime();
                        if (now - lastReport >= 2_000_000_000L || at + rowsPerStep >= nTrain) {
                            lastReport = now;
                            if (parent != null && !parent.isAlive()) {
                                LOG.warn("parent process {} is gone: stopping training", parent.pid());
                                Runtime.getRuntime().halt(143);
                            }
                            ObjectNode ev = MAPPER.createObjectNode();
                            ev.put("event", "step");
                            ev.put("epoch", epoch + 1);
                            ev.put("epochs", r.epochs());
                            ev.put("step", step);
                            ev.put("totalSteps", totalSteps);
                            ev.put("batchTokens", (long) rowsPerStep * seqLen);
                            ev.put("trainLoss", lossCount == 0 ? Double.NaN : lossSum / lossCount);
                            ev.put("trainAccuracy", lossCount == 0 ? Double.NaN : (double) correct / lossCount);
                            ev.put("tokensPerSecond", (step - stepsAtStart) * (double) rowsPerStep * seqLen
                                    / Math.max(1e-9, (now - epochStart) / 1e9));
                            ev.put("learningRate", lr);
                            progress.accept(ev.toString());
                        }
                    }
                    double secs = (System.nanoTime() - epochStart) / 1e9;
                    tokensSeen += (long) nTrain * seqLen;
                    ObjectNode ep = MAPPER.createObjectNode();
                    ep.put("event", "epoch");
                    ep.put("epoch", epoch + 1);
                    ep.put("epochs", r.epochs());
                    ep.put("step", step);
                    ep.put("totalSteps", totalSteps);
                    putNumber(ep, "trainLoss", lossCount == 0 ? Double.NaN : lossSum / lossCount);
                    putNumber(ep, "trainAccuracy", lossCount == 0 ? Double.NaN : (double) correct / lossCount);
                    HeldOut ev = evalLoss(s, eval, rowsPerMicro, pad);
                    putNumber(ep, "evalLoss", ev.loss());
                    putNumber(ep, "evalAccuracy", ev.accuracy());
                    if (ev.calls() > 0) {
                        ep.put("evalToolChoice", (double) ev.rightCalls() / ev.calls());
                        ep.put("evalToolCalls", ev.calls());
                    }
                    if (ev.turns() > 0) {
                        ep.put("evalTurnDecision", (double) ev.rightTurns() / ev.turns());
                        ep.put("evalTurns", ev.turns());
                    }
                    ep.put("tokens", (long) nTrain * seqLen);
                    ep.put("seconds", secs);
                    ep.put("tokensPerSecond", nTrain * (double) seqLen / Math.max(1e-9, secs));
                    ep.put("learningRate", sched.learningRateAt(Math.max(0, step - 1), totalSteps));
                    epochs.add(ep);
                    checkpoint(model, s, lora, epochs, epoch, step);
                    progress.accept(ep.toString());
                }
            }
            if (!stopsEarly) {
                save(model, r.output());
            }
            Path adapter = null;
            if (lora && !stopsEarly) {
                adapter = adapterPath(r.output());
                try {
                    model.saveLoraAdapter(adapter);
                } catch (IOException e) {
                    throw new EngineException(EngineException.Kind.NATIVE_CALL, "Cannot write the LoRA adapter " + adapter
                            + ": " + e.getMessage(), e);
                }
            }
            ObjectNode res = MAPPER.createObjectNode();
            if (lora && adapter != null) {
                ObjectNode lo = res.putObject("lora");
                lo.put("rank", r.loraRank());
                lo.put("alpha", r.loraAlpha());
                lo.set("targets", MAPPER.valueToTree(r.loraTargets()));
                lo.put("adapter", adapter.toAbsolutePath().toString());
                lo.put("merged", true);
            }
            res.put("core", TrainRequest.CORE_GRAPH);
            if (stopsEarly) {
                res.put("stoppedAfterEpoch", lastEpoch);
            }
            if (resume != null) {
                res.set("resume", resume);
            }
            res.put("lossOn", r.lossOn());
            res.put("output", r.output().toAbsolutePath().toString());
            res.set("epochs", epochs);
            res.put("tokensSeen", tokensSeen);
            res.put("steps", step);
            res.put("nCtx", r.nCtx());
            res.put("sequenceLength", seqLen);
            res.put("batch", rowsPerStep * seqLen);
            res.put("ubatch", rowsPerMicro * seqLen);
            res.put("warmupSteps", sched.warmupSteps());
            res.put("trainSequences", nTrain);
            res.put("evalSequences", eval.rows().size());
            res.put("trainSamples", train.samples());
            res.put("evalSamples", eval.samples());
            res.put("truncatedSamples", train.truncated() + eval.truncated());
            res.put("padFraction", (double) train.padTokens() / Math.max(1, (long) nTrain * seqLen));
            res.put("longestSampleTokens", Math.max(train.longest(), eval.longest()));
            res.put("trainTokens", train.tokens());
            res.put("sharedPrefixTokens", shared == null ? 0 : shared.prefix());
            res.put("sampleTokens", shared == null ? train.tokens() : shared.sampleTokens());
            res.put("scoredTokens", train.scored());
            res.put("wallSeconds", (System.nanoTime() - runStart) / 1e9);
            res.put("peakRssBytes", Trainer.peakRss());
            long params = 0;
            for (String n : model.names()) {
                params += rt.ggml().ggml_nelements(model.tensor(n));
            }
            long trainedParams = 0;
            for (String n : trainable) {
                trainedParams += rt.ggml().ggml_nelements(model.tensor(n));
            }
            res.put("modelParameters", params);
            res.put("trainedParameters", trainedParams);
            res.set("trainedTensors", MAPPER.valueToTree(lora ? model.loraTargets() : trainable));
            List<String> frozen = new ArrayList<>(model.names());
            frozen.removeAll(lora ? model.loraTargets() : trainable);
            res.set("frozenTensors", MAPPER.valueToTree(frozen));
            return res;
        }
    }

    /**
     * Shared-prefix packing when requested and it applies (null otherwise, with the reason logged): rows of
     * {@code rowTokens} (default: the prefix and {@link #DEFAULT_SUFFIXES_PER_ROW} mean suffixes), at least
     * {@code minLen} (the longest sample), at most the context, no longer than all the data needs.
     */
    private SharedPrefix.Packed sharedPrefix(List<Tokenized> samples, int minLen, int pad, boolean assistantOnly) {
        if (!r.sharedPrefix()) {
            return null;
        }
        SharedPrefix.Choice c = SharedPrefix.choose(samples, assistantOnly);
        if (c.length() == 0) {
            info("shared prefix: not used, " + c.why());
            return null;
        }
        long need = c.length();
        for (Tokenized t : samples) {
            need += Math.max(0, t.tokens().length - c.length());
        }
        long meanSuffix = (need - c.length() + samples.size() - 1) / Math.max(1, samples.size());
        long budget = r.rowTokens() > 0 ? r.rowTokens() : c.length() + DEFAULT_SUFFIXES_PER_ROW * meanSuffix;
        // a multiple of 16 like the plain rows: the matrix products over positions take ggml's tinyBLAS kernel only
        // when their inner dimension is a multiple of 8 (else a slower dot-product loop)
        int len = (int) Math.min(r.nCtx(), Math.max(minLen, (Math.min(budget, need - 1) + 15) / 16 * 16));
        if (c.length() >= len) {
            info("shared prefix: not used, the common prefix of " + c.length() + " tokens fills the row of " + len);
            return null;
        }
        SharedPrefix.Packed p = SharedPrefix.pack(samples, c.length(), len, pad, assistantOnly);
        info(String.format(java.util.Locale.ROOT, "shared prefix: %d tokens, %d samples in %,d rows of %,d (tokens per"
                + " epoch %s -> %s)%s", p.prefix(), p.samples(), p.rows().size(), len, kilo(p.sampleTokens()),
                kilo(p.tokens()), p.standalone() > 0 ? "; " + p.standalone() + " sample(s) too long for a shared row"
                + " trained alone" : ""));
        return p;
    }

    private static String kilo(long n) {
        return n >= 10_000 ? Math.round(n / 1000.0) + "k" : String.format(java.util.Locale.ROOT, "%,d", n);
    }

    private void validate() {
        if (r.nCtx() < 2 || r.batch() <= 0 || r.ubatch() <= 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "context " + r.nCtx() + ", batch "
                    + r.batch() + " and micro-batch " + r.ubatch() + " must be positive (context at least 2).");
        }
        r.checkSchedule();
        if (!"adamw".equals(r.optimizer())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The graph training core implements AdamW only,"
                    + " not '" + r.optimizer() + "'; use -Dforge.train.optimizer=adamw or -Dforge.train.core=llama-opt.");
        }
    }

    private static List<Sequence> slice(List<Sequence> rows, int from, int n, int nCtx, int pad) {
        List<Sequence> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(i < rows.size() ? rows.get(i) : empty(nCtx, pad));
        }
        return out;
    }

    /** A fully masked row (fills the last micro-batch: contributes no loss and no gradient). */
    private static Sequence empty(int nCtx, int pad) {
        int[] t = new int[nCtx + 1];
        Arrays.fill(t, pad);
        return new Sequence(t, new int[nCtx], new boolean[nCtx]);
    }

    /** {mean loss, next-token accuracy} over the scored positions of the held-out rows (NaN without any). */
    /**
     * The most scored positions a micro-batch of {@code rowsPerMicro} rows can hold (the sum of the largest per-row
     * counts over the training and held-out rows; padding rows score none): the session computes logits for that many
     * positions instead of every one.
     */
    static int scoredCapacity(List<Sequence> train, List<Sequence> eval, int rowsPerMicro) {
        int[] counts = java.util.stream.Stream.concat(train.stream(), eval.stream())
                .mapToInt(Sequence::scoredCount).sorted().toArray();
        int sum = 0;
        for (int i = counts.length - 1; i >= Math.max(0, counts.length - rowsPerMicro); i--) {
            sum += counts[i];
        }
        return Math.max(1, sum);
    }

    /**
     * What one pass over the held-out rows measured: mean loss and next-token accuracy over their scored positions
     * (NaN without any), and the tool choice: of the {@code calls} with their whole name in the rows, the
     * {@code rightCalls} whose name the model predicts token by token (teacher-forced, like the accuracy).
     */
    record HeldOut(double loss, double accuracy, int rightCalls, int calls, int rightTurns, int turns) {
    }

    private static HeldOut evalLoss(GraphSession s, Packed eval, int rowsPerMicro, int pad) {
        List<Sequence> rows = eval.rows();
        double sum = 0;
        long n = 0;
        long correct = 0;
        int[] seen = new int[eval.callTokens().length];
        boolean[] wrong = new boolean[seen.length];
        Turns turns = eval.turns();
        int nTurns = turns == null ? 0 : turns.label().length;
        boolean[] opened = new boolean[nTurns];
        boolean[] openedRight = new boolean[nTurns];
        int marker = callMarker(turns);
        for (int at = 0; at < rows.size(); at += rowsPerMicro) {
            s.setBatch(slice(rows, at, rowsPerMicro, s.nTokens(), pad));
            int k = s.scoredPositions();
            if (k > 0) {
                sum += s.evalLoss() * k;
                n += k;
                correct += s.correctPositions();
                for (int b = 0; b < rowsPerMicro && at + b < rows.size(); b++) {
                    int[] call = eval.calls().get(at + b);
                    for (int i = 0; i < call.length; i++) {
                        if (call[i] >= 0) {
                            seen[call[i]]++;
                            wrong[call[i]] |= !s.correctAt(b, i);
                        }
                    }
                    int[] turnAt = nTurns == 0 ? null : turns.at().get(at + b);
                    for (int i = 0; turnAt != null && i < turnAt.length; i++) {
                        int t = turnAt[i];
                        if (t >= 0) {
                            // a call turn opens with its call marker; an answer turn with anything but a call marker
                            int predicted = s.predictedAt(b, i);
                            opened[t] = true;
                            openedRight[t] = turns.call()[t] ? predicted == turns.label()[t] : predicted != marker;
                        }
                    }
                }
            }
        }
        int calls = 0;
        int right = 0;
        for (int c = 0; c < seen.length; c++) {
            if (seen[c] > 0 && seen[c] == eval.callTokens()[c]) {
                calls++;
                right += wrong[c] ? 0 : 1;
            }
        }
        // a turn counts when its opening and every name of its calls were in the rows; it is right when it opens
        // as it should (a call or an answer) and, for a call turn, names every tool right
        int nCounted = 0;
        int rightTurns = 0;
        for (int t = 0; t < nTurns; t++) {
            boolean whole = opened[t];
            boolean ok = openedRight[t];
            for (int c : turns.callIds()[t]) {
                whole &= seen[c] > 0 && seen[c] == eval.callTokens()[c];
                ok &= !wrong[c];
            }
            if (whole) {
                nCounted++;
                rightTurns += ok ? 1 : 0;
            }
        }
        return n == 0 ? new HeldOut(Double.NaN, Double.NaN, 0, 0, 0, 0)
                : new HeldOut(sum / n, (double) correct / n, right, calls, rightTurns, nCounted);
    }

    /**
     * The token call turns open with: the most frequent first token of the call turns (the format's call marker; a
     * few turns open with a sentence before their call, e.g. "The request matches ..."), -1 without call turns.
     */
    static int callMarker(Turns turns) {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        for (int t = 0; turns != null && t < turns.label().length; t++) {
            if (turns.call()[t]) {
                counts.merge(turns.label()[t], 1, Integer::sum);
            }
        }
        int best = -1;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            if (best < 0 || e.getValue() > counts.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    /**
     * Packs samples greedily into rows of {@code nCtx + 1} tokens, as {@code Packer} does (whole samples in order, a
     * longer sample keeps its end), recording each sample as its own document. Position i is scored when token i+1
     * belongs to the same sample and, for {@code assistantOnly}, lies in an assistant span; padding never is.
     */
    static Packed pack(List<Tokenized> samples, int nCtx, int pad, boolean assistantOnly) {
        Rows rows = new Rows(nCtx, pad, 0);
        rows.calls = new ArrayList<>();
        rows.turns = new ArrayList<>();
        List<Integer> callTokens = new ArrayList<>();
        List<Integer> turnLabel = new ArrayList<>();
        List<Boolean> turnCall = new ArrayList<>();
        List<int[]> turnCallIds = new ArrayList<>();
        int docId = 0;
        int truncated = 0;
        long tokens = 0;
        long nScored = 0;
        int longest = 0;
        for (Tokenized s : samples) {
            int[] t = s.tokens();
            longest = Math.max(longest, t.length);
            if (t.length == 0) {
                continue;
            }
            int len = Math.min(t.length, rows.width);
            truncated += t.length > rows.width ? 1 : 0;
            if (!rows.fits(len)) {
                if (rows.isOpen()) {
                    rows.close(docId++);
                }
                rows.open();
            }
            nScored += place(s, t.length - len, len, rows.tokens, rows.doc, rows.scored, rows.used, docId,
                    assistantOnly);
            int callBase = callTokens.size();
            placeCalls(s, t.length - len, len, rows, callTokens);
            placeTurns(s, t.length - len, len, rows, callBase, turnLabel, turnCall, turnCallIds);
            docId++;
            rows.used += len;
            tokens += len;
        }
        rows.close(docId);
        boolean[] isCall = new boolean[turnCall.size()];
        for (int i = 0; i < isCall.length; i++) {
            isCall[i] = turnCall.get(i);
        }
        return new Packed(rows.out, samples.size(), truncated, tokens, rows.padTokens, nScored, longest, rows.calls,
                callTokens.stream().mapToInt(Integer::intValue).toArray(), new Turns(rows.turns,
                turnLabel.stream().mapToInt(Integer::intValue).toArray(), isCall, turnCallIds.toArray(new int[0][])));
    }

    /**
     * Marks the scored positions of the open row that predict the first token of one of the sample's assistant turns
     * with the turn's number, and records each turn's first token, whether it calls tools and its calls' numbers
     * (numbered from {@code callBase}, as {@link #placeCalls} numbers them). Only samples with their names marked
     * (a non-null {@code call}) have turns: without names a call turn cannot be told from an answer.
     */
    private static void placeTurns(Tokenized s, int from, int len, Rows rows, int callBase, List<Integer> label,
                                   List<Boolean> isCall, List<int[]> callIds) {
        if (s.call() == null) {
            return;
        }
        int[] t = s.tokens();
        boolean[] a = s.assistant();
        for (int j = 1; j < t.length; j++) {
            if (!a[j] || a[j - 1]) {
                continue;
            }
            java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
            for (int x = j; x < t.length && a[x]; x++) {
                if (s.call()[x] >= 0) {
                    ids.add(callBase + s.call()[x]);
                }
            }
            int id = label.size();
            label.add(t[j]);
            isCall.add(!ids.isEmpty());
            callIds.add(ids.stream().mapToInt(Integer::intValue).toArray());
            int at = rows.used + j - from - 1;
            if (j > from && j < from + len && rows.scored[at]) {
                rows.turn[at] = id;
            }
        }
    }

    /**
     * Marks the scored positions of the open row that predict a token of one of the sample's tool names with the
     * call's number (numbered on from {@code callTokens.size()}), and appends each call's name-token count.
     */
    private static void placeCalls(Tokenized s, int from, int len, Rows rows, List<Integer> callTokens) {
        if (s.call() == null) {
            return;
        }
        int base = callTokens.size();
        for (int j = 0; j < s.call().length; j++) {
            int k = s.call()[j];
            if (k >= 0) {
                while (callTokens.size() <= base + k) {
                    callTokens.add(0);
                }
                callTokens.set(base + k, callTokens.get(base + k) + 1);
                // position used+j'-1 predicts token j = from+j' of the sample
                int at = rows.used + j - from - 1;
                if (j > from && j < from + len && rows.scored[at]) {
                    rows.call[at] = base + k;
                }
            }
        }
    }

    /**
     * The row being filled by a packer ({@link #pack}, {@link SharedPrefix#pack}) and the rows done: rows of
     * {@code nCtx + 1} tokens, padded at the end, with the shared-prefix length every row records.
     */
    static final class Rows {
        final int nCtx;
        final int width;
        final int pad;
        final int prefix;
        final List<Sequence> out = new ArrayList<>();
        int[] tokens;
        int[] doc;
        boolean[] scored;
        /** With call tracking (non-null {@link #calls}): the tool call each position's label names, or -1. */
        int[] call;
        List<int[]> calls;
        /** With turn tracking (non-null {@link #turns}): the turn whose first token each position predicts, or -1. */
        int[] turn;
        List<int[]> turns;
        int used;
        long padTokens;

        Rows(int nCtx, int pad, int prefix) {
            this.nCtx = nCtx;
            this.width = nCtx + 1;
            this.pad = pad;
            this.prefix = prefix;
        }

        boolean isOpen() {
            return tokens != null;
        }

        /** Whether {@code len} more tokens fit the open row (false when none is open). */
        boolean fits(int len) {
            return isOpen() && used + len <= width;
        }

        /** Starts an empty row. */
        void open() {
            tokens = new int[width];
            doc = new int[width];
            scored = new boolean[nCtx];
            if (calls != null) {
                call = new int[nCtx];
                Arrays.fill(call, -1);
            }
            if (turns != null) {
                turn = new int[nCtx];
                Arrays.fill(turn, -1);
            }
            used = 0;
        }

        /** Pads the open row (padding is document {@code padDoc}) and adds it to the rows done; no-op when none. */
        void close(int padDoc) {
            if (isOpen()) {
                padTokens += finish(tokens, doc, used, pad, padDoc);
                out.add(new Sequence(tokens, Arrays.copyOf(doc, nCtx), scored, prefix));
                if (calls != null) {
                    calls.add(call);
                }
                if (turns != null) {
                    turns.add(turn);
                }
                tokens = null;
            }
        }
    }

    /**
     * Copies tokens {@code from..from+len} of a sample into the row at {@code used} as document {@code docId} and
     * marks the positions that predict a token of the same sample (for {@code assistantOnly}, an assistant token);
     * returns how many were marked. Shared by this packer and {@link SharedPrefix#pack}.
     */
    static int place(Tokenized s, int from, int len, int[] row, int[] doc, boolean[] scored, int used, int docId,
                     boolean assistantOnly) {
        System.arraycopy(s.tokens(), from, row, used, len);
        int n = 0;
        for (int j = 0; j < len; j++) {
            doc[used + j] = docId;
            // position used+j-1 predicts token used+j, when both are in this sample
            if (j > 0 && (!assistantOnly || s.assistant()[from + j])) {
                scored[used + j - 1] = true;
                n++;
            }
        }
        return n;
    }

    /** Pads the row after {@code used} (padding is its own document); returns the padded token count. */
    static int finish(int[] row, int[] doc, int used, int pad, int padDoc) {
        for (int i = used; i < row.length; i++) {
            row[i] = pad;
            doc[i] = padDoc;
        }
        return row.length - used;
    }

    private List<Tokenized> tokenize(Vocab vocab, Path file) {
        List<Tokenized> out = new ArrayList<>();
        List<TrainTexts.Entry> entries = TrainTexts.read(file);
        // a file whose renderer marked tool names marks them in every sample: one without any calls no tool
        boolean named = entries.stream().anyMatch(e -> !e.names().isEmpty());
        for (TrainTexts.Entry e : entries) {
            out.add(tokenize(vocab, e, named));
        }
        return out;
    }

    /** One sample on its own: its call marks only when it has names. */
    static Tokenized tokenize(Vocab vocab, TrainTexts.Entry e) {
        return tokenize(vocab, e, false);
    }

    /**
     * Tokenizes as at inference (no BOS added, special tokens parsed) and marks the tokens whose first byte lies in
     * an assistant span: token byte offsets come from the pieces (which concatenate to the text for the tokenizers
     * llama.cpp ships); when they do not, each span boundary is found by tokenizing the text before it. With
     * {@code named} (the file marks tool names) a sample without names gets its (empty) call marks too.
     */
    static Tokenized tokenize(Vocab vocab, TrainTexts.Entry e, boolean named) {
        int[] tokens = vocab.tokenize(e.text(), false, true);
        boolean[] assistant = new boolean[tokens.length];
        if (e.spans() == null || e.spans().isEmpty()) {
            return new Tokenized(tokens, assistant);
        }
        byte[] bytes = e.text().getBytes(StandardCharsets.UTF_8);
        long[] start = new long[tokens.length + 1];
        long pos = 0;
        for (int i = 0; i < tokens.length; i++) {
            start[i] = pos;
            pos += vocab.piece(tokens[i], true).length;
        }
        start[tokens.length] = pos;
        boolean exact = pos == bytes.length;
        for (int[] span : e.spans()) {
            int[] r = tokenRange(vocab, e.text(), span, start, exact, false);
            Arrays.fill(assistant, r[0], r[1], true);
        }
        int[] call = null;
        if (named || !e.names().isEmpty()) {
            call = new int[tokens.length];
            Arrays.fill(call, -1);
            for (int k = 0; k < e.names().size(); k++) {
                int[] r = tokenRange(vocab, e.text(), e.names().get(k), start, exact, true);
                Arrays.fill(call, r[0], r[1], k);
            }
        }
        return new Tokenized(tokens, assistant, call);
    }

    /**
     * The tokens {@code [from, to)} of a character range: those starting inside it, or with {@code overlap} every
     * token sharing a byte with it (a tool name's first token may also hold the quote before it). Token byte offsets
     * come from the pieces when they concatenate to the text ({@code exact}), else from tokenizing the text up to
     * each end.
     */
    private static int[] tokenRange(Vocab vocab, String text, int[] range, long[] start, boolean exact, boolean overlap) {
        int n = start.length - 1;
        if (!exact) {
            int a = vocab.tokenize(text.substring(0, range[0]), false, true).length;
            int b = vocab.tokenize(text.substring(0, range[1]), false, true).length;
            return new int[] {Math.min(a, n), Math.min(Math.max(a, b), n)};
        }
        long a = utf8Length(text, range[0]);
        long b = utf8Length(text, range[1]);
        int from = n;
        int to = 0;
        for (int i = 0; i < n; i++) {
            boolean in = overlap ? start[i] < b && start[i + 1] > a : start[i] >= a && start[i] < b;
            if (in) {
                from = Math.min(from, i);
                to = i + 1;
            }
        }
        return from < to ? new int[] {from, to} : new int[] {0, 0};
    }

    private static long utf8Length(String s, int chars) {
        return s.substring(0, chars).getBytes(StandardCharsets.UTF_8).length;
    }

    private void checkSpecialTokens(LlamaLibrary l, Vocab vocab) {
        for (String s : r.specialTokens()) {
            int[] t = vocab.tokenize(s, false, true);
            if (t.length != 1 || !l.llama_vocab_is_control(vocab.handle(), t[0])) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The model's vocabulary does not match the"
                        + " chat format of the data: '" + s + "' is " + t.length + " token(s)" + (t.length == 1
                        ? " but not a control token" : "") + " in " + r.model().getFileName() + ". Use a base model of the"
                        + " chat format's family, or the tiny model (its tokenizer is learned from the data).");
            }
        }
    }

    /**
     * Writes the epoch's checkpoint: the model ({@link Trainer#CHECKPOINT_MODEL}), the AdamW moments and step count
     * ({@link Trainer#CHECKPOINT_OPTIMIZER}, see {@link OptimizerCheckpoint}), then, atomically and last, the state JSON
     * recording both files' sha256 and size (a crash in between leaves an old state JSON whose sums no longer match).
     */
    private void checkpoint(GraphModel model, GraphSession s, boolean lora, ArrayNode epochs, int epoch, long step) {
        try {
            Files.createDirectories(r.checkpointDir());
            Path gguf = r.checkpointDir().resolve(Trainer.CHECKPOINT_MODEL);
            save(model, gguf);
            if (r.keepEpochModels()) {
                Files.copy(gguf, r.checkpointDir().resolve("epoch-" + (epoch + 1) + ".gguf"), StandardCopyOption.REPLACE_EXISTING);
            }
            Path opt = r.checkpointDir().resolve(Trainer.CHECKPOINT_OPTIMIZER);
            ObjectNode os = MAPPER.createObjectNode();
            os.put("file", Trainer.CHECKPOINT_OPTIMIZER);
            if (lora) {
                // the checkpoint model has the adapters merged in; a resume starts new adapters, whose moments these
                // are not
                Files.deleteIfExists(opt);
                os.put("saved", false);
                os.put("reason", LORA_RESUME);
            } else {
                OptimizerCheckpoint.Written w = OptimizerCheckpoint.write(s, opt, BETA1, BETA2, EPS);
                os.put("saved", true);
                os.put("type", OptimizerCheckpoint.TYPE);
                os.put("iteration", w.iteration());
                os.put("sha256", w.sha256());
                os.put("bytes", w.bytes());
            }
            ObjectNode st = MAPPER.createObjectNode();
            st.put("runKey", r.runKey());
            st.put("core", TrainRequest.CORE_GRAPH);
            st.put("epochsDone", epoch + 1);
            st.put("epochs", r.epochs());
            st.put("step", step);
            st.put("modelSha256", Trainer.sha256(gguf));
            st.put("modelBytes", Files.size(gguf));
            st.set("optimizer", os);
            st.set("history", epochs.deepCopy());
            Path tmp = r.checkpointDir().resolve(Trainer.CHECKPOINT_STATE + ".tmp");
            Files.writeString(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(st));
            Files.move(tmp, r.checkpointDir().resolve(Trainer.CHECKPOINT_STATE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Cannot write the checkpoint in "
                    + r.checkpointDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * On resume: loads the AdamW moments and step count of the checkpoint into the session before the first step, so
     * that the resumed run continues exactly as an uninterrupted one. A missing, corrupt or mismatching optimizer file
     * is not fatal: the run continues with fresh moments after a warning. Returns the result's {@code resume} entry.
     */
    private ObjectNode restoreOptimizer(GraphSession s, boolean lora, long step) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("fromEpoch", r.startEpoch());
        String why;
        if (lora) {
            why = LORA_RESUME;
            warn("LoRA resume: " + why + "; resuming with fresh AdamW moments");
        } else {
            try {
                JsonNode st = MAPPER.readTree(Files.readString(r.checkpointDir().resolve(Trainer.CHECKPOINT_STATE)));
                JsonNode o = st.path("optimizer");
                if (!o.path("saved").asBoolean(false)) {
                    throw new IOException(o.isMissingNode() ? Trainer.CHECKPOINT_STATE + " records no optimizer state"
                            : o.path("reason").asString("the checkpoint has no optimizer state"));
                }
                long iteration = OptimizerCheckpoint.read(s, r.checkpointDir().resolve(Trainer.CHECKPOINT_OPTIMIZER),
                        o.path("sha256").asString(""), o.path("bytes").asLong(-1));
                String msg = "restored the AdamW moments of " + s.moments().size() + " tensors at step " + iteration
                        + " from " + Trainer.CHECKPOINT_OPTIMIZER;
                if (iteration != step) {
                    msg += " (the schedule resumes at step " + step + ": the batch geometry changed since the checkpoint)";
                }
                info(msg);
                out.put("optimizerState", "restored");
                out.put("optimizerStep", iteration);
                out.put("note", "weights, learning-rate schedule, AdamW moments and step count restored");
                return out;
            } catch (IOException | RuntimeException e) {
                why = e.getMessage();
                warn("optimizer state missing/corrupt: resuming with fresh AdamW moments (" + why + ")");
            }
        }
        out.put("optimizerState", "fresh");
        out.put("note", "weights and learning-rate schedule restored; AdamW moments restart from zero (" + why + ")");
        return out;
    }

    /** The LoRA adapter written next to the (merged) output model: {@code <name>-lora.gguf}. */
    public static Path adapterPath(Path output) {
        String n = output.getFileName().toString();
        String stem = n.endsWith(".gguf") ? n.substring(0, n.length() - 5) : n;
        return output.resolveSibling(stem + "-lora.gguf");
    }

    private static void save(GraphModel model, Path out) {
        try {
            model.save(out, true); // LoRA adapters merged into the written model (the bundle's model)
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Cannot save the model to " + out + ": " + e.getMessage(), e);
        }
    }

    private JsonNode readPreviousHistory() {
        if (r.startEpoch() == 0) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(Files.readString(r.checkpointDir().resolve(Trainer.CHECKPOINT_STATE)));
            ArrayNode out = MAPPER.createArrayNode();
            n.path("history").forEach(e -> {
                if (e.path("epoch").asInt() <= r.startEpoch()) {
                    out.add(e);
                }
            });
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void warn(String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", "warn");
        o.put("message", message);
        progress.accept(o.toString());
    }

    private void info(String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", "info");
        o.put("message", message);
        progress.accept(o.toString());
    }
}
