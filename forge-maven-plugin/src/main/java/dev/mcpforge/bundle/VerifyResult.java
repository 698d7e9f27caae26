package dev.mcpforge.bundle;

import java.nio.file.Path;
import java.util.List;

/**
 * A bundle that verified.
 *
 * @param name    agent name from the manifest
 * @param version agent version from the manifest
 * @param dir     the bundle directory that was checked (the unpacked copy for a zip)
 * @param checks  what was checked and passed, one line each
 * @param notes   what was not checked in this build and why (reported as warnings, never hidden)
 */
public record VerifyResult(String name, String version, Path dir, List<String> checks, List<String> notes) {
}
