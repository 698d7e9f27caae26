package dev.mcpforge.maven;

import dev.mcpforge.pipeline.StatusService;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/** Prints the pipeline's stage table from {@code target/forge/state.json}. */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends AbstractMojo {

    /** Skip every forge goal. */
    @Parameter(property = "forge.skip", defaultValue = "false")
    private boolean skip;

    /** Skip this goal. */
    @Parameter(property = "forge.status.skip", defaultValue = "false")
    private boolean statusSkip;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    private File basedir;

    @Override
    public void execute() {
        if (skip || statusSkip) {
            getLog().info("forge:status skipped");
            return;
        }
        for (String line : new StatusService().lines(buildDirectory.toPath().resolve("forge"), basedir.toPath())) {
            getLog().info(line);
        }
    }
}
