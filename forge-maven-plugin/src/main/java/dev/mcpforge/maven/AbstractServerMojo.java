package dev.mcpforge.maven;

import dev.mcpforge.tools.ServerSpec;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Goals that can talk to the live MCP server: the server is configured once, in the plugin's
 * {@code <configuration>}, and every goal that needs it (inspect, generate, validate, verify) reads the same
 * parameters.
 */
abstract class AbstractServerMojo extends AbstractForgeMojo {

    /**
     * The MCP server's command line, split like a shell does (quotes group, no expansion), e.g.
     * {@code -Dforge.server="npx -y @modelcontextprotocol/server-everything"}. Alternative to {@code <server>}.
     */
    @Parameter(property = "forge.server")
    protected String serverCommandLine;

    /** The MCP server as a block: {@code <command>}, {@code <args>}, {@code <env>}, {@code <workingDirectory>}. */
    @Parameter
    protected Server server;

    /** Seconds to wait for the server to start and for each request. */
    @Parameter(property = "forge.timeout", defaultValue = "30")
    protected int timeout;

    protected boolean hasServer() {
        return (serverCommandLine != null && !serverCommandLine.isBlank())
                || (server != null && server.getCommand() != null && !server.getCommand().isBlank());
    }

    /** The configured server, or empty when none is configured. */
    protected Optional<ServerSpec> serverSpec() throws MojoFailureException {
        boolean hasLine = serverCommandLine != null && !serverCommandLine.isBlank();
        boolean hasBlock = server != null && server.getCommand() != null && !server.getCommand().isBlank();
        if (hasLine && hasBlock) {
            throw new MojoFailureException("got both -Dforge.server and a <server> block; set only one");
        }
        if ((hasLine || hasBlock) && timeout <= 0) {
            throw new MojoFailureException("forge.timeout must be a positive number of seconds, got " + timeout);
        }
        try {
            if (hasLine) {
                return Optional.of(new ServerSpec(ServerSpec.splitCommandLine(serverCommandLine), null, null,
                        Duration.ofSeconds(timeout)));
            }
            if (hasBlock) {
                List<String> cmd = new ArrayList<>();
                cmd.add(server.getCommand());
                cmd.addAll(server.getArgs());
                return Optional.of(new ServerSpec(cmd, server.getEnv(), server.getWorkingDirectory() == null ? null
                        : server.getWorkingDirectory().toPath(), Duration.ofSeconds(timeout)));
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("invalid MCP server command: " + e.getMessage(), e);
        }
    }
}
