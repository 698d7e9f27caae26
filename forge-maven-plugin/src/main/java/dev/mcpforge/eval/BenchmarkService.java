package dev.mcpforge.eval;

import dev.mcpforge.pipeline.AtomicFiles;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark (seed §6.2): the same eval set on the fine-tuned model and on the baseline, per tool (accuracy,
 * schema, latency p50/p95) and per scenario (pass rate), the overall score and the delta. Writes
 * {@code benchmark.json}, {@code benchmark.md} and a self-contained {@code benchmark.html} (inline SVG charts).
 *
 * <p>Overall score: the mean of the six seed metrics that could be measured (n/a ones left out).
 */
public final class BenchmarkService {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkService.class);

    /** One point of the training loss curve. */
    public record LossPoint(double step, double loss) {
    }

    /**
     * @param tuned    the fine-tuned model's validation
     * @param baseline the baseline's, or null when no baseline was given
     */
    public record Result(ValidationResult tuned, ValidationResult baseline, double overall, double baselineOverall,
                         Path json, Path md, Path html, String table) {
    }

    /**
     * Runs the fine-tuned model, then the baseline (one model loaded at a time); each backend is closed after its
     * run.
     *
     * @param baseline opens the baseline model, or null for none
     */
    public Result run(ValidationRequest req, Supplier<ModelBackend> tuned, Supplier<ModelBackend> baseline, Path lossLog)
            throws IOException, ToolException {
        ValidationService v = new ValidationService();
        ValidationResult t;
        try (ModelBackend m = tuned.get()) {
            t = v.validate(req.withReportName("benchmark-finetuned"), m);
        }
        ValidationResult b = null;
        if (baseline != null) {
            try (ModelBackend m = baseline.get()) {
                b = v.validate(req.withReportName("benchmark-baseline"), m);
            }
        }
        List<LossPoint> loss = readLoss(lossLog);
        double ot = overall(t.metrics());
        double ob = b == null ? Double.NaN : overall(b.metrics());
        Path dir = req.reportsDir();
        Result r = new Result(t, b, ot, ob, dir.resolve("benchmark.json"), dir.resolve("benchmark.md"),
                dir.resolve("benchmark.html"), null);
        String md = markdown(r);
        r = new Result(t, b, ot, ob, r.json(), r.md(), r.html(), console(r));
        AtomicFiles.writeString(r.json(), Json.PRETTY.writeValueAsString(json(r, loss, req)) + "\n");
        AtomicFiles.writeString(r.md(), md);
        AtomicFiles.writeString(r.html(), BenchmarkHtml.page(r, loss));
        return r;
    }

    /**
     * The base model forge:train started from, as recorded in {@code training.json} ({@code baseModel.path}) in the
     * given reports directory; empty when there is no training report.
     *
     * @throws IllegalArgumentException when the report names a base model file that no longer exists
     */
    public static Optional<Path> trainingBase(Path reportsDir) throws IOException {
        Path report = reportsDir.resolve("training.json");
        if (!Files.isRegularFile(report)) {
            return Optional.empty();
        }
        JsonNode path = Json.MAPPER.readTree(Files.readString(report)).path("baseModel").path("path");
        if (!path.isString() || path.asString().isBlank()) {
            return Optional.empty();
        }
        Path base = Path.of(path.asString());
        if (!Files.isRegularFile(base)) {
            throw new IllegalArgumentException("The training base model " + base + " named in " + report
                    + " no longer exists: rerun forge:train, or set -Dforge.baseline=<base.gguf>.");
        }
        return Optional.of(base);
    }

    /** Mean of the measurable seed metrics (NaN when none is). */
    public static double overall(Metrics m) {
        double sum = 0;
        int n = 0;
        for (Metrics.Metric x : Metrics.Metric.values()) {
            Metrics.Rate r = m.rate(x);
            if (r.total() > 0) {
                sum += r.rate();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Reads a training loss log: JSONL lines with {@code step} (or {@code epoch}) and {@code loss}; other lines are
     * ignored. A missing file gives no curve.
     */
    public static List<LossPoint> readLoss(Path file) throws IOException {
        List<LossPoint> out = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) {
            return out;
        }
        int i = 0;
        for (String line : Files.readAllLines(file)) {
            JsonNode n = ToolCallParser.readStrict(line.strip());
            if (n != null && n.isObject() && n.path("loss").isNumber()) {
                double step = n.path("step").isNumber() ? n.get("step").asDouble()
                        : n.path("epoch").isNumber() ? n.get("epoch").asDouble() : i;
                out.add(new LossPoint(step, n.get("loss").asDouble()));
            }
            i++;
        }
        if (out.isEmpty()) {
            LOG.warn("No loss values (JSONL lines with \"loss\") in {}", file);
        }
        return out;
    }

    static String pct(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * d);
    }

    static String delta(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100 * (a - b));
    }

    /** The seed's console tables. */
    static String console(Result r) {
        StringBuilder sb = new StringBuilder("Per-Tool Results:\n");
        String line = "+--------------------------+----------+----------+----------+----------+\n";
        sb.append(line).append(String.format(Locale.ROOT, "| %-24s | %-8s | %-8s | %-8s | %-8s |%n", "Tool", "Accuracy",
                "Schema", "p50", "p95")).append(line);
        r.tuned().metrics().perTool().forEach((k, g) -> sb.append(String.format(Locale.ROOT,
                "| %-24s | %-8s | %-8s | %-8s | %-8s |%n", cut(k, 24), g.passRate().percent(), g.schema().percent(),
                ms(g.p50Millis()), ms(g.p95Millis()))));
        sb.append(line).append("\nPer-Scenario Results:\n");
        String l2 = "+--------------+-----------+-----------+\n";
        sb.append(l2).append(String.format(Locale.ROOT, "| %-12s | %-9s | %-9s |%n", "Scenario", "Pass Rate", "Baseline"))
                .append(l2);
        Map<String, Metrics.Group> base = r.baseline() == null ? Map.of() : r.baseline().metrics().perScenario();
        r.tuned().metrics().perScenario().forEach((k, g) -> sb.append(String.format(Locale.ROOT, "| %-12s | %-9s | %-9s |%n",
                cut(k, 12), g.passRate().percent(), base.containsKey(k) ? base.get(k).passRate().percent() : "-")));
        sb.append(l2).append("\nOverall Score: ").append(pct(r.overall()));
        sb.append(r.baseline() == null ? "\nvs Baseline: n/a (no baseline: set -Dforge.baseline=<base.gguf>)"
                : "\nvs Baseline: " + delta(r.overall(), r.baselineOverall()) + " (baseline " + pct(r.baselineOverall()) + ")");
        return sb.toString();
    }

    static String ms(long m) {
        return m >= 1000 ? String.format(Locale.ROOT, "%.1fs", m / 1000.0) : m + "ms";
    }

    static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    static ObjectNode json(Result r, List<LossPoint> loss, ValidationRequest req) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", r.tuned().modelName());
        root.put("baseline", r.baseline() == null ? null : r.baseline().modelName());
        root.put("eval_set", String.valueOf(req.evalFile()));
        root.put("constrained", r.tuned().constrained());
        root.put("decoding", r.tuned().decoding());
        root.put("overall_score", round(r.overall()));
        root.put("baseline_overall_score", round(r.baselineOverall()));
        root.put("delta_vs_baseline", Double.isNaN(r.baselineOverall()) ? null : round(r.overall() - r.baselineOverall()));
        root.put("overall_definition", "mean of the measurable seed metrics (validity, schema, selection, no-tool, "
                + "robustness, loop completion)");
        root.set("metrics", r.tuned().metrics().toJson(req.thresholds()));
        if (r.baseline() != null) {
            root.set("baseline_metrics", r.baseline().metrics().toJson(req.thresholds()));
        }
        ObjectNode pt = root.putObject("per_tool");
        groups(pt, r.tuned().metrics().perTool(), r.baseline() == null ? null : r.baseline().metrics().perTool());
        ObjectNode ps = root.putObject("per_scenario");
        groups(ps, r.tuned().metrics().perScenario(), r.baseline() == null ? null : r.baseline().metrics().perScenario());
        ArrayNode l = root.putArray("training_loss");
        loss.forEach(p -> l.addObject().put("step", p.step()).put("loss", p.loss()));
        root.put("finetuned_report", r.tuned().jsonReport().getFileName().toString());
        if (r.baseline() != null) {
            root.put("baseline_report", r.baseline().jsonReport().getFileName().toString());
        }
        return root;
    }

    private static void groups(ObjectNode out, Map<String, Metrics.Group> tuned, Map<String, Metrics.Group> base) {
        TreeSet<String> keys = new TreeSet<>(tuned.keySet());
        if (base != null) {
            keys.addAll(base.keySet());
        }
        for (String k : keys) {
            ObjectNode o = out.putObject(k);
            if (tuned.containsKey(k)) {
                o.set("finetuned", Metrics.groupJson(tuned.get(k)));
            }
            if (base != null && base.containsKey(k)) {
                o.set("baseline", Metrics.groupJson(base.get(k)));
            }
        }
    }

    static Double round(double d) {
        return Double.isNaN(d) ? null : Math.round(d * 10000) / 10000.0;
    }

    static String markdown(Result r) {
        StringBuilder sb = new StringBuilder("# Benchmark: ").append(r.tuned().modelName()).append("\n\n");
        sb.append("- Baseline: ").append(r.baseline() == null ? "none (set `-Dforge.baseline=<base.gguf>`)"
                : "`" + r.baseline().modelName() + "`").append('\n');
        sb.append("- Decoding: ").append(r.tuned().decodingText()).append('\n');
        sb.append("- **Overall score: ").append(pct(r.overall())).append("**");
        if (r.baseline() != null) {
            sb.append(" (baseline ").append(pct(r.baselineOverall())).append(", ")
                    .append(delta(r.overall(), r.baselineOverall())).append(")");
        }
        sb.append("\n\n## Metrics\n\n| Metric | Fine-tuned | Baseline | Delta |\n|---|---|---|---|\n");
        for (Metrics.Metric x : Metrics.Metric.values()) {
            double a = r.tuned().metrics().rate(x).rate();
            double b = r.baseline() == null ? Double.NaN : r.baseline().metrics().rate(x).rate();
            sb.append("| ").append(x.label).append(" | ").append(pct(a)).append(" | ").append(pct(b)).append(" | ")
                    .append(delta(a, b)).append(" |\n");
        }
        sb.append("\n## Per tool\n\n| Tool | Accuracy | Schema | Latency p50 | p95 | Baseline accuracy |\n"
                + "|---|---|---|---|---|---|\n");
        Map<String, Metrics.Group> bt = r.baseline() == null ? Map.of() : r.baseline().metrics().perTool();
        r.tuned().metrics().perTool().forEach((k, g) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n",
                ValidationReport.md(k), g.passRate().percent(), g.schema().percent(), ms(g.p50Millis()), ms(g.p95Millis()),
                bt.containsKey(k) ? bt.get(k).passRate().percent() : "-")));
        sb.append("\n## Per scenario\n\n| Scenario | Pass rate | Baseline |\n|---|---|---|\n");
        Map<String, Metrics.Group> bs = r.baseline() == null ? Map.of() : r.baseline().metrics().perScenario();
        r.tuned().metrics().perScenario().forEach((k, g) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n",
                k, g.passRate().percent(), bs.containsKey(k) ? bs.get(k).passRate().percent() : "-")));
        sb.append("\nAccuracy = share of runs that passed every check of their case (see validation reports "
                + "`benchmark-finetuned.md`").append(r.baseline() == null ? "" : ", `benchmark-baseline.md`")
                .append(" for each failing case).\n");
        return sb.toString();
    }
}
