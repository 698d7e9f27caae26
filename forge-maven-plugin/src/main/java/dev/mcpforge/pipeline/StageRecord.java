package dev.mcpforge.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code state.json} remembers about one finished stage.
 *
 * @param stage      the goal name (inspect, generate, qa, train, ...)
 * @param inputHash  the {@link Fingerprint} of its inputs and effective configuration
 * @param outputs    the files it wrote, each with the sha256 of its content
 * @param finishedAt when it finished (UTC)
 * @param details    small facts worth showing (e.g. toolsetHash, tool count); sorted
 */
public record StageRecord(String stage, String inputHash, List<Output> outputs, Instant finishedAt,
                          Map<String, String> details) {

    public StageRecord {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(inputHash, "inputHash");
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        Objects.requireNonNull(finishedAt, "finishedAt");
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /**
     * One output file.
     *
     * @param path   relative to the project base directory (with {@code /}) when inside it, else absolute
     * @param sha256 hex sha256 of the content when the stage finished
     */
    public record Output(String path, String sha256) {
        public Output {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
        }
    }
}
