package dev.mcpforge.maven;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * PLACEHOLDER for {@code forge:train} until the training goal is merged (LEAD: delete this class then; the
 * agent-bundle lifecycle binds {@code forge:train} to {@code compile}). It trains nothing: it fails unless a model
 * already exists at the path training would write, and says so.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class TrainPlaceholderMojo extends AbstractForgeMojo {

    /** Where training writes the model. */
    @Parameter(property = "forge.trainedModel", defaultValue = "${project.build.directory}/forge/model/model-f32.gguf")
    private File trainedModel;

    /** Skip this goal. */
    @Parameter(property = "forge.train.skip", defaultValue = "false")
    private boolean trainSkip;

    @Override
    public void execute() throws MojoFailureException {
        if (skipped("train", trainSkip)) {
            return;
        }
        if (!trainedModel.isFile()) {
            throw new MojoFailureException("forge:train is not available in this build yet: provide the trained model "
                    + "at " + trainedModel + " (or set forge.trainedModel), or skip the stage with -Dforge.train.skip");
        }
        getLog().warn("forge:train is not available in this build yet: NOT training; using the existing model "
                + trainedModel);
    }
}
