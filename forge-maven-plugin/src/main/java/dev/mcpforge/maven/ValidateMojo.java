package dev.mcpforge.maven;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.worker.WorkerClient;
import dev.mcpforge.eval.EngineModelBackend;
import dev.mcpforge.eval.ModelBackend;
import dev.mcpforge.eval.Thresholds;
import dev.mcpforge.eval.ValidationRequest;
import dev.mcpforge.eval.ValidationResult;
import dev.mcpforge.eval.ValidationService;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Looped validation (seed §3.4): every eval case is prompted, the model's call parsed, schema-checked, executed on
 * the live MCP server ({@code -Dforge.server}) or the deterministic stub ({@code -Dforge.stub}), the result fed
 * back and the final answer checked. Writes {@code reports/validation.json} and {@code .md}; fails the build when a
 * metric is under its threshold. Bound to {@code test}: {@code -DskipTests} skips it too.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.TEST, requiresProject = false, threadSafe = true)
public class ValidateMojo extends AbstractServerMojo {

    /** The GGUF model (default: model-q8_0 / model-q4_k_m.gguf in target/forge/model when not older than model-f32.gguf, else model-f32.gguf). */
    @Parameter(property = "forge.model")
    File model;

    /** Chat format: chatml, chatml-names, llama3 or deepseek-r1 (default: detected from the GGUF's chat template). */
    @Parameter(property = "forge.chatFormat")
    String chatFormat;

    /** Eval set, JSONL in the sample format (default: data/eval.jsonl from forge:generate). */
    @Parameter(property = "forge.eval")
    File eval;

    /** tools.json (the stub serves it; with a server, differences are reported). */
    @Parameter(property = "forge.tools")
    File tools;

    /** Fixtures of the deterministic stub (JSONL, see forge:inspect -Dforge.record); used without forge.server. */
    @Parameter(property = "forge.stub")
    File stub;

    /** Number of eval cases (0 = all), picked round-robin across scenarios. */
    @Parameter(property = "forge.validate.samples", defaultValue = "20")
    int samples;

    /** Runs per case; a case passes only if all runs pass (pass^k). Runs after the first are sampled. */
    @Parameter(property = "forge.validate.repeats", defaultValue = "1")
    int repeats;

    /** Token limit per reply (a model that loops stops here). */
    @Parameter(property = "forge.validate.maxTokens", defaultValue = "256")
    int maxTokens;

    /** Sampling temperature (0 = greedy; with repeats &gt; 1 and 0, 0.7 is used so runs can differ). */
    @Parameter(property = "forge.validate.temperature", defaultValue = "0")
    float temperature;

    /** Seed of sampled runs. */
    @Parameter(property = "forge.seed", defaultValue = "42")
    int seed;

    /**
     * Grammar-constrained decoding of the first reply: false; true (or schema): the tools' schema grammar (free text
     * or one schema-valid call); spans: the schema grammar whose string arguments are the quoted and path-like spans
     * of the user's message (free text only where no span fits).
     */
    @Parameter(property = "forge.constrained", defaultValue = "false")
    String constrained;

    /** Engine CPU threads (0 = all processors; 1 is often fastest on a machine busy with other work). */
    @Parameter(property = "forge.threads", defaultValue = "0")
    int threads;

    /**
     * Reuse the engine's KV cache of the prompt prefix shared with the previous generation (the system prompt and
     * tool list every case starts with). Same results either way; false only to measure the difference.
     */
    @Parameter(property = "forge.prefixCache", defaultValue = "true")
    boolean prefixCache;

    /** Context size (0 = the model's). */
    @Parameter(property = "forge.ctx", defaultValue = "0")
    int ctx;

    @Parameter(property = "forge.threshold.validity", defaultValue = "0.98")
    double thresholdValidity;
    @Parameter(property = "forge.threshold.schema", defaultValue = "0.95")
    double thresholdSchema;
    @Parameter(property = "forge.threshold.selection", defaultValue = "0.90")
    double thresholdSelection;
    @Parameter(property = "forge.threshold.noTool", defaultValue = "0.85")
    double thresholdNoTool;
    @Parameter(property = "forge.threshold.robustness", defaultValue = "0.80")
    double thresholdRobustness;
    @Parameter(property = "forge.threshold.loop", defaultValue = "0.95")
    double thresholdLoop;

    /** Fail the build when a metric is under its threshold. */
    @Parameter(property = "forge.validate.failOnThreshold", defaultValue = "true")
    boolean failOnThreshold;

    @Parameter(property = "skipTests", defaultValue = "false")
    boolean skipTests;

