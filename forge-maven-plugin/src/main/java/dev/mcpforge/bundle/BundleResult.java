package dev.mcpforge.bundle;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link BundleService} wrote.
 *
 * @param bundleDir  the bundle tree
 * @param zip        the bundle zip
 * @param reportsZip the reports zip, or null when there were no reports
 * @param files      bundle file name to sha256 (every file but agent.yaml), sorted
 * @param smokeTests number of smoke-test cases written
 * @param toolCount  number of tools
 */
public record BundleResult(Path bundleDir, Path zip, Path reportsZip, Map<String, String> files, int smokeTests,
                           int toolCount) {
}
