package dev.mcpforge.data;

import java.nio.file.Path;
import java.util.Map;

/** What {@code forge:generate} wrote and what happened on the way. */
public record GenerateResult(Path trainFile, Path evalFile, Path planFile, int trainSamples, int evalSamples,
                             Map<String, Integer> counters, long millis) {

    public double samplesPerSecond() {
        return millis <= 0 ? 0 : (trainSamples + evalSamples) * 1000.0 / millis;
    }
}
