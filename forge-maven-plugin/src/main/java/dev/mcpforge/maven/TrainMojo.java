package dev.mcpforge.maven;

import dev.mcpforge.train.MemoryEstimate;
import dev.mcpforge.train.TrainProfile;
import dev.mcpforge.train.TrainService;
import dev.mcpforge.train.TrainSettings;
import dev.mcpforge.train.TrainingInterruptedException;
import dev.mcpforge.train.TrainingRequest;
import dev.mcpforge.train.TrainingResult;
import dev.mcpforge.engine.EngineException;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fine-tunes the base model on the clean training data with llama.cpp's optimizer (in the engine worker): profiles,
 * progress log, checkpoints and resume, out-of-memory recovery; writes {@code model/model-f32.gguf},
 * {@code reports/training.json} and {@code reports/training-loss.svg}. Skips when inputs and configuration are
 * unchanged.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true, requiresProject = false)
public class TrainMojo extends AbstractForgeMojo {

    @Parameter(property = "forge.train.skip", defaultValue = "false")
    boolean trainSkip;

    /** tiny (default), a local GGUF path, or hf:owner/repo/file.gguf. */
    @Parameter(property = "forge.baseModel", defaultValue = "tiny")
    String baseModel;

    /** fast_dev, balanced (default) or max_quality. */
    @Parameter(property = "forge.profile", defaultValue = "balanced")
    String profile;

    /** The clean training data (default: data/train_clean.jsonl written by forge:qa). */
    @Parameter(property = "forge.trainData")
    File data;

    @Parameter(property = "forge.tools")
    File tools;

    @Parameter(property = "forge.epochs")
    Integer epochs;

    @Parameter(property = "forge.learningRate")
    Double learningRate;

    @Parameter(property = "forge.contextLength")
    Integer contextLength;

    @Parameter(property = "forge.batchSize")
    Integer batchSize;

    @Parameter(property = "forge.microBatchSize")
    Integer microBatchSize;

    @Parameter(property = "forge.threads")
    Integer threads;

    @Parameter(property = "forge.seed")
    Long seed;

    /** adamw or sgd (no moment buffers: the low-memory option). */
    @Parameter(property = "forge.optimizer")
    String optimizer;

    /** cosine (with warm-up) or constant. */
    @Parameter(property = "forge.schedule")
    String schedule;

    @Parameter(property = "forge.weightDecay")
    Double weightDecay;

    /** Memory the training may use, e.g. 2g (default: the available memory). */
    /** Training core: graph (the project's own ggml graph, every tensor trains) or llama-opt (llama.cpp's API). */
    @Parameter(property = "forge.train.core")
    private String trainCore;

    /** Which tokens carry the loss: assistant (the assistant turns only; graph core) or all. */
    @Parameter(property = "forge.train.lossOn")
    private String lossOn;

    /** LoRA rank: 0 trains every weight; default: the profile's rank for a real base model, 0 for tiny. */
    @Parameter(property = "forge.lora.rank")
    private Integer loraRank;

    /** LoRA alpha (adapter output scaled by alpha / rank); default 2 x rank. */
    @Parameter(property = "forge.lora.alpha")
    private Double loraAlpha;

    /** LoRA target modules, comma-separated (default attn_q,attn_k,attn_v,attn_output,ffn_gate,ffn_up,ffn_down). */
    @Parameter(property = "forge.lora.targets")
    private String loraTargets;

    /**
     * How the system turn lists the tools: auto (default: none for the tiny base model, full for any other), none (no
     * list: the system prompt alone; the model learns its tools from the data), names (tool names only, one per line;
     * none and names are for the tiny model only, whose chat template MCP-Forge writes) or full (every tool's JSON
     * schema, as the base model's own chat template does). Part of the training configuration: changing it retrains.
     */
    @Parameter(property = "forge.toolPrompt", defaultValue = "auto")
    private String toolPrompt;

    /**
     * Shared-prefix packing on the graph core (default true): the samples' common prefix (system prompt and tool
     * list) is computed once per row, exactly; the llama-opt core ignores it.
     */
    @Parameter(property = "forge.train.sharedPrefix")
    private Boolean sharedPrefix;

