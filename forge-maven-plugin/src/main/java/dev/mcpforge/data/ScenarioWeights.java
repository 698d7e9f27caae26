package dev.mcpforge.data;

import java.util.EnumMap;
import java.util.Map;

/**
 * The seed's {@code ScenarioWeights}: shares of each scenario in a dataset. Defaults 0.60 / 0.15 / 0.10 / 0.10 /
 * 0.05. Any one may be overridden; the shares are then normalised to sum to 1.
 */
public record ScenarioWeights(double standard, double noTool, double error, double ambiguous, double edge) {

    public static final ScenarioWeights DEFAULT = new ScenarioWeights(0.60, 0.15, 0.10, 0.10, 0.05);

    public ScenarioWeights {
        double[] all = {standard, noTool, error, ambiguous, edge};
        String[] names = {"standardRatio", "noToolRatio", "errorRatio", "ambiguousRatio", "edgeRatio"};
        double sum = 0;
        for (int i = 0; i < all.length; i++) {
            if (Double.isNaN(all[i]) || all[i] < 0 || all[i] > 1) {
                throw new IllegalArgumentException("forge." + names[i] + " must be between 0 and 1, got " + all[i]);
            }
            sum += all[i];
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("all scenario ratios are 0: at least one of forge.standardRatio,"
                    + " forge.noToolRatio, forge.errorRatio, forge.ambiguousRatio, forge.edgeRatio must be > 0");
        }
    }

    /**
     * Applies overrides (null = keep default). When only some are given, the standard share absorbs the difference
     * so that given ratios are kept exactly (e.g. {@code noToolRatio=0.3} gives standard 0.45).
     */
    public static ScenarioWeights of(Double standard, Double noTool, Double error, Double ambiguous, Double edge) {
        double nt = noTool != null ? noTool : DEFAULT.noTool;
        double er = error != null ? error : DEFAULT.error;
        double am = ambiguous != null ? ambiguous : DEFAULT.ambiguous;
        double ed = edge != null ? edge : DEFAULT.edge;
        double st = standard != null ? standard : Math.max(0, 1 - nt - er - am - ed);
        if (standard == null && nt + er + am + ed > 1 + 1e-9) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "the scenario ratios add up to %.3f (> 1): forge.noToolRatio=%s forge.errorRatio=%s"
                            + " forge.ambiguousRatio=%s forge.edgeRatio=%s; lower them", nt + er + am + ed, nt, er, am, ed));
        }
        return new ScenarioWeights(st, nt, er, am, ed);
    }

    public double weight(Scenario s) {
        return switch (s) {
            case STANDARD -> standard;
            case NO_TOOL -> noTool;
            case ERROR -> error;
            case AMBIGUOUS -> ambiguous;
            case EDGE -> edge;
        };
    }

    /** Normalised shares, summing to 1. */
    public Map<Scenario, Double> normalised() {
        double sum = standard + noTool + error + ambiguous + edge;
        Map<Scenario, Double> out = new EnumMap<>(Scenario.class);
        for (Scenario s : Scenario.values()) {
            out.put(s, weight(s) / sum);
        }
        return out;
    }
}
