package dev.mcpforge.maven;

import dev.mcpforge.pipeline.DoctorService;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * Reports what this machine offers MCP-Forge: Java, OS, CPU features, memory, disk, native engine, GPU, node/npx,
 * which secrets are set (never their values) and which base models fit in memory. Never fails the build.
 */
@Mojo(name = "doctor", requiresProject = false, threadSafe = true)
public class DoctorMojo extends AbstractMojo {

    /** Skip every forge goal. */
    @Parameter(property = "forge.skip", defaultValue = "false")
    private boolean skip;

    /** Skip this goal. */
    @Parameter(property = "forge.doctor.skip", defaultValue = "false")
    private boolean doctorSkip;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    @Override
    public void execute() {
        if (skip || doctorSkip) {
            getLog().info("forge:doctor skipped");
            return;
        }
        for (String line : new DoctorService().run(buildDirectory.toPath()).lines()) {
            getLog().info(line);
        }
    }
}