    /**
     * Row length in tokens with shared-prefix packing (default: the prefix and about 3 mean suffixes; at least the
     * longest sample, at most the context). Each row is one optimizer step.
     */
    @Parameter(property = "forge.train.rowTokens")
    private Integer rowTokens;

    /**
     * Loss weight of the decision tokens on the graph core (default 1: every assistant token counts once): the first
     * {@code forge.train.decisionTokens} tokens of each assistant turn, where the model decides whether to call a
     * tool, which one, and how to answer a tool result, count this many times.
     */
    @Parameter(property = "forge.train.decisionWeight")
    private Double decisionWeight;

    /** How many tokens at the start of each assistant turn the decision weight covers (default 16). */
    @Parameter(property = "forge.train.decisionTokens")
    private Integer decisionTokens;

    /**
     * Shape of the tiny base model (default: the profile's: nano for fast_dev, small for balanced, base for
     * max_quality): a profile name or {@code <layers>x<width>[/<heads>]}, e.g. {@code 6x256} or {@code 4x256/8}
     * (feed-forward 3 x width; heads of 64 dimensions unless given). Only with forge.baseModel=tiny.
     */
    @Parameter(property = "forge.tinyModel")
    private String tinyModel;

    /**
     * Whether the tiny model's tokenizer keeps each tool name that is an identifier ({@code read_text_file},
     * {@code get-sum}) as one token, so that choosing a tool is one prediction. Only with forge.baseModel=tiny.
     */
    @Parameter(property = "forge.toolNameTokens")
    private Boolean toolNameTokens;

    /**
     * How the tiny model's attention value/output matrices start: 0 random (the default), 1.0 at the identity (each
     * head starts by copying the token it attends to; docs/training.md, "The copy init"). Graph core only.
     */
    @Parameter(property = "forge.tiny.copyInit")
    private Double copyInit;

    /**
     * Training draws (default 1): with N &gt; 1, N runs that differ only in their seed (forge.seed, +1, +2, ...: the
     * tiny model's initial weights and the shuffling) each train {@code forge.train.drawEpochs} epochs of the
     * schedule; the one whose held-out tool choice is best goes on to the last epoch, the others are dropped. A
     * from-scratch model's tool choice varies a lot between seeds and shows early (docs/training.md). Graph core only.
     */
    @Parameter(property = "forge.train.draws")
    private Integer draws;

    /** Epochs each draw trains before the best is kept (default: half of forge.epochs, rounded up). */
    @Parameter(property = "forge.train.drawEpochs")
    private Integer drawEpochs;

    @Parameter(property = "forge.memoryLimit")
    String memoryLimit;

    /** Retrain even when up to date. */
    @Parameter(property = "forge.force", defaultValue = "false")
    boolean force;

    /** Extra JVM options of the training worker, e.g. -Xmx512m. */
    @Parameter(property = "forge.workerJvmArgs")
    List<String> workerJvmArgs;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("train", trainSkip)) {
            return;
        }
        TrainingRequest req;
        try {
            TrainSettings.Overrides o = new TrainSettings.Overrides(epochs, learningRate, contextLength, batchSize,
                    microBatchSize, threads, seed, optimizer, schedule, weightDecay, trainCore, lossOn, loraRank, loraAlpha,
                    loraTargets, toolPrompt, sharedPrefix, rowTokens, decisionWeight, decisionTokens, tinyModel, toolNameTokens,
                    draws, drawEpochs, copyInit);
            req = new TrainingRequest(forgeDir(), baseDir(),
                    data != null ? data.toPath() : forgeDir().resolve("data/train_clean.jsonl"),
                    tools != null ? tools.toPath() : forgeDir().resolve("tools.json"), baseModel,
                    TrainProfile.parse(profile), o, memoryLimit == null || memoryLimit.isBlank() ? null
                    : MemoryEstimate.parseSize(memoryLimit), force, null,
                    workerJvmArgs == null ? List.of() : workerJvmArgs, -1, 137);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        try {
            TrainingResult r = new TrainService().train(req);
            getLog().info(r.message());
            if (!r.upToDate()) {
                getLog().info("Report: " + r.report() + ", loss chart: " + r.chart());
            }
        } catch (IllegalArgumentException | TrainingInterruptedException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IllegalStateException | EngineException e) {
            throw new MojoExecutionException("forge:train: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("forge:train could not read or write its files: " + e.getMessage(), e);
        }
    }
}
