package dev.mcpforge.qa;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@code forge:qa} needs, as one immutable value.
 *
 * @param dataFile            the JSONL to check ({@code forge.data})
 * @param toolsFile           tools.json ({@code forge.tools})
 * @param cleanFile           where the clean samples go (train_clean.jsonl)
 * @param reportDir           where qc.json and qc.md go
 * @param planFile            synthesis_plan.json, used to detect a dataset made for another toolset; may be null
 * @param fix                 apply safe repairs ({@code forge.fix}, default true); off: repairable samples are dropped
 * @param dedupThreshold      near-duplicate Jaccard threshold ({@code forge.qa.dedupThreshold}, 0.95)
 * @param minSamplesPerTool   coverage minimum per tool ({@code forge.qa.minSamplesPerTool}, 10)
 * @param schemaPassThreshold gate on the schema pass rate ({@code forge.qa.schemaPassThreshold}, 0.98)
 * @param minPassRate         gate on valid / total after repair ({@code forge.qa.minPassRate}, 0.95)
 * @param maxChars            length limit of one conversation in characters ({@code forge.qa.maxChars}, 16000)
 */
public record QaRequest(Path dataFile, Path toolsFile, Path cleanFile, Path reportDir, Path planFile, boolean fix,
                        double dedupThreshold, int minSamplesPerTool, double schemaPassThreshold, double minPassRate,
                        int maxChars) {

    public QaRequest {
        Objects.requireNonNull(dataFile, "dataFile");
        Objects.requireNonNull(toolsFile, "toolsFile");
        Objects.requireNonNull(cleanFile, "cleanFile");
        Objects.requireNonNull(reportDir, "reportDir");
        check(dedupThreshold > 0 && dedupThreshold <= 1, "forge.qa.dedupThreshold must be in (0, 1], got " + dedupThreshold);
        check(minSamplesPerTool >= 0, "forge.qa.minSamplesPerTool must be >= 0, got " + minSamplesPerTool);
        check(schemaPassThreshold >= 0 && schemaPassThreshold <= 1,
                "forge.qa.schemaPassThreshold must be in [0, 1], got " + schemaPassThreshold);
        check(minPassRate >= 0 && minPassRate <= 1, "forge.qa.minPassRate must be in [0, 1], got " + minPassRate);
        check(maxChars > 0, "forge.qa.maxChars must be > 0, got " + maxChars);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults with the standard layout: train_clean.jsonl next to the data, reports/ under {@code forgeDir}. */
    public static QaRequest defaults(Path dataFile, Path toolsFile, Path forgeDir) {
        Path parent = dataFile.toAbsolutePath().getParent();
        return new QaRequest(dataFile, toolsFile, parent.resolve("train_clean.jsonl"), forgeDir.resolve("reports"),
                forgeDir.resolve("synthesis_plan.json"), true, 0.95, 10, 0.98, 0.95, 16000);
    }

    public QaRequest withMinSamplesPerTool(int n) {
        return new QaRequest(dataFile, toolsFile, cleanFile, reportDir, planFile, fix, dedupThreshold, n,
                schemaPassThreshold, minPassRate, maxChars);
    }

    public QaRequest withFix(boolean f) {
        return new QaRequest(dataFile, toolsFile, cleanFile, reportDir, planFile, f, dedupThreshold, minSamplesPerTool,
                schemaPassThreshold, minPassRate, maxChars);
    }
}
