package dev.mcpforge.maven;

import dev.mcpforge.data.GenerateService;
import dev.mcpforge.qa.QaRequest;
import dev.mcpforge.qa.QaService;
import dev.mcpforge.qa.QcReport;
import dev.mcpforge.qa.SynthesizerTopUp;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The mandatory data quality gate: checks every sample, repairs what is safely repairable, removes near-duplicates,
 * tops up tools under the coverage minimum, writes {@code data/train_clean.jsonl}, {@code reports/qc.json} and
 * {@code reports/qc.md}, and fails the build when the gate is not met.
 */
@Mojo(name = "qa", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class QaMojo extends AbstractMojo {

    @Parameter(property = "forge.directory", defaultValue = "${project.build.directory}/forge")
    File forgeDirectory;

    /** The dataset to check (any JSONL in the sample format). */
    @Parameter(property = "forge.data", defaultValue = "${project.build.directory}/forge/data/train.jsonl")
    File data;

    @Parameter(property = "forge.tools", defaultValue = "${project.build.directory}/forge/tools.json")
    File tools;

    /** Apply safe repairs (type coercion, dropping undeclared properties, trimming); off: such samples are dropped. */
    @Parameter(property = "forge.fix", defaultValue = "true")
    boolean fix;

    @Parameter(property = "forge.qa.dedupThreshold", defaultValue = "0.95")
    double dedupThreshold;

    @Parameter(property = "forge.qa.minSamplesPerTool", defaultValue = "10")
    int minSamplesPerTool;

    @Parameter(property = "forge.qa.schemaPassThreshold", defaultValue = "0.98")
    double schemaPassThreshold;

    @Parameter(property = "forge.qa.minPassRate", defaultValue = "0.95")
    double minPassRate;

    @Parameter(property = "forge.qa.maxChars", defaultValue = "16000")
    int maxChars;

    /** Generate more samples for tools under the coverage minimum (offline synthesizer). */
    @Parameter(property = "forge.qa.topUp", defaultValue = "true")
    boolean topUp;

    @Parameter(property = "forge.seed", defaultValue = "42")
    long seed;

    @Parameter(property = "forge.skip", defaultValue = "false")
    boolean skip;

    @Parameter(property = "forge.qa.skip", defaultValue = "false")
    boolean qaSkip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || qaSkip) {
            getLog().info("forge:qa skipped (forge.skip / forge.qa.skip)");
            return;
        }
        QcReport report;
        try {
            Path dataPath = data.toPath();
            Path forge = forgeDirectory.toPath();
            QaRequest req = new QaRequest(dataPath, tools.toPath(),
                    dataPath.toAbsolutePath().getParent().resolve("train_clean.jsonl"), forge.resolve("reports"),
                    forge.resolve("synthesis_plan.json"), fix, dedupThreshold, minSamplesPerTool, schemaPassThreshold,
                    minPassRate, maxChars);
            QaService service = topUp
                    ? new QaService(new SynthesizerTopUp(GenerateService.readTools(tools.toPath()), seed))
                    : new QaService();
            report = service.run(req);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("forge:qa could not read or write its files: " + e.getMessage(), e);
        }
        if (!report.passed()) {
            throw new MojoFailureException(report.failureMessage() + "\nSee " + forgeDirectory.toPath()
                    .resolve("reports/qc.md") + " for the full report.");
        }
    }
}
