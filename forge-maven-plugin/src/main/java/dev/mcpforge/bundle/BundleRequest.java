package dev.mcpforge.bundle;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything {@link BundleService} needs, resolved to absolute paths.
 *
 * @param name          agent name (the bundle directory and {@code agent.yaml}'s {@code name})
 * @param version       agent version (the project version)
 * @param description   what the agent does (may be null)
 * @param tools         the pipeline's {@code tools.json}
 * @param model         the GGUF model to ship
 * @param evalData      the held-out samples ({@code eval.jsonl}) the smoke tests are taken from
 * @param trainData     the training set, hashed into the manifest's provenance (may be null or absent)
 * @param reportsDir    {@code target/forge/reports}: qc/training/validation/benchmark JSON, when present
 * @param systemPrompt  the system prompt, or null to take the one the eval samples were made with
 * @param smokeTests    how many eval samples become {@code tests/validation.json} cases
 * @param contextLength recommended context length, 0 for the model's own (capped at 4096)
 * @param temperature   recommended sampling temperature
 * @param timestamp     {@code project.build.outputTimestamp}: {@code created_at} and every zip entry time
 * @param bundleDir     where the bundle tree is written ({@code target/agent-bundle/<name>}); replaced
 * @param zip           the bundle zip to write
 * @param reportsZip    the reports zip to write, or null for none
 * @param license       the agent's licence as configured ({@code forge.license}), or null
 * @param projectLicense the pom's first {@code <licenses>} entry, or null; used when neither {@code forge.license}
 *                      nor the model's {@code general.license} says one
 */
public record BundleRequest(String name, String version, String description, Path tools, Path model, Path evalData,
                            Path trainData, Path reportsDir, String systemPrompt, int smokeTests, int contextLength,
                            double temperature, Instant timestamp, Path bundleDir, Path zip, Path reportsZip,
                            String license, String projectLicense) {

    public BundleRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(evalData, "evalData");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(bundleDir, "bundleDir");
        Objects.requireNonNull(zip, "zip");
    }
}
