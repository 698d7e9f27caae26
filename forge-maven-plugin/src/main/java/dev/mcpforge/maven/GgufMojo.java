package dev.mcpforge.maven;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.QuantFormat;
import dev.mcpforge.engine.QuantizeService;
import dev.mcpforge.engine.Quantizer;
import dev.mcpforge.engine.worker.WorkerClient;
import java.io.File;
import java.util.Locale;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Converts a GGUF model with llama.cpp's quantizer: the trained F32 model to {@code q8_0} (default) or
 * {@code q4_k_m}, or any F16 model to {@code f32}. Runs in an engine worker process. Usable alone on any GGUF:
 * {@code mvn forge:gguf -Dforge.model=in.gguf -Dforge.format=q4_k_m -Dforge.output=out.gguf}.
 */
@Mojo(name = "gguf", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, requiresProject = false, threadSafe = true)
public class GgufMojo extends AbstractMojo {

    /** The input GGUF model. */
    @Parameter(property = "forge.model", defaultValue = "${project.build.directory}/forge/model/model-f32.gguf")
    File model;

    /** Output format: q8_0, q4_k_m or f32. */
    @Parameter(property = "forge.format", defaultValue = "q8_0")
    String format;

    /** Output file (default: next to the input, model-&lt;format&gt;.gguf). */
    @Parameter(property = "forge.output")
    File output;

    /** Quantization threads (0 = all available processors). */
    @Parameter(property = "forge.threads", defaultValue = "0")
    int threads;

    /** Skips every forge goal. */
    @Parameter(property = "forge.skip", defaultValue = "false")
    boolean skip;

    /** Skips this goal. */
    @Parameter(property = "forge.gguf.skip", defaultValue = "false")
    boolean skipGguf;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || skipGguf) {
            getLog().info("forge:gguf skipped (forge.skip / forge.gguf.skip)");
            return;
        }
        QuantFormat fmt;
        try {
            fmt = QuantFormat.parse(format);
        } catch (EngineException e) {
            throw new MojoFailureException(e.getMessage().replace("Unsupported model format",
                    "Unsupported -Dforge.format"));
        }
        QuantizeService.Request req = new QuantizeService.Request(model.toPath(), fmt,
                output == null ? null : output.toPath(), threads);
        getLog().info("Converting " + model + " (" + sizeOf(model) + ") to " + fmt.id());
        try {
            Quantizer.Result r = new QuantizeService(WorkerClient.Options.defaults()).run(req, getLog()::debug);
            getLog().info(String.format(Locale.ROOT, "Wrote %s: %s -> %s (%.1f%% of the input) in %d ms",
                    r.output(), QuantizeService.humanSize(r.inputBytes()), QuantizeService.humanSize(r.outputBytes()),
                    100.0 * r.outputBytes() / Math.max(1, r.inputBytes()), r.millis()));
        } catch (EngineException e) {
            switch (e.kind()) {
                case MODEL_NOT_FOUND: case MODEL_INVALID: case INVALID_REQUEST:
                    throw new MojoFailureException(e.getMessage(), e);
                default:
                    throw new MojoExecutionException(e.getMessage(), e);
            }
        }
    }

    private static String sizeOf(File f) {
        return f.isFile() ? QuantizeService.humanSize(f.length()) : "missing";
    }
}
