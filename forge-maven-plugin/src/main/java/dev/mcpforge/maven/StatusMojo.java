package dev.mcpforge.maven;

import dev.mcpforge.pipeline.StatusService;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;


/** Prints the pipeline's stage table from {@code target/forge/state.json}. */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends AbstractForgeMojo {

    /** Skip this goal. */
    @Parameter(property = "forge.status.skip", defaultValue = "false")
    private boolean statusSkip;

    @Override
    public void execute() {
        if (skipped("status", statusSkip)) {
            return;
        }
        for (String line : new StatusService().lines(forgeDir(), baseDir())) {
            getLog().info(line);
        }
    }
}
