package dev.mcpforge.bundle;

import dev.mcpforge.tools.ServerSpec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link VerifyService} checks.
 *
 * @param bundle  a bundle directory or zip
 * @param workDir where a zip is unpacked (a fresh subdirectory is used)
 * @param server  the live MCP server to check for schema drift, or null
 */
public record VerifyRequest(Path bundle, Path workDir, ServerSpec server) {

    public VerifyRequest {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(workDir, "workDir");
    }
}
