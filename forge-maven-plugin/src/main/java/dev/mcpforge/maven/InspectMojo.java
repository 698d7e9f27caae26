package dev.mcpforge.maven;

import dev.mcpforge.pipeline.InspectRequest;
import dev.mcpforge.pipeline.InspectResult;
import dev.mcpforge.pipeline.InspectService;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolsetSummary;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Lists the tools of an MCP server (or imports a tools file) and writes {@code tools.json}: the first stage of the
 * pipeline. Runs without a pom: {@code mvn dev.mcpforge:forge-maven-plugin:<version>:inspect -Dforge.server="..."}.
 */
@Mojo(name = "inspect", defaultPhase = LifecyclePhase.GENERATE_SOURCES, requiresProject = false, threadSafe = true)
public class InspectMojo extends AbstractServerMojo {

    /**
     * Import tools from this file instead of connecting to a server: tools.json, an MCP tools/list result, YAML of
     * the same shape, or OpenAI tools / functions JSON (the seed's {@code tools import}).
     */
    @Parameter(property = "forge.toolsFile")
    private File toolsFile;

    /** Where to write tools.json (default {@code ${project.build.directory}/forge/tools.json}; without a pom
     * {@code ./target/forge/tools.json}). */
    @Parameter(property = "forge.tools")
    private File tools;

    /** Record tools/call fixtures from the live server into this directory (for the stub server). */
    @Parameter(property = "forge.record")
    private File record;

    /** Rerun even when the stage is up to date. */
    @Parameter(property = "forge.force", defaultValue = "false")
    private boolean force;

    /** Skip this goal. */
    @Parameter(property = "forge.inspect.skip", defaultValue = "false")
    private boolean inspectSkip;

    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    private String pluginVersion;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("inspect", inspectSkip)) {
            return;
        }
        InspectRequest request = request();
        InspectResult result;
        try {
            result = new InspectService().run(request);
        } catch (ToolException e) {
            // the message is complete (what, where, how to fix); the cause (e.g. Jackson's parser error) would only
            // repeat it in Maven's output, so it goes to the debug log (-X) instead
            getLog().debug(e);
            throw new MojoFailureException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("forge:inspect could not write " + request.output() + " or "
                    + "state.json: " + e.getMessage(), e);
        }
        for (String line : ToolsetSummary.lines(result.toolset())) {
            getLog().info(line);
        }
        getLog().info("");
        getLog().info("Toolset hash: " + result.toolset().hash());
        getLog().info((result.skipped() ? "Up to date: " : "Saved to ") + result.output());
    }

    /** Parameters to one immutable request; configuration mistakes are the user's to fix. */
    InspectRequest request() throws MojoFailureException {
        Path base = baseDir();
        Path forgeDir = forgeDir();
        Path output = tools != null ? base.resolve(tools.toPath()).normalize() : forgeDir.resolve("tools.json");
        // the server's own checks (both forms given, timeout) live in AbstractServerMojo.serverSpec()
        boolean hasLine = serverCommandLine != null && !serverCommandLine.isBlank();
        if (toolsFile != null && hasServer()) {
            throw new MojoFailureException("forge:inspect got both a tools file (forge.toolsFile) and a server ("
                    + (hasLine ? "forge.server" : "<server>") + "); set only one of them");
        }
        if (toolsFile == null && !hasServer()) {
            throw new MojoFailureException("forge:inspect needs a tool source: -Dforge.server=\"<command> <args>\" "
                    + "(or a <server><command>...</command></server> block) to list a live MCP server, or "
                    + "-Dforge.toolsFile=<tools.json|.yaml|openai-tools.json> to import a file");
        }
        if (toolsFile != null) {
            if (record != null) {
                throw new MojoFailureException("forge.record records calls to a live server; it cannot be used "
                        + "with forge.toolsFile");
            }
            Path tf = base.resolve(toolsFile.toPath()).normalize();
            String label = tf.startsWith(base) ? base.relativize(tf).toString().replace('\\', '/')
                    : tf.getFileName().toString();
            return new InspectRequest(tf, label, null, output, forgeDir, base, null, force,
                    pluginVersion);
        }
        ServerSpec spec = serverSpec().orElseThrow();
        return new InspectRequest(null, null, spec, output, forgeDir, base,
                record == null ? null : base.resolve(record.toPath()).normalize(), force, pluginVersion);
    }
}
