package dev.mcpforge.eval;

import dev.mcpforge.tools.ServerSpec;
import java.nio.file.Path;

/**
 * Everything one looped validation needs.
 *
 * @param evalFile        eval cases (JSONL, sample format)
 * @param toolsFile       tools.json (used for the tool list unless a server is given)
 * @param server          live MCP server to execute calls against, or null
 * @param stubFixtures    fixtures for the deterministic stub (used when {@code server} is null), or null
 * @param samples         how many cases (0 = all); chosen round-robin across scenarios, in file order
 * @param repeats         runs per case (pass^k)
 * @param options         generation options (max tokens, constrained, temperature, seed)
 * @param thresholds      release criteria
 * @param reportsDir      where validation.json / validation.md go
 * @param reportName      base name of the report files ("validation")
 */
public record ValidationRequest(Path evalFile, Path toolsFile, ServerSpec server, Path stubFixtures, int samples,
                                int repeats, ModelBackend.Options options, Thresholds thresholds, Path reportsDir,
                                String reportName) {
    public ValidationRequest {
        if (samples < 0) {
            throw new IllegalArgumentException("forge.validate.samples must be >= 0 (0 = all cases), got " + samples);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("forge.validate.repeats must be >= 1, got " + repeats);
        }
        if (options.maxTokens() < 1) {
            throw new IllegalArgumentException("forge.validate.maxTokens must be >= 1, got " + options.maxTokens());
        }
        reportName = reportName == null ? "validation" : reportName;
    }

    public ValidationRequest withReportName(String name) {
        return new ValidationRequest(evalFile, toolsFile, server, stubFixtures, samples, repeats, options, thresholds,
                reportsDir, name);
    }
}
