package dev.mcpforge.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * @param metrics      the metrics over all runs
 * @param failures     metrics under their threshold (empty: release criteria met)
 * @param modelName    the model's label
 * @param constrained  whether decoding was grammar-constrained
 * @param decoding     plain, schema or spans ({@link ModelBackend.Options#decoding()})
 * @param jsonReport   validation.json
 * @param mdReport     validation.md
 * @param table        the console summary
 */
public record ValidationResult(Metrics metrics, List<String> failures, String modelName, boolean constrained, String decoding,
                               Path jsonReport, Path mdReport, String table) {
    /** The decoding mode in a few words, for the benchmark pages. */
    public String decodingText() {
        return switch (decoding == null ? "plain" : decoding) {
            case "spans" -> "span grammar (string arguments are spans of the user's message)";
            case "schema" -> "schema grammar (grammar-constrained)";
            default -> "unconstrained";
        };
    }

    public boolean passed() {
        return failures.isEmpty();
    }
}
