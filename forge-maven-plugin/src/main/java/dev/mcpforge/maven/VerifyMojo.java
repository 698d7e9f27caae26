package dev.mcpforge.maven;

import dev.mcpforge.bundle.BundleException;
import dev.mcpforge.bundle.VerifyRequest;
import dev.mcpforge.bundle.VerifyResult;
import dev.mcpforge.bundle.VerifyService;
import dev.mcpforge.tools.ServerSpec;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Verifies an Agent Bundle (the seed's {@code verify-bundle}): manifest and format version, every sha256, tool
 * schemas, prompt template, the GGUF model, the smoke-test file, and with {@code -Dforge.server} schema drift
 * against the live server. Bound to {@code verify} for agent-bundle projects (checks the packed zip); standalone:
 * {@code mvn dev.mcpforge:forge-maven-plugin:<version>:verify -Dforge.bundle=path/to/bundle(.zip)}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class VerifyMojo extends AbstractServerMojo {

    /** The bundle directory or zip; default: the project's bundle zip (or target/agent-bundle/&lt;artifactId&gt;). */
    @Parameter(property = "forge.bundle")
    private File bundle;

    /**
     * Share of the bundle's smoke tests (0..1) the model must pass when run through the engine. An untrained or
     * barely trained model passes none; lower it only for such test bundles.
     */
    @Parameter(property = "forge.verify.minPassRate", defaultValue = "1.0")
    private double minSmokePassRate;

    /** Skip this goal. */
    @Parameter(property = "forge.verify.skip", defaultValue = "false")
    private boolean verifySkip;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("verify", verifySkip)) {
            return;
        }
        VerifyRequest request = request();
        getLog().info("Verifying agent bundle " + request.bundle());
        VerifyResult result;
        try {
            result = new VerifyService().verify(request);
        } catch (BundleException e) {
            getLog().debug(e);
            throw new MojoFailureException("forge:verify: " + request.bundle() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("forge:verify could not read " + request.bundle() + ": "
                    + e.getMessage(), e);
        }
        for (String c : result.checks()) {
            getLog().info("OK " + c);
        }
        for (String n : result.notes()) {
            getLog().warn("NOT CHECKED: " + n);
        }
        getLog().info("Bundle " + result.name() + " " + result.version() + " verified");
    }

    VerifyRequest request() throws MojoFailureException {
        Path base = baseDir();
        Path target;
        if (bundle != null) {
            target = base.resolve(bundle.toPath()).normalize();
        } else if (project != null && project.getArtifact() != null && project.getArtifact().getFile() != null
                && project.getArtifact().getFile().isFile()) {
            target = project.getArtifact().getFile().toPath();
        } else if (project != null && basedir != null) {
            target = buildDir().resolve("agent-bundle").resolve(project.getArtifactId());
        } else {
            throw new MojoFailureException("forge:verify needs a bundle: -Dforge.bundle=<bundle directory or zip>");
        }
        ServerSpec server = serverSpec().orElse(null); // schema drift check when a server is configured
        if (!(minSmokePassRate >= 0 && minSmokePassRate <= 1)) {
            throw new MojoFailureException("forge.verify.minPassRate must be between 0 and 1, got " + minSmokePassRate);
        }
        return new VerifyRequest(target, forgeDir().resolve("verify"), server, minSmokePassRate);
    }
}
