package dev.mcpforge.eval;

/** Release criteria (fractions 0..1), the seed's §1 success metrics by default. */
public record Thresholds(double validity, double schema, double selection, double noTool, double robustness,
                         double loop) {
    public static final Thresholds SEED = new Thresholds(0.98, 0.95, 0.90, 0.85, 0.80, 0.95);

    public Thresholds {
        for (double d : new double[] {validity, schema, selection, noTool, robustness, loop}) {
            if (!(d >= 0 && d <= 1)) {
                throw new IllegalArgumentException("a threshold must be between 0 and 1 (e.g. 0.95), got " + d);
            }
        }
    }

    double of(Metrics.Metric m) {
        return switch (m) {
            case VALIDITY -> validity;
            case SCHEMA -> schema;
            case SELECTION -> selection;
            case NO_TOOL -> noTool;
            case ROBUSTNESS -> robustness;
            case LOOP -> loop;
        };
    }
}
