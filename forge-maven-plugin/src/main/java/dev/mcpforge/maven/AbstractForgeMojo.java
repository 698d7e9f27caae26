package dev.mcpforge.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.nio.file.Path;

/**
 * What every forge goal shares: the global skip flag and where the project (or, without a pom, the current
 * directory) and its build directory are. Goals run without a pom ({@code requiresProject = false}) use
 * {@code ./target} as their build directory, as a project would.
 */
abstract class AbstractForgeMojo extends AbstractMojo {

    /** Skip every forge goal. */
    @Parameter(property = "forge.skip", defaultValue = "false")
    protected boolean skip;

    /** The project's build directory; null when Maven runs without a pom. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true)
    protected File buildDirectory;

    /** The project's base directory; null when Maven runs without a pom. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    protected File basedir;

    /** The directory Maven was started in. */
    @Parameter(defaultValue = "${session.executionRootDirectory}", readonly = true)
    protected String executionRoot;

    /** The project base directory, or the directory Maven was started in when there is no pom. */
    protected Path baseDir() {
        if (basedir != null) {
            return basedir.toPath().toAbsolutePath().normalize();
        }
        return (executionRoot != null ? Path.of(executionRoot) : Path.of("")).toAbsolutePath().normalize();
    }

    /** The build directory ({@code target}), also without a pom. */
    protected Path buildDir() {
        if (basedir != null && buildDirectory != null) {
            return buildDirectory.toPath().toAbsolutePath().normalize();
        }
        return baseDir().resolve("target");
    }

    /** The pipeline work directory, {@code target/forge}. */
    protected Path forgeDir() {
        return buildDir().resolve("forge");
    }

    /** True (with a log line) when {@code forge.skip} or the goal's own skip flag is set. */
    protected boolean skipped(String goal, boolean goalSkip) {
        if (skip || goalSkip) {
            getLog().info("forge:" + goal + " skipped (" + (skip ? "forge.skip" : "forge." + goal + ".skip")
                    + "=true)");
            return true;
        }
        return false;
    }
}
