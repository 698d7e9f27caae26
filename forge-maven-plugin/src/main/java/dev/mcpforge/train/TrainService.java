package dev.mcpforge.train;

import dev.mcpforge.data.GenerateService;
import dev.mcpforge.data.Message;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.QuantFormat;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMLFormat;
import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.gguf.GgmlType;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.gguf.GgufTensorInfo;
import dev.mcpforge.engine.gguf.GgufValueType;
import dev.mcpforge.engine.gguf.GgufWriter;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyShape;
import dev.mcpforge.engine.tokenizer.SpmTokenizer;
import dev.mcpforge.engine.tokenizer.TokenizerTrainer;
import dev.mcpforge.engine.train.TrainRequest;
import dev.mcpforge.engine.train.Trainer;
import dev.mcpforge.engine.worker.WorkerClient;
import dev.mcpforge.pipeline.AtomicFiles;
import dev.mcpforge.pipeline.Fingerprint;
import dev.mcpforge.pipeline.PipelineState;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * forge:train: renders the clean samples with the model family's chat format (the same {@link ChatFormat} the engine
 * prompts with), resolves the base model (tiny / local GGUF / hf:), fits batch and context to the memory, runs
 * {@link Trainer} in the engine worker with checkpoints, resumes and recovers from out-of-memory kills, and writes
 * model/model-f32.gguf, reports/training.json and reports/training-loss.svg. Orchestration only: the training core
 * is whatever the worker's {@code train} op runs.
 */
public final class TrainService {
    private static final Logger LOG = LoggerFactory.getLogger(TrainService.class);
    public static final String STAGE = "train";
    /** Per-step training loss (JSONL) in the model directory; forge:benchmark reads it for its loss curve. */
    public static final String LOSS_LOG = "loss.jsonl";
    public static final String SCORED = "every token position of every packed sequence (system prompt, tool list, user"
            + " turns, tool results and assistant turns alike, and the padding after the last sample of a sequence):"
            + " llama.cpp's public training API cannot mask the loss";
    public static final String SCORED_ASSISTANT = "the assistant turns only (the tool calls and answers the model"
            + " generates, through each turn's end marker); system prompt, tool list, user turns and tool results carry"
            + " no loss";
    public static final String SCORED_ALL = "every token of every sample (not the padding, not across packed samples)";
    private static final int MIN_UBATCH = 16;

    /** Renders one sample as training text: exactly what the engine prompts with, plus the assistant turns. */
    public static String render(ChatFormat format, Sample s, JsonNode tools) {
        return format.render(toChat(s), tools, false);
    }

    public static List<ChatMessage> toChat(Sample s) {
        List<ChatMessage> out = new ArrayList<>();
        for (Message m : s.messages()) {
            String c = m.content() == null ? "" : m.content();
            switch (m.role()) {
                case "system" -> out.add(ChatMessage.system(c));
                case "user" -> out.add(ChatMessage.user(c));
                case "tool" -> out.add(ChatMessage.toolResult(m.name(), c));
                default -> {
                    List<dev.mcpforge.engine.chat.ToolCall> calls = new ArrayList<>();
                    m.toolCalls().forEach(tc -> calls.add(new dev.mcpforge.engine.chat.ToolCall(tc.name(), tc.arguments())));
                    out.add(calls.isEmpty() ? ChatMessage.assistant(c) : ChatMessage.assistant(m.content(), calls));
                }
            }
        }
        return out;
    }

    public TrainingResult train(TrainingRequest req) throws IOException {
        TrainSettings settings = TrainSettings.resolve(req.profile(), req.baseModel(), req.overrides());
        Path modelDir = req.forgeDir().resolve("model");
        Path reports = req.forgeDir().resolve("reports");
        Path output = modelDir.resolve("model-f32.gguf");
        Path reportFile = reports.resolve("training.json");
        Path chartFile = reports.resolve("training-loss.svg");
        // per-step loss log: forge:benchmark draws its loss curve from this file (its default -Dforge.lossLog)
        Path lossLog = modelDir.resolve(LOSS_LOG);

        List<Sample> samples = readSamples(req.cleanData());
        Toolset toolset = GenerateService.readTools(req.toolsFile());
        JsonNode tools = toolset.toolsJson();

        BaseModels.Spec spec = BaseModels.parse(req.baseModel());
        Fingerprint fp = Fingerprint.builder().file("data", req.cleanData()).file("tools", req.toolsFile())
                .config("settings", Json.MAPPER.writeValueAsString(settings.toJson())).config("base", spec.describe());
        if (spec.kind() == BaseModels.Kind.LOCAL) {
            if (!Files.isRegularFile(spec.path())) {
                throw new IllegalArgumentException("Base model " + spec.path().toAbsolutePath() + " does not exist. Set "
                        + "-Dforge.baseModel to an existing GGUF file, hf:owner/repo/file.gguf, or tiny.");
            }
            fp.file("baseModel", spec.path());
        }
        String inputHash = fp.build();
        PipelineState state = PipelineState.load(req.forgeDir(), req.projectDir());
        PipelineState.Decision d = state.check(STAGE, inputHash, req.force());
        if (d.upToDate()) {
            return new TrainingResult(true, "forge:train " + d.reason() + "; " + output + " kept.", output, reportFile,
                    chartFile, null);
        }
        LOG.info("Training ({}): profile {}, base model {}", d.reason(), settings.profile(), req.baseModel());

        // held-out split of the clean data (seeded): eval loss through llama_opt_epoch's idata_split
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(settings.seed()));
        int nEval = samples.size() >= 10 ? Math.max(1, samples.size() / 10) : 0;
        Path work = req.forgeDir().resolve("train");
        Files.createDirectories(work);
        Files.createDirectories(modelDir);

