package dev.mcpforge.maven;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.eval.BenchmarkService;
import dev.mcpforge.eval.ValidationRequest;
import dev.mcpforge.tools.ToolException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The benchmark (seed §6.2): the eval set on the fine-tuned model and on the baseline ({@code -Dforge.baseline}),
 * per tool and per scenario, overall score and delta. Writes {@code reports/benchmark.json}, {@code .md} and a
 * self-contained {@code .html} with charts. Takes the same parameters as forge:validate; never gates the build.
 */
@Mojo(name = "benchmark", requiresProject = false, threadSafe = true)
public class BenchmarkMojo extends ValidateMojo {

    /**
     * The base model to compare with (GGUF). Default: the base model forge:train started from (recorded in
     * reports/training.json); without either, only the fine-tuned model is measured.
     */
    @Parameter(property = "forge.baseline")
    File baseline;

    /** Training loss log for the chart: JSONL lines with step and loss (default: target/forge/model/loss.jsonl). */
    @Parameter(property = "forge.lossLog")
    File lossLog;

    @Parameter(property = "forge.benchmark.skip", defaultValue = "false")
    boolean benchmarkSkip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("benchmark", benchmarkSkip)) {
            return;
        }
        ValidationRequest req = request("benchmark");
        Path tunedModel = resolveModel(model, "forge.model");
        Path baseModel = baseline == null ? null : resolveModel(baseline, "forge.baseline");
        if (baseModel == null) {
            try {
                baseModel = BenchmarkService.trainingBase(forgeDir().resolve("reports")).orElse(null);
            } catch (IllegalArgumentException e) {
                throw new MojoFailureException(e.getMessage(), e);
            } catch (IOException e) {
                throw new MojoExecutionException("forge:benchmark could not read the training report: "
                        + e.getMessage(), e);
            }
            if (baseModel != null) {
                getLog().info("Baseline: the training base " + baseModel + " (from reports/training.json); "
                        + "-Dforge.baseline=<base.gguf> compares with another model.");
            }
        }
        if (baseModel == null) {
            getLog().warn("No baseline model (-Dforge.baseline=<base.gguf>, and no forge:train report naming its base "
                    + "model): only the fine-tuned model is measured.");
        }
        Path loss = lossLog != null ? lossLog.toPath() : forgeDir().resolve("model/loss.jsonl");
        Path base = baseModel;
        try {
            BenchmarkService.Result r = new BenchmarkService().run(req, () -> openModel(tunedModel),
                    base == null ? null : () -> openModel(base), loss);
            getLog().info("\n" + r.table());
            getLog().info("Reports saved: " + r.json() + ", " + r.md() + ", " + r.html());
        } catch (IllegalArgumentException | ToolException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (EngineException e) {
            rethrow(e);
        } catch (IOException e) {
            throw new MojoExecutionException("forge:benchmark could not read or write its files: " + e.getMessage(), e);
        }
    }
}
