package dev.mcpforge.eval;

import dev.mcpforge.pipeline.AtomicFiles;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** validation.json (metrics, definitions and every run, so anyone can re-score) and validation.md. */
final class ValidationReport {
    private ValidationReport() {
    }

    /** The seed's console summary. */
    static String table(Metrics m, Thresholds t) {
        StringBuilder sb = new StringBuilder();
        String bar = "═".repeat(55);
        sb.append(bar).append("\nValidation Results\n").append(bar).append('\n');
        for (Metrics.Metric x : Metrics.Metric.values()) {
            Metrics.Rate r = m.rate(x);
            boolean ok = r.total() == 0 || r.rate() >= t.of(x);
            sb.append(String.format(Locale.ROOT, "%-30s %7s %s (threshold: %.0f%%, %d of %d)%n", x.label + ":",
                    r.percent(), ok ? "✓" : "✗", 100 * t.of(x), r.ok(), r.total()));
        }
        sb.append(String.format(Locale.ROOT, "%-30s %7s (not gated)%n", "Argument accuracy (BFCL):",
                m.argumentAccuracy().percent()));
        sb.append(String.format(Locale.ROOT, "%-30s %7s (%d of %d cases)%n", "Cases passed (pass^k):",
                m.casePassRate().percent(), m.casePassRate().ok(), m.casePassRate().total()));
        List<String> f = m.failures(t);
        sb.append(f.isEmpty() ? "✓ Model passes release criteria" : "✗ Model fails release criteria: "
                + String.join("; ", f));
        return sb.toString();
    }

    static void write(ValidationResult r, ValidationRequest req, Toolset toolset, String toolSource) throws IOException {
        Metrics m = r.metrics();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", r.modelName());
        root.put("constrained", r.constrained());
        root.put("decoding", r.decoding());
        root.put("decoding_definition", req.options().decodingLabel());
        root.put("tool_source", toolSource);
        root.put("toolset_hash", toolset.hash());
        root.put("eval_set", String.valueOf(req.evalFile()));
        root.put("repeats", req.repeats());
        root.put("max_tokens", req.options().maxTokens());
        // the first run's temperature (0: greedy); forge:bundle compares it with the temperature it recommends
        root.put("temperature", req.options().temperature());
        root.put("passed", r.passed());
        ArrayNode fails = root.putArray("threshold_failures");
        r.failures().forEach(fails::add);
        root.set("metrics", m.toJson(req.thresholds()));
        ObjectNode pt = root.putObject("per_tool");
        m.perTool().forEach((k, g) -> pt.set(k, Metrics.groupJson(g)));
        ObjectNode ps = root.putObject("per_scenario");
        m.perScenario().forEach((k, g) -> ps.set(k, Metrics.groupJson(g)));
        ArrayNode cases = root.putArray("cases");
        m.runs().forEach(c -> cases.add(c.toJson()));
        AtomicFiles.writeString(r.jsonReport(), Json.PRETTY.writeValueAsString(root) + "\n");
        AtomicFiles.writeString(r.mdReport(), markdown(r, req, toolSource));
    }

    static String markdown(ValidationResult r, ValidationRequest req, String toolSource) {
        Metrics m = r.metrics();
        Thresholds t = req.thresholds();
        StringBuilder sb = new StringBuilder();
        sb.append("# Looped validation: ").append(r.modelName()).append("\n\n");
        sb.append("- Tools executed by: ").append(toolSource).append('\n');
        sb.append("- Eval set: `").append(req.evalFile()).append("`, ").append(m.casePassRate().total())
                .append(" case(s) × ").append(req.repeats()).append(" run(s)\n");
        sb.append("- Decoding: ").append(req.options().decodingLabel())
                .append(req.options().temperature() > 0 ? ", sampled" : ", greedy").append(", max ")
                .append(req.options().maxTokens()).append(" tokens\n");
        sb.append("- Result: **").append(r.passed() ? "passes" : "fails").append(" the release criteria**\n\n");
        sb.append("| Metric | Value | Threshold | Passed | Counted runs |\n|---|---|---|---|---|\n");
        for (Metrics.Metric x : Metrics.Metric.values()) {
            Metrics.Rate rt = m.rate(x);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f%% | %s | %d of %d |%n", x.label, rt.percent(),
                    100 * t.of(x), rt.total() == 0 || rt.rate() >= t.of(x) ? "✓" : "✗", rt.ok(), rt.total()));
        }
        sb.append(String.format(Locale.ROOT, "| Argument accuracy (BFCL, not gated) | %s | | | %d of %d |%n",
                m.argumentAccuracy().percent(), m.argumentAccuracy().ok(), m.argumentAccuracy().total()));
        sb.append(String.format(Locale.ROOT, "| Cases passed (pass^k) | %s | | | %d of %d |%n%n",
                m.casePassRate().percent(), m.casePassRate().ok(), m.casePassRate().total()));
        sb.append("## Per tool\n\n");
        groups(sb, m.perTool(), "Tool");
        sb.append("## Per scenario\n\n");
        groups(sb, m.perScenario(), "Scenario");
        sb.append("## Failures\n\n");
        List<CaseResult> failed = m.runs().stream().filter(c -> !c.passed()).toList();
        if (failed.isEmpty()) {
            sb.append("None.\n\n");
        }
        for (CaseResult c : failed.subList(0, Math.min(50, failed.size()))) {
            sb.append("- **").append(c.evalCase().id()).append("** (").append(c.evalCase().scenario()).append("): ")
                    .append(c.failureReason()).append("\n  - prompt: ").append(md(c.evalCase().userText()))
                    .append("\n  - output: `").append(md(ToolCallParser.abbreviate(c.rawOutput())).replace("`", "'"))
                    .append("`\n");
        }
        if (failed.size() > 50) {
            sb.append("- … and ").append(failed.size() - 50).append(" more (see the JSON report)\n");
        }
        sb.append("\n## Metric definitions\n\n");
        for (Metrics.Metric x : Metrics.Metric.values()) {
            sb.append("- **").append(x.label).append("**: ").append(x.definition).append(".\n");
        }
        sb.append("- **Argument accuracy**: runs that expect a call whose arguments match the expected call by BFCL's "
                + "AST rules (required present, no unknown or unexpected parameters, int accepted for number, "
                + "normalised strings, optional parameters may be omitted).\n");
        return sb.toString();
    }

    static void groups(StringBuilder sb, Map<String, Metrics.Group> groups, String what) {
        sb.append("| ").append(what).append(" | Pass rate | Selection | Schema | Arguments | p50 | p95 |\n"
                + "|---|---|---|---|---|---|---|\n");
        groups.forEach((k, g) -> sb.append(String.format(Locale.ROOT, "| %s | %s (%d/%d) | %s | %s | %s | %d ms | %d ms |%n",
                md(k), g.passRate().percent(), g.passRate().ok(), g.passRate().total(), g.selection().percent(),
                g.schema().percent(), g.arguments().percent(), g.p50Millis(), g.p95Millis())));
        sb.append('\n');
    }

    static String md(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
