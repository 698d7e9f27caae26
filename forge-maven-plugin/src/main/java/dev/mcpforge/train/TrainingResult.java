package dev.mcpforge.train;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * @param upToDate  true when nothing was trained (inputs unchanged)
 * @param message   one line for the log
 * @param model     model/model-f32.gguf
 * @param report    reports/training.json (its content in {@code reportJson}; null when up to date)
 */
public record TrainingResult(boolean upToDate, String message, Path model, Path report, Path chart, JsonNode reportJson) {
}