        // base model and chat format
        Path base;
        ChatFormat format;
        Map<String, Object> baseInfo = new LinkedHashMap<>();
        baseInfo.put("spec", req.baseModel());
        List<String> trainTexts = new ArrayList<>();
        List<String> evalTexts = new ArrayList<>();
        List<String> trainLines = new ArrayList<>(); // {"text":..., "spans":[[s,e],...]}: the assistant spans
        TinyBase tinyBase = null; // the tiny model's builder for another seed (null for a pretrained base)
        SpmTokenizer counter = null; // the tiny model's own tokenizer, to size the training rows exactly
        List<String> evalLines = new ArrayList<>();
        if (spec.kind() == BaseModels.Kind.TINY) {
            // forge.toolPrompt: the tiny model's template (and so its format everywhere after) lists no tools, their
            // names or their full schemas; all three render the same turns and calls
            format = settings.tinyChatFormat();
            renderSplit(samples, idx, nEval, format, tools, trainTexts, evalTexts, trainLines, evalLines);
            base = modelDir.resolve("base-tiny.gguf");
            StringBuilder corpus = new StringBuilder();
            trainTexts.forEach(t -> corpus.append(t).append('\n'));
            toolset.tools().forEach(t -> corpus.append(t.name()).append(": ").append(t.description() == null ? ""
                    : t.description()).append('\n'));
            // the graph core trains token_embd, so the output head can share it (llama-opt leaves it frozen)
            boolean tied = !settings.llamaOpt();
            TinyModelBuilder tinyBuilder = new TinyModelBuilder().shape(TinyShape.parse(settings.tinySize()))
                    .contextLength(settings.contextLength()).corpus(corpus.toString())
                    .chatTemplate(settings.tinyChatTemplate())
                    .tiedEmbeddings(tied).copyInit((float) settings.copyInit())
                    .wordTokens(settings.toolNameTokens() ? toolset.tools().stream()
                            .map(ToolDefinition::name).filter(TokenizerTrainer::identifierLike).toList() : List.of());
            // a draw's seed gives it its own initial weights (the tokenizer is learned from the corpus alone)
            tinyBase = (seed, file) -> tinyBuilder.seed(seed).build(file);
            TinyModelBuilder.Result tiny = tinyBuilder.seed(settings.seed()).build(base);
            baseInfo.put("name", "mcp-forge-tiny-" + settings.tinySize());
            baseInfo.put("vocabulary", tiny.vocabulary().size());
            counter = new SpmTokenizer(tiny.vocabulary());
            baseInfo.put("outputHead", tied ? "tied to token_embd" : "untied");
            baseInfo.put("init", settings.copyInit() > 0 ? "copy init " + settings.copyInit()
                    + " (attn_v and attn_output start near the identity)" : "random");
        } else {
            Path file = spec.kind() == BaseModels.Kind.LOCAL ? spec.path()
                    : new HfDownloader(BaseModels.cacheDir(req.cacheDir())).fetch(spec);
            GgufFile g = readGguf(file);
            try {
                format = ChatFormat.detect(g.architecture(), g.chatTemplate().orElse(null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Base model " + file + ": " + e.getMessage(), e);
            }
            renderSplit(samples, idx, nEval, format, tools, trainTexts, evalTexts, trainLines, evalLines);
            baseInfo.put("name", g.name().orElse(file.getFileName().toString()));
            baseInfo.put("sourceSha256", Fingerprint.sha256Hex(file));
            base = allF32(g) ? file : convertToF32(req, file, modelDir.resolve("base-f32.gguf"));
        }
        ChatMLFormat.ToolList toolList = format instanceof ChatMLFormat c ? c.toolList() : ChatMLFormat.ToolList.SCHEMAS;
        LOG.info(toolList == settings.toolList() ? settings.toolPromptLine(req.overrides().requestedToolPrompt())
                : "tools in the prompt: " + TrainSettings.toolListText(toolList) + " (the base model's chat "
                + "template, forge.toolPrompt=" + req.overrides().requestedToolPrompt() + ")");
        GgufFile bg = readGguf(base);
        baseInfo.put("path", base.toAbsolutePath().toString());
        baseInfo.put("sha256", Fingerprint.sha256Hex(base));
        baseInfo.put("architecture", bg.architecture());
        baseInfo.put("parameters", bg.parameterCount());
        baseInfo.put("chatFormat", format.id());

        Path trainFile = work.resolve("train-texts.jsonl");
        Path evalFile = work.resolve("eval-texts.jsonl");
        writeLines(trainFile, trainLines);
        writeLines(evalFile, evalLines);

        // memory: pick a micro-batch (then a context) that fits
        long avail = req.memoryLimit() != null ? req.memoryLimit() : MemoryEstimate.available();
        TrainSettings eff = settings;
        List<String> notes = new ArrayList<>();
        int rowLen = rowLength(counter, trainTexts, evalTexts, eff.rowTokens());
        MemoryEstimate est = estimate(bg, eff, rowLen);
        while (avail > 0 && est.total() > avail && (canShrinkUbatch(eff, rowLen) || eff.contextLength() > 1024)) {
            eff = canShrinkUbatch(eff, rowLen) ? eff.withUbatch(eff.ubatch() / 2) : eff.withContext(eff.contextLength() / 2);
            est = estimate(bg, eff, rowLen);
        }
        if (avail > 0 && est.total() > avail) {
            throw new IllegalArgumentException("Not enough memory to train even at micro-batch " + eff.ubatch()
                    + " and context " + eff.contextLength() + ": the estimate is " + est.describe() + ", available "
                    + MemoryEstimate.mib(avail) + ". " + recommendations());
        }
        String memLine = "Memory estimate " + est.describe() + (avail > 0 ? " of " + MemoryEstimate.mib(avail)
                + " available" : " (available memory unknown)");
        if (eff.ubatch() != settings.ubatch() || eff.contextLength() != settings.contextLength()) {
            memLine += "; reduced micro-batch " + settings.ubatch() + " -> " + eff.ubatch() + ", context "
                    + settings.contextLength() + " -> " + eff.contextLength() + " to fit";
        }
        LOG.info(memLine);
        notes.add(memLine);

        Path ckDir = req.forgeDir().resolve("checkpoints").resolve("train");
        Path drawsDir = req.forgeDir().resolve("checkpoints").resolve("train-draws");
        List<ObjectNode> recoveries = new ArrayList<>();
        long exitAt = req.testExitAtStep();
        long t0 = System.nanoTime();
        JsonNode result;
        int resumedFrom;
        RunPlan plan = new RunPlan(base, format, trainFile, evalTexts.isEmpty() ? null : evalFile, inputHash, req);
        Draws.Choice drawn = null;
        long trainSeed = eff.seed();
        String runKey = inputHash;
        if (eff.draws() > 1) {
            if (evalTexts.isEmpty()) {
                throw new IllegalArgumentException("forge.train.draws=" + eff.draws() + " compares the draws on the "
                        + "held-out split, but " + samples.size() + " clean samples are too few to hold any out (at "
                        + "least 10). Generate more samples or use -Dforge.train.draws=1.");
            }
            drawn = new Draws(plan, eff, tinyBase, drawsDir, work, lossLog).choose(ckDir);
            trainSeed = drawn.seed();
            runKey = Draws.runKey(inputHash, drawn.draw());
            if (trainSeed != settings.seed() && tinyBase != null) {
                // the kept draw's own initial weights stand as the base model (provenance, benchmark baseline)
                tinyBase.build(trainSeed, base);
                baseInfo.put("seed", trainSeed);
                baseInfo.put("sha256", Fingerprint.sha256Hex(base));
            }
            notes.add(drawn.line());
        }
        while (true) {
            Resume resume = resume(ckDir, runKey, eff.epochs());
            resumedFrom = resume.startEpoch();
            Path startModel = base;
            if (resume.startEpoch() > 0) {
                startModel = work.resolve("resume-from.gguf");
                Files.copy(ckDir.resolve(Trainer.CHECKPOINT_MODEL), startModel, StandardCopyOption.REPLACE_EXISTING);
            }
            TrainRequest tr = plan.request(eff, startModel, output, ckDir, resume.startEpoch(), trainSeed, runKey, exitAt, 0);
            exitAt = -1; // the test hook fires once
            ProgressLog progress = new ProgressLog(eff, lossLog, resume.startEpoch());
            try {
                result = plan.run(tr, progress);
                break;
            } catch (EngineException e) {
                if (e.kind() == EngineException.Kind.WORKER_DIED && looksLikeOom(e.getMessage())) {
                    TrainSettings next;
                    if (canShrinkUbatch(eff, rowLen)) {
                        next = eff.withUbatch(eff.ubatch() / 2);
                    } else if (eff.contextLength() > 1024) {
                        next = eff.withContext(eff.contextLength() / 2);
                    } else {
                        throw new IllegalArgumentException("The training worker ran out of memory even at micro-batch "
                                + eff.ubatch() + " and context " + eff.contextLength() + " (estimate "
                                + estimate(bg, eff, rowLen).describe() + "). " + recommendations());
                    }
                    String line = "The training worker was killed (out of memory?) at micro-batch " + eff.ubatch()
                            + ", context " + eff.contextLength() + "; retrying with micro-batch " + next.ubatch()
                            + ", context " + next.contextLength() + " from the last checkpoint";
                    LOG.warn(line);
                    ObjectNode rec = Json.MAPPER.createObjectNode();
                    rec.put("reason", e.getMessage().lines().findFirst().orElse(""));
                    rec.put("fromUbatch", eff.ubatch());
                    rec.put("toUbatch", next.ubatch());
                    rec.put("fromContext", eff.contextLength());
                    rec.put("toContext", next.contextLength());
                    recoveries.add(rec);
                    eff = next;
                    continue;
                }
                throw failed(e, ckDir);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        List<String> restored = restoreMetadata(base, output, String.valueOf(baseInfo.get("name")));
        int truncated = result.path("truncatedSamples").asInt();
        if (truncated > 0) {
            String w = truncated + " samples are longer than the context of " + eff.contextLength() + " tokens (longest "
                    + result.path("longestSampleTokens").asInt() + ") and were truncated to their end; raise "
                    + "-Dforge.contextLength to train on them whole";
            LOG.warn(w);
            notes.add(w);
        }

        ObjectNode report = Json.MAPPER.createObjectNode();
        report.set("baseModel", Json.MAPPER.valueToTree(baseInfo));
        report.set("config", settings.toJson());
        report.put("configSha256", settings.sha256());
        report.set("effectiveConfig", eff.toJson());
        ObjectNode data = report.putObject("dataset");
        data.put("cleanSamples", samples.size());
        data.put("trainSamples", trainTexts.size());
        data.put("evalSamples", evalTexts.size());
        data.put("trainSequences", result.path("trainSequences").asInt());
        data.put("evalSequences", result.path("evalSequences").asInt());
        data.put("truncatedSamples", result.path("truncatedSamples").asInt());
        data.put("padFraction", result.path("padFraction").asDouble());
        data.put("longestSampleTokens", result.path("longestSampleTokens").asInt());
        data.put("trainTokens", result.path("trainTokens").asLong());
        data.put("sharedPrefixTokens", result.path("sharedPrefixTokens").asInt(0));
        data.put("rowTokens", result.path("sequenceLength").asInt());
        data.put("sampleTokens", result.path("sampleTokens").asLong(result.path("trainTokens").asLong()));
        data.put("scored", eff.llamaOpt() ? SCORED : TrainRequest.LOSS_ASSISTANT.equals(eff.lossOn()) ? SCORED_ASSISTANT
                : SCORED_ALL);
        data.put("scoredTokens", result.path("scoredTokens").asLong(result.path("trainTokens").asLong()));
        report.put("core", eff.core());
        report.put("lossOn", eff.lossOn());
        if (drawn != null) {
            ObjectNode dr = report.putObject("draws");
            dr.put("kept", drawn.draw() + 1);
            dr.put("seed", drawn.seed());
            dr.put("epochs", eff.drawEpochs());
            dr.put("chosenBy", drawn.chosenBy());
            dr.set("runs", drawn.runs());
        }
        if (result.has("lora")) {
            report.set("lora", result.get("lora")); // rank, alpha, targets, adapter file, merged into the model
        }
        ArrayNode epochs = report.putArray("epochs");
        List<Double> tl = new ArrayList<>();
        List<Double> el = new ArrayList<>();
        for (JsonNode e : result.path("epochs")) {
            ObjectNode o = epochs.addObject();
            for (String k : List.of("epoch", "trainLoss", "trainAccuracy", "evalLoss", "evalAccuracy", "evalToolChoice",
                    "evalToolCalls", "evalTurnDecision", "evalTurns", "tokens", "seconds", "tokensPerSecond",
                    "learningRate", "step")) {
                if (e.has(k)) {
                    o.set(k, e.get(k));
                }
            }
            tl.add(e.path("trainLoss").isNumber() ? e.get("trainLoss").asDouble() : null);
            el.add(e.path("evalLoss").isNumber() ? e.get("evalLoss").asDouble() : null);
        }
        report.put("optimizerSteps", result.path("steps").asLong());
        report.put("tokensSeen", result.path("tokensSeen").asLong());
        report.put("wallSeconds", wall);
        report.put("peakRssBytes", result.path("peakRssBytes").asLong());
        report.put("memoryEstimateBytes", estimate(bg, eff, rowLen).total());
        report.put("resumedFromEpoch", resumedFrom);
        if (resumedFrom > 0) {
            // what the resume restored, as the core reported it (the graph core restores the AdamW moments too)
            JsonNode rs = result.path("resume");
            report.set("resume", rs.isObject() ? rs : Json.MAPPER.createObjectNode());
            String line = "Resumed after epoch " + resumedFrom + ": " + rs.path("note").asString("weights restored");
            LOG.info(line);
            notes.add(line);
        }
        report.set("recoveries", Json.MAPPER.valueToTree(recoveries));
        report.set("trainedTensors", result.path("trainedTensors"));
        report.set("frozenTensors", result.path("frozenTensors"));
        report.put("frozenWhy", eff.llamaOpt()
                ? "llama.cpp's training API never updates token_embd and rope_freqs (skipped by "
                + "llama_set_param), attn_k/attn_v (no gradient through the KV cache) and non-F32 tensors"
                : eff.loraRank() > 0 ? "LoRA: the base weights stay frozen; only the adapters of the target modules train"
                + " (merged into the model afterwards)"
                : "the graph core trains every tensor: nothing is frozen");
        report.set("restoredMetadata", Json.MAPPER.valueToTree(restored));
        report.set("notes", Json.MAPPER.valueToTree(notes));
        Files.createDirectories(reports);
        AtomicFiles.writeString(reportFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        AtomicFiles.writeString(chartFile, LossChart.svg(tl, el, "forge:train loss (" + settings.profile() + ", "
                + req.baseModel() + ")"));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("epochs", String.valueOf(eff.epochs()));
        details.put("finalTrainLoss", String.valueOf(tl.isEmpty() ? null : tl.get(tl.size() - 1)));
        details.put("finalEvalLoss", String.valueOf(el.isEmpty() ? null : el.get(el.size() - 1)));
        state.record(STAGE, inputHash, List.of(output, reportFile), details);
        deleteTree(ckDir);
        deleteTree(drawsDir);
        Files.deleteIfExists(work.resolve("resume-from.gguf"));
        String msg = String.format(Locale.ROOT, "Trained %s in %.0f s: final train loss %s, eval loss %s -> %s",
                req.baseModel(), wall, fmt(tl), fmt(el), output);
        return new TrainingResult(false, msg, output, reportFile, chartFile, report);
    }

    /**
     * The error a failed training worker becomes: an interruption that keeps the checkpoint in {@code ckDir} for the
     * next build, a broken engine, or a bad request.
     */
    static RuntimeException failed(EngineException e, Path ckDir) {
        if (e.kind() == EngineException.Kind.WORKER_DIED) {
            return new TrainingInterruptedException("Training stopped: " + e.getMessage() + "\nThe checkpoint in "
                    + ckDir + " is kept; run the build again to resume from it.", e);
        }
        if (e.kind() == EngineException.Kind.NATIVE_LIBRARY || e.kind() == EngineException.Kind.NATIVE_CALL) {
            return new IllegalStateException(e.getMessage(), e);
        }
        return new IllegalArgumentException(e.getMessage(), e);
    }

    /** Builds a tiny base model with the given seed into a file. */
    @FunctionalInterface
    interface TinyBase {
        void build(long seed, Path file) throws IOException;
    }

    /** What every training run of one forge:train shares: the data files, chat format, run key and worker options. */
    record RunPlan(Path base, ChatFormat format, Path trainFile, Path evalFile, String inputHash, TrainingRequest req) {
        TrainRequest request(TrainSettings eff, Path startModel, Path output, Path ckDir, int startEpoch, long seed,
                             String runKey, long exitAt, int stopAfterEpochs) {
            return TrainRequest.builder(startModel, output, ckDir, trainFile).evalTexts(evalFile)
                    .context(eff.contextLength()).batch(eff.batch(), eff.ubatch()).threads(eff.threads())
                    .epochs(eff.epochs(), startEpoch).learningRate(eff.learningRate(), eff.minLearningRate())
                    .warmupSteps(eff.warmupSteps()).schedule(eff.schedule()).weightDecay(eff.weightDecay())
                    .optimizer(eff.optimizer()).seed(seed).specialTokens(specialTokens(format)).runKey(runKey)
                    .exitAt(exitAt, req.testExitCode()).core(eff.core(), eff.lossOn())
                    .lora(eff.loraRank(), eff.loraAlpha(), eff.loraTargets())
                    .sharedPrefix(eff.sharedPrefix(), eff.rowTokens())
                    .decision(eff.decisionWeight(), eff.decisionTokens()).stopAfterEpochs(stopAfterEpochs).build();
        }

        /** Runs one request in a fresh engine worker. */
        JsonNode run(TrainRequest tr, ProgressLog progress) {
            WorkerClient.Options opts = WorkerClient.Options.defaults();
            if (req.cacheDir() != null) {
                opts = opts.withCacheDir(req.cacheDir());
            }
            if (!req.workerJvmArgs().isEmpty()) {
                opts = opts.withJvmArgs(req.workerJvmArgs());
            }
            try (WorkerClient w = WorkerClient.start(opts)) {
                return w.call("train", tr.toJson(), progress::accept);
            }
        }
    }

    private static String fmt(List<Double> l) {
        Double v = l.isEmpty() ? null : l.get(l.size() - 1);
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String recommendations() {
        return "Try a smaller profile (-Dforge.profile=fast_dev), a smaller base model, a shorter context "
                + "(-Dforge.contextLength), or the SGD optimizer (-Dforge.optimizer=sgd, no moment buffers).";
    }

    static boolean looksLikeOom(String message) {
        return message.contains("SIGKILL") || message.contains("status 137") || message.contains("OutOfMemoryError")
                || message.contains("out of memory");
    }

    private static List<String> specialTokens(ChatFormat f) {
        return switch (f.id()) {
            case "chatml", "chatml-names" -> List.of("<|im_start|>", "<|im_end|>");
            case "llama3" -> List.of("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");
            default -> List.of();
        };
    }

    private static void renderSplit(List<Sample> samples, List<Integer> idx, int nEval, ChatFormat f, JsonNode tools,
                                    List<String> train, List<String> eval, List<String> trainLines,
                                    List<String> evalLines) {
        for (int k = 0; k < idx.size(); k++) {
            dev.mcpforge.engine.chat.RenderedChat rc = f.renderWithSpans(toChat(samples.get(idx.get(k))), tools, false);
            List<int[]> spans = new ArrayList<>();
            rc.assistantSpans().forEach(sp -> spans.add(new int[] {sp.start(), sp.end()}));
            List<int[]> names = new ArrayList<>();
            rc.toolNames().forEach(sp -> names.add(new int[] {sp.start(), sp.end()}));
            (k < nEval ? eval : train).add(rc.text());
            (k < nEval ? evalLines : trainLines).add(dev.mcpforge.engine.train.TrainTexts.line(rc.text(), spans, names));
        }
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
    }

    private static List<Sample> readSamples(Path file) throws IOException {
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> s;
        try {
            s = SampleJsonl.readAll(file, errors);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The clean training data " + file + " does not exist: run forge:generate"
                    + " and forge:qa first (or mvn package).");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("The clean training data " + file + " has " + errors.size()
                    + " unreadable lines (first: " + errors.get(0) + "): rerun forge:qa.");
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("The clean training data " + file + " is empty: nothing to train on. "
                    + "Check reports/qc.md for why forge:qa dropped every sample.");
        }
        return s;
    }

    /**
     * Metadata keys of the base model not put back by {@link #restoreMetadata}: they describe the file's layout
     * (type, quantization, alignment, split) or the base's own ancestry, not the trained model.
     */
    static final List<String> NOT_RESTORED_PREFIXES = List.of("general.file_type", "general.quantization_version",
            "general.alignment", "split.", "general.base_model.", "general.dataset.");

    /**
     * llama.cpp's {@code llama_model_save_to_file} writes only the keys it knows how to derive from the loaded model:
     * it drops {@code tokenizer.chat_template} (the format the model was just trained on), {@code general.license}
     * and the other descriptive keys. This copies every key of the base model that the trained file lacks back into
     * it (except {@link #NOT_RESTORED_PREFIXES}) and records the base as {@code general.base_model.0.name}, with
     * {@link GgufWriter#copy} (tensors copied verbatim). Returns the keys added, sorted.
     */
    static List<String> restoreMetadata(Path base, Path trained, String baseName) throws IOException {
        GgufFile b = readGguf(base);
        GgufFile t = readGguf(trained);
        Map<String, Object> add = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : b.metadata().entrySet()) {
            String k = e.getKey();
            if (!t.metadata().containsKey(k) && NOT_RESTORED_PREFIXES.stream().noneMatch(k::startsWith)) {
                add.put(k, new GgufWriter.Typed(b.type(k), e.getValue()));
            }
        }
        add.put("general.base_model.count", new GgufWriter.Typed(GgufValueType.UINT32, 1L));
        add.put("general.base_model.0.name", baseName);
        GgufWriter.copy(t, trained, add);
        List<String> keys = new ArrayList<>(add.keySet());
        Collections.sort(keys);
        LOG.debug("restored metadata dropped by llama_model_save_to_file: {}", keys);
        return keys;
    }

    private static GgufFile readGguf(Path file) {
        try {
            return GgufReader.read(file);
        } catch (Exception e) {
            throw new IllegalArgumentException("Base model " + file + " is not a readable GGUF file: " + e.getMessage()
                    + ". Point -Dforge.baseModel at a valid .gguf.", e);
        }
    }

    private static boolean allF32(GgufFile g) {
        return g.tensors().stream().allMatch(t -> t.type() == GgmlType.F32);
    }

    private Path convertToF32(TrainingRequest req, Path in, Path out) {
        LOG.info("Base model {} is not all F32: converting it to {} (llama.cpp trains F32 weights only)", in, out);
        WorkerClient.Options opts = WorkerClient.Options.defaults();
        if (req.cacheDir() != null) {
            opts = opts.withCacheDir(req.cacheDir());
        }
        try (WorkerClient w = WorkerClient.start(opts)) {
            w.quantize(in, out, QuantFormat.F32, 0, m -> LOG.info(m));
        } catch (EngineException e) {
            throw new IllegalArgumentException("Could not convert the base model " + in + " to F32: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The graph core's row length in tokens, for the memory estimate: the longest rendered sample (a row is as long
     * as the longest sample, rounded up to 16; a shared-prefix row may be a little longer, or set longer with
     * {@code rowTokens}: the filesystem example's longest sample is 455 tokens, its rows 480). Counted with
     * the tiny model's own tokenizer when there is one; for a pretrained base, whose tokenizer only the engine has,
     * a sample's UTF-8 bytes bound its tokens (no token of a byte-level or byte-fallback vocabulary is shorter than
     * a byte). Sizing the estimate by the context instead counted a 480-token row as 2,560 (5x the activations,
     * 28x the attention scores).
     */
    static int rowLength(SpmTokenizer counter, List<String> trainTexts, List<String> evalTexts, int rowTokens) {
        int longest = 0;
        for (List<String> texts : List.of(trainTexts, evalTexts)) {
            for (String t : texts) {
                longest = Math.max(longest, counter != null ? counter.encode(t, false, true).length
                        : t.getBytes(StandardCharsets.UTF_8).length);
            }
        }
        return Math.max(16, Math.max(rowTokens, (longest + 15) / 16 * 16));
    }

    /**
     * The worker's peak memory for these settings; {@code rowLength} (see {@link #rowLength}) sizes the graph core's
     * sequences, capped by the context.
     */
    static MemoryEstimate estimate(GgufFile g, TrainSettings s, int rowLength) {
        String a = g.architecture();
        int layers = g.getLong(a + ".block_count").orElse(1L).intValue();
        int embd = g.getLong(a + ".embedding_length").orElse(256L).intValue();
        int ff = g.getLong(a + ".feed_forward_length").orElse(4L * embd).intValue();
        if (s.llamaOpt()) {
            return MemoryEstimate.of(g.parameterCount(), g.vocabularySize(), layers, embd, ff, s.contextLength(),
                    s.ubatch(), s.optimizer());
        }
        // graph core: a micro-batch is whole sequences, no KV cache, but the attention scores of every head and
        // layer (scores, softmax and their gradients) stay alive for the backward pass
        int len = Math.min(s.contextLength(), rowLength);
        int rows = Math.max(1, s.ubatch() / len);
        int heads = g.getLong(a + ".attention.head_count").orElse(Math.max(1L, embd / 64L)).intValue();
        MemoryEstimate m = MemoryEstimate.of(g.parameterCount(), g.vocabularySize(), layers, embd, ff, len,
                rows * len, s.optimizer());
        long attention = 4L * 4 * layers * heads * (long) len * len * rows;
        return new MemoryEstimate(m.weights(), m.gradients(), m.moments(), 0, m.activations() + attention, m.overhead());
    }

    /** Whether halving the micro-batch saves memory: on the graph core only while it holds several sequences. */
    private static boolean canShrinkUbatch(TrainSettings s, int rowLength) {
        return s.ubatch() > MIN_UBATCH && (s.llamaOpt() || s.ubatch() > Math.min(s.contextLength(), rowLength));
    }

    record Resume(int startEpoch) {
    }

    /** Decides whether the checkpoint can be resumed; says why not, and removes one that cannot. */
    static Resume resume(Path ckDir, String inputHash, int epochs) throws IOException {
        Path st = ckDir.resolve(Trainer.CHECKPOINT_STATE);
        Path gguf = ckDir.resolve(Trainer.CHECKPOINT_MODEL);
        if (!Files.exists(st)) {
            if (Files.exists(ckDir)) {
                deleteTree(ckDir);
            }
            return new Resume(0);
        }
        String why;
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readString(st));
            int done = n.path("epochsDone").asInt(-1);
            if (!inputHash.equals(n.path("runKey").asString(""))) {
                why = "it belongs to a run with other inputs or configuration; starting over";
            } else if (!Files.isRegularFile(gguf) || !Trainer.sha256(gguf).equals(n.path("modelSha256").asString(""))) {
                why = "its model file is missing or corrupted (sha256 mismatch); ignoring it and starting over";
            } else if (done < 1 || done > epochs) {
                why = "it records " + done + " finished epochs of " + epochs + "; starting over";
            } else {
                LOG.info("Resuming from the checkpoint of epoch {}/{} in {}", done, epochs, ckDir);
                return new Resume(done);
            }
        } catch (RuntimeException | IOException e) {
            why = "its state file is corrupted (" + e.getMessage() + "); ignoring it and starting over";
        }
        LOG.warn("Checkpoint in {} not used: {}", ckDir, why);
        deleteTree(ckDir);
        return new Resume(0);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    /**
     * Turns the worker's JSON progress events into log lines with tokens/s and ETA, and appends every step's loss to
     * the loss log ({@code {"step", "epoch", "loss"}} per line; a fresh run starts it empty, a resumed run keeps the lines
     * of the epochs it resumes after).
     */
    static final class ProgressLog {
        private final TrainSettings s;
        private final Path lossLog;
        private final String prefix;
        private final int stopAfter;

        /** {@code epochsDone}: epochs kept from an earlier run (resume); the loss log keeps only their lines. */
        ProgressLog(TrainSettings s, Path lossLog, int epochsDone) throws IOException {
            this(s, lossLog, epochsDone, "", 0);
        }

        /**
         * A run's progress lines start with {@code prefix} (e.g. "draw 2/3: "); a run that stops after epoch
         * {@code stopAfter} (0: at the end) gives its ETA to that epoch.
         */
        ProgressLog(TrainSettings s, Path lossLog, int epochsDone, String prefix, int stopAfter) throws IOException {
            this.s = s;
            this.lossLog = lossLog;
            this.prefix = prefix;
            this.stopAfter = stopAfter;
            if (lossLog == null) {
                return;
            }
            StringBuilder kept = new StringBuilder();
            if (epochsDone > 0 && Files.isRegularFile(lossLog)) {
                // steps of the interrupted epoch are logged again by the resumed run
                for (String line : Files.readAllLines(lossLog)) {
                    try {
                        if (Json.MAPPER.readTree(line).path("epoch").asInt(Integer.MAX_VALUE) <= epochsDone) {
                            kept.append(line).append('\n');
                        }
                    } catch (RuntimeException ex) {
                        // a torn last line of a killed run: dropped
                    }
                }
            }
            Files.writeString(lossLog, kept);
        }

        void accept(String message) {
            JsonNode e;
            try {
                e = Json.MAPPER.readTree(message);
            } catch (RuntimeException ex) {
                LOG.info(message);
                return;
            }
            switch (e.path("event").asString("")) {
                case "info" -> LOG.info(e.path("message").asString(""));
                case "warn" -> LOG.warn(e.path("message").asString(""));
                case "step" -> {
                    double tps = e.path("tokensPerSecond").asDouble();
                    long total = e.path("totalSteps").asLong();
                    long end = stopAfter > 0 ? total * stopAfter / Math.max(1, e.path("epochs").asInt(1)) : total;
                    long left = end - e.path("step").asLong();
                    LOG.info(prefix + String.format(Locale.ROOT, "epoch %d/%d step %d/%d  loss %s  acc %s  lr %.2e  %.0f tok/s  ETA %s",
                            e.path("epoch").asInt(), e.path("epochs").asInt(), e.path("step").asLong(),
                            e.path("totalSteps").asLong(), num(e.get("trainLoss")), num(e.get("trainAccuracy")),
                            e.path("learningRate").asDouble(), tps,
                            eta(tps > 0 ? left * e.path("batchTokens").asLong(s.batch()) / tps : -1)));
                    appendLoss(e);
                }
                case "epoch" -> LOG.info(prefix + String.format(Locale.ROOT, "epoch %d/%d done: train loss %s acc %s, eval loss %s"
                                + " acc %s%s, %.0f tok/s, %.1f s (checkpoint saved)", e.path("epoch").asInt(),
                        e.path("epochs").asInt(), num(e.get("trainLoss")), num(e.get("trainAccuracy")),
                        num(e.get("evalLoss")), num(e.get("evalAccuracy")), toolChoice(e) + turnDecision(e),
                        e.path("tokensPerSecond").asDouble(), e.path("seconds").asDouble()));
                default -> LOG.info(message);
            }
        }

        private void appendLoss(JsonNode e) {
            JsonNode loss = e.get("trainLoss");
            if (lossLog == null || loss == null || !loss.isNumber()) {
                return;
            }
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("step", e.path("step").asLong());
            line.put("epoch", e.path("epoch").asInt());
            line.put("loss", loss.asDouble());
            try {
                Files.writeString(lossLog, Json.MAPPER.writeValueAsString(line) + "\n", StandardOpenOption.APPEND);
            } catch (IOException ex) {
                LOG.warn("Could not append to the loss log {}: {}", lossLog, ex.getMessage());
            }
        }

        /** ", tool choice 71.9 % (41 of 57 held-out calls)" when the epoch measured it, else "". */
        static String toolChoice(JsonNode epoch) {
            return share(epoch, "evalToolChoice", "evalToolCalls", "tool choice", "calls");
        }

        /**
         * ", turn decision 88.2 % (120 of 136 held-out turns)" when the epoch measured it, else "": the held-out
         * assistant turns that open as they should (a call, or an answer) and, when they call, name every tool right.
         */
        static String turnDecision(JsonNode epoch) {
            return share(epoch, "evalTurnDecision", "evalTurns", "turn decision", "turns");
        }

        /** ", <what> 71.9 % (41 of 57 held-out <of>)" from a share and its count, else "" (not measured). */
        private static String share(JsonNode epoch, String shareKey, String countKey, String what, String of) {
            JsonNode c = epoch.get(shareKey);
            int n = epoch.path(countKey).asInt();
            return c == null || !c.isNumber() || n == 0 ? "" : String.format(Locale.ROOT, ", %s %.1f %% (%d of %d"
                    + " held-out %s)", what, 100 * c.asDouble(), Math.round(c.asDouble() * n), n, of);
        }

        static String num(JsonNode n) {
            return n == null || !n.isNumber() ? "n/a" : String.format(Locale.ROOT, "%.3f", n.asDouble());
        }

        private static String eta(double secs) {
            if (secs < 0) {
                return "?";
            }
            long s = Math.round(secs);
            return s >= 3600 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
        }
    }
}
