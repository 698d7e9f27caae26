package dev.mcpforge.maven;

import dev.mcpforge.bundle.BundleException;
import dev.mcpforge.bundle.BundleRequest;
import dev.mcpforge.bundle.BundleResult;
import dev.mcpforge.bundle.BundleService;
import org.apache.maven.archiver.MavenArchiver;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Packs the Agent Bundle: {@code target/agent-bundle/<name>/} (model.gguf, tools.json, prompt_template.json,
 * agent.yaml, tests/validation.json, README.md, Modelfile) and its reproducible zip
 * {@code target/<finalName>.zip}. With {@code <packaging>agent-bundle</packaging>} the zip is the project's main
 * artifact and the reports are attached as {@code <finalName>-reports.zip}; in other projects the bundle is attached
 * with classifier {@code agent-bundle}.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BundleMojo extends AbstractForgeMojo {

    /** The agent's name: the bundle directory, agent.yaml {@code name}, the Ollama model name. */
    @Parameter(property = "forge.name", defaultValue = "${project.artifactId}")
    private String name;

    /** What the agent does, for agent.yaml and the bundle README. */
    @Parameter(property = "forge.description", defaultValue = "${project.description}")
    private String description;

    /** The toolset (written by forge:inspect). */
    @Parameter(property = "forge.tools", defaultValue = "${project.build.directory}/forge/tools.json")
    private File tools;

    /** Model format written by forge:gguf; selects {@code target/forge/model/model-<format>.gguf}. */
    @Parameter(property = "forge.format", defaultValue = "q8_0")
    private String format;

    /** The GGUF to ship, when not forge:gguf's output ({@code target/forge/model/model-<forge.format>.gguf}). */
    @Parameter(property = "forge.bundleModel")
    private File bundleModel;

    /** The eval set the bundle's smoke tests are taken from (written by forge:generate). */
    @Parameter(property = "forge.evalData", defaultValue = "${project.build.directory}/forge/data/eval.jsonl")
    private File evalData;

    /** The training set, hashed into agent.yaml's provenance (written by forge:qa). */
    @Parameter(property = "forge.trainData", defaultValue = "${project.build.directory}/forge/data/train_clean.jsonl")
    private File trainData;

    /** Reports (qc, training, validation, benchmark JSON) summarized into agent.yaml and attached as a zip. */
    @Parameter(property = "forge.reports", defaultValue = "${project.build.directory}/forge/reports")
    private File reports;

    /** The system prompt; default: the one the training samples were made with. */
    @Parameter(property = "forge.systemPrompt")
    private String systemPrompt;

    /** How many eval samples become smoke tests in tests/validation.json. */
    @Parameter(property = "forge.smokeTests", defaultValue = "5")
    private int smokeTests;

    /** Recommended context length (Modelfile num_ctx, agent.yaml runtime); 0 = the model's, at most 4096. */
    @Parameter(property = "forge.contextLength", defaultValue = "0")
    private int contextLength;

    /**
     * Recommended sampling temperature (Modelfile, agent.yaml runtime). Default 0, greedy: what forge:validate
     * measures by default, so the bundle ships the decoding its numbers are for (forge:bundle warns when the
     * validation report was measured at another temperature). At 0.7 the examples' models measured differently, on
     * filesystem worse on four metrics (docs/bundle.md, "Decoding").
     */
    @Parameter(property = "forge.temperature", defaultValue = "0")
    private double temperature;

    /**
     * The agent's licence, written into model.gguf ({@code general.license}) and agent.yaml. Default: the model's
     * own {@code general.license} (a fine-tune's base model licence), else the pom's first {@code <licenses>} name,
     * else "unspecified".
     */
    @Parameter(property = "forge.license")
    private String license;

    /** Timestamp of every zip entry and of agent.yaml {@code created_at} (ISO-8601 or epoch seconds). */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    @Parameter(defaultValue = "${project.build.finalName}", readonly = true)
    private String finalName;

    /** Skip this goal. */
    @Parameter(property = "forge.bundle.skip", defaultValue = "false")
    private boolean bundleSkip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("bundle", bundleSkip)) {
            return;
        }
        BundleRequest request = request();
        BundleResult result;
        try {
            result = new BundleService().build(request);
        } catch (BundleException e) {
            getLog().debug(e);
            throw new MojoFailureException("forge:bundle: " + e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("forge:bundle could not write the bundle: " + e.getMessage(), e);
        }
        getLog().info("Agent bundle " + name + " " + project.getVersion() + ": " + result.toolCount() + " tools, "
                + result.smokeTests() + " smoke tests, " + result.files().size() + " hashed files");
        getLog().info("Bundle directory: " + result.bundleDir());
        getLog().info("Bundle zip: " + result.zip());
        attach(result);
    }

    private void attach(BundleResult result) throws MojoFailureException {
        if ("agent-bundle".equals(project.getPackaging())) {
            File main = project.getArtifact().getFile();
            if (main != null && !main.equals(result.zip().toFile())) {
                throw new MojoFailureException("the project's main artifact is already set to " + main
                        + "; only forge:bundle sets the main artifact of an agent-bundle project");
            }
            project.getArtifact().setFile(result.zip().toFile());
        } else {
            projectHelper.attachArtifact(project, "zip", "agent-bundle", result.zip().toFile());
        }
        if (result.reportsZip() != null) {
            projectHelper.attachArtifact(project, "zip", "reports", result.reportsZip().toFile());
            getLog().info("Reports zip: " + result.reportsZip() + " (attached, classifier reports)");
        }
    }

    BundleRequest request() throws MojoFailureException {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new MojoFailureException("forge.name '" + name + "' is not a usable agent name: use letters, digits,"
                    + " '.', '_' and '-' (it names a directory and an Ollama model)");
        }
        if (smokeTests < 1) {
            throw new MojoFailureException("forge.smokeTests must be at least 1, got " + smokeTests);
        }
        if (contextLength < 0) {
            throw new MojoFailureException("forge.contextLength must be 0 (the model's) or positive, got "
                    + contextLength);
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new MojoFailureException("forge.temperature must be between 0 and 2, got " + temperature);
        }
        Instant ts = timestamp();
        Path base = baseDir();
        Path build = buildDir();
        Path model = bundleModel != null ? base.resolve(bundleModel.toPath())
                : forgeDir().resolve("model").resolve("model-" + format.toLowerCase(java.util.Locale.ROOT) + ".gguf");
        String fn = finalName != null ? finalName : name + "-" + project.getVersion();
        return new BundleRequest(name, project.getVersion(), description, base.resolve(tools.toPath()), model,
                base.resolve(evalData.toPath()), base.resolve(trainData.toPath()), base.resolve(reports.toPath()),
                systemPrompt, smokeTests, contextLength, temperature, ts, build.resolve("agent-bundle").resolve(name),
                build.resolve(fn + ".zip"), build.resolve(fn + "-reports.zip"), license, projectLicense());
    }

    private String projectLicense() {
        return project.getLicenses() == null || project.getLicenses().isEmpty() ? null
                : project.getLicenses().get(0).getName();
    }

    private Instant timestamp() throws MojoFailureException {
        Optional<Instant> ts;
        try {
            ts = MavenArchiver.parseBuildOutputTimestamp(outputTimestamp);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("project.build.outputTimestamp '" + outputTimestamp + "' is not an "
                    + "ISO-8601 date-time (2026-01-15T10:30:00Z) or epoch seconds");
        }
        if (ts.isEmpty()) {
            getLog().warn("project.build.outputTimestamp is not set: the bundle zip is not reproducible (its times "
                    + "and agent.yaml created_at use the current time). Set <project.build.outputTimestamp> in the pom");
            return Instant.now();
        }
        return ts.get();
    }
}
