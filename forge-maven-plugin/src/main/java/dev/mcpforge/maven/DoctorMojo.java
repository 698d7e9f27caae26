package dev.mcpforge.maven;

import dev.mcpforge.pipeline.DoctorService;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;


/**
 * Reports what this machine offers MCP-Forge: Java, OS, CPU features, memory, disk, native engine, GPU, node/npx,
 * which secrets are set (never their values) and which base models fit in memory. Never fails the build.
 */
@Mojo(name = "doctor", requiresProject = false, threadSafe = true)
public class DoctorMojo extends AbstractForgeMojo {

    /** Skip this goal. */
    @Parameter(property = "forge.doctor.skip", defaultValue = "false")
    private boolean doctorSkip;

    @Override
    public void execute() {
        if (skipped("doctor", doctorSkip)) {
            return;
        }
        for (String line : new DoctorService().run(buildDir()).lines()) {
            getLog().info(line);
        }
    }
}
