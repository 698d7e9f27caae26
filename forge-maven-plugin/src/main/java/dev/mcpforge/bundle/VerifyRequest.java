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
 * @param minSmokePassRate share of smoke tests (0..1) the model must pass through the engine
 */
public record VerifyRequest(Path bundle, Path workDir, ServerSpec server, double minSmokePassRate) {

    public VerifyRequest {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(workDir, "workDir");
        if (!(minSmokePassRate >= 0 && minSmokePassRate <= 1)) {
            throw new IllegalArgumentException("minSmokePassRate must be between 0 and 1, got " + minSmokePassRate);
        }
    }
}
