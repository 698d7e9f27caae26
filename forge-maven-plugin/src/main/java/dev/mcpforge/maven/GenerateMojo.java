package dev.mcpforge.maven;

import dev.mcpforge.data.GenerateRequest;
import dev.mcpforge.data.GenerateResult;
import dev.mcpforge.data.GenerateService;
import dev.mcpforge.data.ScenarioWeights;
import dev.mcpforge.data.TeacherConfig;
import dev.mcpforge.data.UnsatisfiableSchemaException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Generates the training set ({@code data/train.jsonl}), a held-out eval set ({@code data/eval.jsonl}) and
 * {@code synthesis_plan.json} from the tools in tools.json.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** The pipeline's working directory. */
    @Parameter(property = "forge.directory", defaultValue = "${project.build.directory}/forge")
    File forgeDirectory;

    /** tools.json written by forge:inspect (or any tools file in that shape). */
    @Parameter(property = "forge.tools", defaultValue = "${project.build.directory}/forge/tools.json")
    File tools;

    /** Number of training samples. */
    @Parameter(property = "forge.samples", defaultValue = "2000")
    int samples;

    /** Random seed: the same seed and inputs give byte-identical files. */
    @Parameter(property = "forge.seed", defaultValue = "42")
    long seed;

    /** Held-out eval samples as a share of {@code forge.samples}. */
    @Parameter(property = "forge.evalRatio", defaultValue = "0.1")
    double evalRatio;

    /** Scenario shares (defaults 0.60 / 0.15 / 0.10 / 0.10 / 0.05; standard absorbs changes of the others). */
    @Parameter(property = "forge.standardRatio")
    Double standardRatio;
    @Parameter(property = "forge.noToolRatio")
    Double noToolRatio;
    @Parameter(property = "forge.errorRatio")
    Double errorRatio;
    @Parameter(property = "forge.ambiguousRatio")
    Double ambiguousRatio;
    @Parameter(property = "forge.edgeRatio")
    Double edgeRatio;

    /** Per-tool weights, {@code name=weight} separated by commas (balanced when empty; 0 leaves a tool out). */
    @Parameter(property = "forge.toolWeights")
    String toolWeights;

    /** {@code offline} (default) or {@code openai}. */
    @Parameter(property = "forge.teacher", defaultValue = "offline")
    String teacher;

    /** OpenAI-compatible endpoint of the teacher, e.g. {@code http://localhost:8000/v1}. */
    @Parameter(property = "forge.teacher.baseUrl")
    String teacherBaseUrl;

    /** Model name served by the teacher endpoint. */
    @Parameter(property = "forge.teacher.model")
    String teacherModel;

    /** Maximum number of teacher requests. */
    @Parameter(property = "forge.teacher.maxRequests", defaultValue = "200")
    int teacherMaxRequests;

    @Parameter(property = "forge.skip", defaultValue = "false")
    boolean skip;

    @Parameter(property = "forge.generate.skip", defaultValue = "false")
    boolean generateSkip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || generateSkip) {
            getLog().info("forge:generate skipped (forge.skip / forge.generate.skip)");
            return;
        }
        GenerateRequest req;
        try {
            ScenarioWeights w = ScenarioWeights.of(standardRatio, noToolRatio, errorRatio, ambiguousRatio, edgeRatio);
            TeacherConfig tc = "openai".equals(teacher)
                    ? new TeacherConfig(teacherBaseUrl, teacherModel, System.getenv("OPENAI_API_KEY"), teacherMaxRequests)
                    : null;
            req = new GenerateRequest(tools.toPath(), forgeDirectory.toPath().resolve("data/train.jsonl"),
                    forgeDirectory.toPath().resolve("data/eval.jsonl"),
                    forgeDirectory.toPath().resolve("synthesis_plan.json"), samples, evalRatio, seed, w,
                    parseWeights(toolWeights), teacher, tc);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        try {
            GenerateResult r = new GenerateService().generate(req);
            getLog().info(String.format(Locale.ROOT, "Generated %d training and %d eval samples (%.0f samples/s)",
                    r.trainSamples(), r.evalSamples(), r.samplesPerSecond()));
        } catch (UnsatisfiableSchemaException e) {
            throw new MojoFailureException("Cannot generate data: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("forge:generate could not read or write its files: " + e.getMessage(), e);
        }
    }

    static Map<String, Double> parseWeights(String spec) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.strip();
            int eq = p.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("forge.toolWeights: expected name=weight, got '" + p
                        + "' (example: -Dforge.toolWeights=read_file=2,write_file=0.5)");
            }
            try {
                out.put(p.substring(0, eq).strip(), Double.parseDouble(p.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("forge.toolWeights: '" + p.substring(eq + 1) + "' is not a number in '"
                        + p + "'");
            }
        }
        return out;
    }
}
