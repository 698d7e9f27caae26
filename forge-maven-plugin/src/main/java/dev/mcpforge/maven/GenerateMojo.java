package dev.mcpforge.maven;

import dev.mcpforge.data.ExecutionPolicy;
import dev.mcpforge.data.GenerateRequest;
import dev.mcpforge.data.GenerateResult;
import dev.mcpforge.data.GenerateService;
import dev.mcpforge.data.ScenarioWeights;
import dev.mcpforge.data.teacher.ChatCompletions;
import dev.mcpforge.data.teacher.TeacherConfig;
import dev.mcpforge.data.teacher.TeacherLoader;
import dev.mcpforge.data.UnsatisfiableSchemaException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import dev.mcpforge.pipeline.Fingerprint;
import dev.mcpforge.pipeline.StageRun;
import dev.mcpforge.tools.McpToolProvider;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;

import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;

/**
 * Generates the training set ({@code data/train.jsonl}), a held-out eval set ({@code data/eval.jsonl}) and
 * {@code synthesis_plan.json} from the tools in tools.json.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class GenerateMojo extends AbstractServerMojo {

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

    /** Maximum number of teacher requests (HTTP requests, retries included). */
    @Parameter(property = "forge.teacher.maxRequests", defaultValue = "200")
    int teacherMaxRequests;

    /** Timeout of one teacher request, in seconds. */
    @Parameter(property = "forge.teacher.timeout", defaultValue = "60")
    int teacherTimeout;

    /** Attempts per teacher request (429, 5xx, timeouts and I/O errors are retried with exponential backoff). */
    @Parameter(property = "forge.teacher.maxAttempts", defaultValue = "3")
    int teacherMaxAttempts;

    /**
     * The openai-java version resolved for {@code forge.teacher=openai}; empty means the version the plugin was
     * built and tested with.
     */
    @Parameter(property = "forge.teacher.sdkVersion")
    String teacherSdkVersion;

    /*
     * The teacher's SDK (openai-java, ~81 MB of jars) is not a dependency of the plugin: every user would download it
     * although the default synthesizer is offline. It is resolved here, only when forge.teacher=openai, through
     * Maven's own resolver (local repository, mirrors, proxies and -o apply as for any artifact) and loaded into an
     * isolated class loader by TeacherLoader (docs/notes/g.md).
     */
    @Component
    RepositorySystem repositorySystem;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
    RepositorySystemSession repositorySession;

    @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true)
    List<RemoteRepository> remoteRepositories;


    @Parameter(property = "forge.generate.skip", defaultValue = "false")
    boolean generateSkip;

    /**
     * With a live server configured ({@code forge.server} or {@code <server>}): which tools generation may really
     * execute to get real results: {@code readonly} (default; tools annotated readOnlyHint), {@code all}, {@code none}.
     */
    @Parameter(property = "forge.execute", defaultValue = "readonly")
    String execute;

    /** Rerun even when the stage is up to date. */
    @Parameter(property = "forge.force", defaultValue = "false")
    boolean force;

    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    String pluginVersion;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("generate", generateSkip)) {
            return;
        }
        GenerateRequest req;
        ExecutionPolicy policy;
        try {
            ScenarioWeights w = ScenarioWeights.of(standardRatio, noToolRatio, errorRatio, ambiguousRatio, edgeRatio);
            TeacherConfig tc = "openai".equals(teacher)
                    ? new TeacherConfig(teacherBaseUrl, teacherModel, System.getenv("OPENAI_API_KEY"), teacherMaxRequests,
                    teacherMaxAttempts, 500, teacherTimeout).validate()
                    : null;
            req = new GenerateRequest(tools.toPath(), forgeDirectory.toPath().resolve("data/train.jsonl"),
                    forgeDirectory.toPath().resolve("data/eval.jsonl"),
                    forgeDirectory.toPath().resolve("synthesis_plan.json"), samples, evalRatio, seed, w,
                    parseWeights(toolWeights), teacher, tc);
            policy = ExecutionPolicy.parse(execute);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        Optional<ServerSpec> spec = serverSpec();
        StageRun run;
        try {
            run = StageRun.begin(forgeDirectory.toPath(), baseDir(), "generate", Fingerprint.builder()
                    .file("tools", tools.toPath())
                    .config("pluginVersion", pluginVersion)
                    .config("samples", samples).config("seed", seed).config("evalRatio", evalRatio)
                    .config("weights", w(standardRatio, noToolRatio, errorRatio, ambiguousRatio, edgeRatio))
                    .config("toolWeights", String.valueOf(toolWeights))
                    .config("teacher", teacher + " " + teacherBaseUrl + " " + teacherModel + " " + teacherMaxRequests
                            + " " + teacherMaxAttempts + " " + teacherTimeout + " " + teacherSdkVersion)
                    .config("server", spec.map(ServerSpec::commandLine).orElse("none") + " execute=" + policy),
                    force);
        } catch (IOException e) {
            throw new MojoFailureException("forge:generate cannot read " + tools + ": " + e.getMessage()
                    + " (run forge:inspect first, or set -Dforge.tools=PATH)", e);
        }
        if (run.upToDate()) {
            getLog().info("forge:generate is " + run.reason() + "; -Dforge.force=true regenerates");
            return;
        }
        getLog().info("forge:generate runs: " + run.reason());
        TeacherLoader.Loaded loaded = req.teacherConfig() == null ? null : loadTeacher(req.teacherConfig());
        ChatCompletions client = loaded == null ? null : loaded.client();
        try {
            GenerateResult r;
            if (spec.isPresent() && policy != ExecutionPolicy.NONE) {
                getLog().info("Executing " + (policy == ExecutionPolicy.ALL ? "every tool" : "read-only tools")
                        + " on the live server for real results: " + spec.get().commandLine());
                try (ToolProvider live = McpToolProvider.start(spec.get())) {
                    r = new GenerateService(live, policy, client).generate(req);
                }
            } else {
                r = new GenerateService(null, ExecutionPolicy.ALL, client).generate(req);
            }
            getLog().info(String.format(Locale.ROOT, "Generated %d training and %d eval samples (%.0f samples/s)",
                    r.trainSamples(), r.evalSamples(), r.samplesPerSecond()));
            r.counters().forEach((k, v) -> getLog().info("  " + k + ": " + v));
            run.done(List.of(r.trainFile(), r.evalFile(), r.planFile()),
                    Map.of("train", String.valueOf(r.trainSamples()), "eval", String.valueOf(r.evalSamples())));
        } catch (ToolException e) {
            throw new MojoFailureException("forge:generate could not use the live server: " + e.getMessage(), e);
        } catch (UnsatisfiableSchemaException e) {
            throw new MojoFailureException("Cannot generate data: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("forge:generate could not read or write its files: " + e.getMessage(), e);
        } finally {
            if (loaded != null) {
                try {
                    loaded.close();
                } catch (IOException e) {
                    getLog().debug("closing the teacher class loader: " + e);
                }
            }
        }
    }

    /** Resolves openai-java with its runtime dependencies and loads the teacher client in an isolated loader. */
    private TeacherLoader.Loaded loadTeacher(TeacherConfig config) throws MojoExecutionException {
        String version = teacherSdkVersion == null || teacherSdkVersion.isBlank() ? TeacherLoader.sdkVersion()
                : teacherSdkVersion.strip();
        List<Path> jars = resolveSdk("com.openai:openai-java:" + version);
        try {
            return TeacherLoader.load(jars, TeacherLoader.pluginLocation(), config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new MojoExecutionException("forge.teacher=openai: " + e.getMessage()
                    + " (check -Dforge.teacher.sdkVersion, or use -Dforge.teacher=offline)", e);
        }
    }

    List<Path> resolveSdk(String coords) throws MojoExecutionException {
        if (repositorySystem == null || repositorySession == null) {
            throw new MojoExecutionException("forge.teacher=openai needs Maven's artifact resolver to fetch " + coords
                    + ", which this execution does not provide");
        }
        CollectRequest collect = new CollectRequest(new Dependency(new DefaultArtifact(coords), "runtime"),
                remoteRepositories == null ? List.of() : remoteRepositories);
        DependencyRequest request = new DependencyRequest(collect, (node, parents) -> {
            Dependency d = node.getDependency();
            return d == null || !d.isOptional() && ("compile".equals(d.getScope()) || "runtime".equals(d.getScope()));
        });
        List<Path> jars = new ArrayList<>();
        long bytes = 0;
        try {
            for (ArtifactResult a : repositorySystem.resolveDependencies(repositorySession, request).getArtifactResults()) {
                if (a.getArtifact() != null && a.getArtifact().getFile() != null) {
                    Path p = a.getArtifact().getFile().toPath();
                    jars.add(p);
                    bytes += Files.size(p);
                }
            }
        } catch (DependencyResolutionException | IllegalArgumentException e) {
            throw new MojoExecutionException("Cannot resolve the teacher's SDK " + coords + " (forge.teacher=openai): "
                    + e.getMessage() + ". It is fetched only when a teacher is used (about 81 MB): run once online"
                    + (repositorySession.isOffline() ? " (this build is offline, -o)" : "") + ", make a mirror or"
                    + " repository in settings.xml serve it, or use -Dforge.teacher=offline", e);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read the resolved teacher SDK jars: " + e.getMessage(), e);
        }
        getLog().info(String.format(Locale.ROOT, "Teacher SDK %s: %d jars, %.1f MB", coords, jars.size(),
                bytes / 1e6));
        return jars;
    }

    private static String w(Object... ratios) {
        return java.util.Arrays.toString(ratios);
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
