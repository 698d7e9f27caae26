package dev.mcpforge.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The environment report of {@code forge:doctor}: checks, then the base models that fit in memory.
 *
 * @param checks one line per fact
 * @param models the known base models with their estimated training memory
 */
public record DoctorReport(List<Check> checks, List<ModelFit> models) {

    public enum Level {
        OK("[ok]  "), WARN("[warn]"), INFO("[info]");

        final String tag;

        Level(String tag) {
            this.tag = tag;
        }
    }

    /** One fact about the environment. */
    public record Check(Level level, String label, String value) {
    }

    /**
     * One base model.
     *
     * @param name        model name
     * @param parameters  parameter count
     * @param weightBytes F32 weights
     * @param trainBytes  estimated F32 training memory (weights, gradients and two optimizer moments: 4x weights)
     * @param verdict     "yes", "tight" (fits total but not available memory) or "no"
     */
    public record ModelFit(String name, long parameters, long weightBytes, long trainBytes, String verdict) {
    }

    public Check find(String label) {
        return checks.stream().filter(c -> c.label().equals(label)).findFirst().orElse(null);
    }

    /** The readable, aligned report. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("MCP-Forge environment");
        int w = checks.stream().mapToInt(c -> c.label().length()).max().orElse(10);
        for (Check c : checks) {
            out.add(c.level().tag + " " + pad(c.label(), w) + "  " + c.value());
        }
        out.add("");
        out.add("Base models (F32 training needs about 4x the F32 weights: weights, gradients, 2 optimizer moments):");
        int nw = models.stream().mapToInt(m -> m.name().length()).max().orElse(10);
        out.add("  " + pad("model", nw) + "  " + lpad("params", 8) + "  " + lpad("weights", 9) + "  "
                + lpad("training", 9) + "  fits");
        for (ModelFit m : models) {
            out.add("  " + pad(m.name(), nw) + "  " + lpad(params(m.parameters()), 8) + "  "
                    + lpad(DoctorService.bytes(m.weightBytes()), 9) + "  " + lpad(DoctorService.bytes(m.trainBytes()), 9)
                    + "  " + m.verdict());
        }
        List<String> ready = models.stream().filter(m -> m.verdict().equals("yes")).map(ModelFit::name).toList();
        out.add("");
        out.add("Ready to train: " + (ready.isEmpty() ? "none of the listed models (free memory)" : String.join(", ", ready)));
        return out;
    }

    private static String params(long p) {
        if (p >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.2fB", p / 1e9);
        }
        return String.format(java.util.Locale.ROOT, "%dM", Math.round(p / 1e6));
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String lpad(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