    @Parameter(property = "forge.validate.skip", defaultValue = "false")
    boolean validateSkip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("validate", validateSkip)) {
            return;
        }
        if (skipTests) {
            getLog().info("forge:validate skipped (skipTests=true)");
            return;
        }
        ValidationRequest req = request("validation");
        try (ModelBackend backend = openModel(resolveModel(model, "forge.model"))) {
            ValidationResult r = new ValidationService().validate(req, backend);
            getLog().info("\n" + r.table());
            getLog().info("Reports: " + r.jsonReport() + ", " + r.mdReport());
            if (!r.passed() && failOnThreshold) {
                throw new MojoFailureException("The model fails the release criteria: " + String.join("; ", r.failures())
                        + ". See " + r.mdReport() + " for the failing cases. Train longer or on more data, try "
                        + "-Dforge.constrained=true, lower a threshold (-Dforge.threshold.<metric>=0.9) or set "
                        + "-Dforge.validate.failOnThreshold=false.");
            }
        } catch (IllegalArgumentException | ToolException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (EngineException e) {
            rethrow(e);
        } catch (IOException e) {
            throw new MojoExecutionException("forge:validate could not read or write its files: " + e.getMessage(), e);
        }
    }

    ValidationRequest request(String reportName) throws MojoFailureException {
        try {
            ServerSpec spec = serverSpec().orElse(null);
            float temp = temperature <= 0 && repeats > 1 ? 0.7f : temperature;
            return new ValidationRequest(
                    eval != null ? eval.toPath() : forgeDir().resolve("data/eval.jsonl"),
                    tools != null ? tools.toPath() : forgeDir().resolve("tools.json"), spec,
                    stub == null ? null : stub.toPath(), samples, repeats,
                    ModelBackend.Options.forMode(constrained, maxTokens, temp, seed),
                    new Thresholds(thresholdValidity, thresholdSchema, thresholdSelection, thresholdNoTool,
                            thresholdRobustness, thresholdLoop),
                    forgeDir().resolve("reports"), reportName);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /**
     * The model file, or the pipeline's newest model: a quantized model ({@code forge:gguf}, phase package) counts
     * only when it is at least as new as {@code model-f32.gguf}. In {@code mvn package} validation runs before
     * forge:gguf, so a quantized file then is the previous build's, made from another model (measured: a rebuild
     * validated last build's q8_0 and reported its metrics for the new model). A clear failure when there is none.
     */
    Path resolveModel(File given, String property) throws MojoFailureException {
        if (given != null) {
            if (!given.isFile()) {
                throw new MojoFailureException("The model " + given + " does not exist: check -D" + property + ".");
            }
            return given.toPath();
        }
        Path dir = forgeDir().resolve("model");
        Path f32 = dir.resolve("model-f32.gguf");
        for (String name : List.of("model-q8_0.gguf", "model-q4_k_m.gguf")) {
            Path q = dir.resolve(name);
            if (!Files.isRegularFile(q)) {
                continue;
            }
            if (Files.isRegularFile(f32) && olderThan(q, f32)) {
                getLog().info(name + " is older than model-f32.gguf (a previous build's quantization): validating "
                        + "model-f32.gguf; forge:gguf quantizes the new model after validation");
                continue;
            }
            return q;
        }
        if (Files.isRegularFile(f32)) {
            return f32;
        }
        throw new MojoFailureException("No model to validate in " + dir + ": run forge:train and forge:gguf first, or set -D"
                + property + "=<model.gguf>.");
    }

    private static boolean olderThan(Path a, Path b) throws MojoFailureException {
        try {
            return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) < 0;
        } catch (java.io.IOException e) {
            throw new MojoFailureException("Cannot read the modification time of " + a + " or " + b + ": " + e.getMessage(), e);
        }
    }

    /** The model under test; tests override this with a scripted model. */
    ModelBackend openModel(Path modelFile) {
        return EngineModelBackend.start(modelFile, chatFormat, ctx, WorkerClient.Options.defaults()).threads(threads)
                .prefixCache(prefixCache);
    }

    /** User-fixable engine failures fail the build; a broken engine/environment is an execution error. */
    static void rethrow(EngineException e) throws MojoFailureException, MojoExecutionException {
        switch (e.kind()) {
            case MODEL_NOT_FOUND, MODEL_INVALID, INVALID_REQUEST, GRAMMAR -> throw new MojoFailureException(e.getMessage(), e);
            default -> throw new MojoExecutionException("The engine failed: " + e.getMessage(), e);
        }
    }
}
