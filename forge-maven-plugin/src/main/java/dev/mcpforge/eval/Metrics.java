package dev.mcpforge.eval;

import dev.mcpforge.tools.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's LoopedValidationResult metrics over all runs of all cases. Each metric is numerator/denominator over
 * the runs its definition names; a metric with an empty denominator is "n/a" and does not gate.
 */
public final class Metrics {

    public enum Metric {
        VALIDITY("tool_call_validity", "Tool-call validity",
                "runs that expect a call, or whose first reply attempted one: the reply parses into at least one "
                        + "call and nothing in it is broken", r -> r.evalCase().expectsCall() || r.attempted(),
                CaseResult::parsed),
        SCHEMA("schema_conformance", "Schema conformance",
                "runs whose reply parsed into calls: every call names a known tool and its arguments pass the tool's "
                        + "JSON Schema", CaseResult::parsed, CaseResult::schemaValid),
        SELECTION("tool_selection_accuracy", "Tool selection accuracy",
                "runs that expect a call: the model called exactly the expected tool(s)",
                r -> r.evalCase().expectsCall(), CaseResult::selected),
        NO_TOOL("no_tool_correctness", "No-tool correctness",
                "runs that expect no call (no_tool, and ambiguous cases whose answer is a question): no call attempted "
                        + "and a non-empty answer that reads as prose (not JSON or tool/chat-format syntax)", r -> !r.evalCase().expectsCall(), CaseResult::noToolOk),
        ROBUSTNESS("robustness", "Robustness (error handling)",
                "error-scenario runs that expect a call: the loop completed and the final answer acknowledges the "
                        + "failed tool result", r -> r.evalCase().expectsCall() && "error".equals(r.evalCase().scenario()),
                CaseResult::graceful),
        LOOP("loop_completion", "Loop completion",
                "runs that expect a call: call parsed, schema-valid, executed, and the model then gave a non-empty final "
                        + "answer without a further call", r -> r.evalCase().expectsCall(), CaseResult::loopComplete);

        public final String id;
        public final String label;
        public final String definition;
        final Predicate<CaseResult> counts;
        final Predicate<CaseResult> ok;

        Metric(String id, String label, String definition, Predicate<CaseResult> counts, Predicate<CaseResult> ok) {
            this.id = id;
            this.label = label;
            this.definition = definition;
            this.counts = counts;
            this.ok = ok;
        }
    }

    /** A rate; {@code rate()} is NaN when nothing counted. */
    public record Rate(int ok, int total) {
        public double rate() {
            return total == 0 ? Double.NaN : (double) ok / total;
        }

        public String percent() {
            return total == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * ok / total);
        }
    }

    /** Per-tool or per-scenario numbers. */
    public record Group(Rate passRate, Rate selection, Rate schema, Rate arguments, long p50Millis, long p95Millis) {
    }

    private final List<CaseResult> runs;
    private final Map<Metric, Rate> rates = new EnumMap<>(Metric.class);
    private final Rate argumentAccuracy;
    private final Rate runPassRate;
    private final Rate casePassRate;

    public Metrics(List<CaseResult> runs) {
        this.runs = List.copyOf(runs);
        for (Metric m : Metric.values()) {
            rates.put(m, rate(this.runs, m.counts, m.ok));
        }
        argumentAccuracy = rate(this.runs, r -> r.evalCase().expectsCall(), CaseResult::argumentsOk);
        runPassRate = rate(this.runs, r -> true, CaseResult::passed);
        Map<String, Boolean> byCase = new LinkedHashMap<>();
        for (CaseResult r : this.runs) {
            byCase.merge(r.evalCase().id(), r.passed(), Boolean::logicalAnd);
        }
        casePassRate = new Rate((int) byCase.values().stream().filter(b -> b).count(), byCase.size());
    }

    static Rate rate(List<CaseResult> rs, Predicate<CaseResult> counts, Predicate<CaseResult> ok) {
        int t = 0;
        int k = 0;
        for (CaseResult r : rs) {
            if (counts.test(r)) {
                t++;
                if (ok.test(r)) {
                    k++;
                }
            }
        }
        return new Rate(k, t);
    }

    public List<CaseResult> runs() {
        return runs;
    }

    public Rate rate(Metric m) {
        return rates.get(m);
    }

    /** Runs that expect a call whose arguments match the expected call (BFCL rules); reported, not gated. */
    public Rate argumentAccuracy() {
        return argumentAccuracy;
    }

    /** Share of runs that passed. */
    public Rate runPassRate() {
        return runPassRate;
    }

    /** pass^k: share of cases all of whose runs passed (with one run per case: the pass rate). */
    public Rate casePassRate() {
        return casePassRate;
    }

    /** Metrics below their threshold, as "label 80.0% < 95.0%" lines; n/a metrics never fail. */
    public List<String> failures(Thresholds t) {
        List<String> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            Rate r = rates.get(m);
            if (r.total() > 0 && r.rate() < t.of(m)) {
                out.add(String.format(Locale.ROOT, "%s %s < %.1f%% (%d of %d)", m.label, r.percent(), 100 * t.of(m),
                        r.ok(), r.total()));
            }
        }
        return out;
    }

    public Map<String, Group> perTool() {
        Map<String, List<CaseResult>> g = new TreeMap<>();
        for (CaseResult r : runs) {
            String tool = r.evalCase().expectsCall() ? r.evalCase().expected().get(0).name() : "(no tool)";
            g.computeIfAbsent(tool, k -> new ArrayList<>()).add(r);
        }
        return groups(g);
    }

    public Map<String, Group> perScenario() {
        Map<String, List<CaseResult>> g = new TreeMap<>();
        for (CaseResult r : runs) {
            g.computeIfAbsent(r.evalCase().scenario(), k -> new ArrayList<>()).add(r);
        }
        return groups(g);
    }

    private static Map<String, Group> groups(Map<String, List<CaseResult>> g) {
        Map<String, Group> out = new LinkedHashMap<>();
        g.forEach((k, rs) -> {
            List<Long> ms = rs.stream().map(CaseResult::millis).sorted().toList();
            out.put(k, new Group(rate(rs, r -> true, CaseResult::passed),
                    rate(rs, r -> r.evalCase().expectsCall(), CaseResult::selected),
                    rate(rs, CaseResult::parsed, CaseResult::schemaValid),
                    rate(rs, r -> r.evalCase().expectsCall(), CaseResult::argumentsOk),
                    percentile(ms, 50), percentile(ms, 95)));
        });
        return out;
    }

    /** Nearest-rank percentile of sorted values (0 when empty). */
    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public ObjectNode toJson(Thresholds t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        for (Metric m : Metric.values()) {
            ObjectNode o = n.putObject(m.id);
            Rate r = rates.get(m);
            rateJson(o, r);
            o.put("threshold", t.of(m));
            o.put("passed", r.total() == 0 || r.rate() >= t.of(m));
            o.put("definition", m.definition);
        }
        rateJson(n.putObject("argument_accuracy"), argumentAccuracy)
                .put("definition", "runs that expect a call: arguments match the expected call (BFCL AST rules); not gated");
        rateJson(n.putObject("run_pass_rate"), runPassRate);
        rateJson(n.putObject("case_pass_rate"), casePassRate)
                .put("definition", "pass^k: cases all of whose k runs passed");
        return n;
    }

    static ObjectNode rateJson(ObjectNode o, Rate r) {
        o.put("ok", r.ok());
        o.put("total", r.total());
        if (r.total() > 0) {
            o.put("rate", Math.round(r.rate() * 10000) / 10000.0);
        } else {
            o.putNull("rate");
        }
        return o;
    }

    public static ObjectNode groupJson(Group g) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        rateJson(o.putObject("pass_rate"), g.passRate());
        rateJson(o.putObject("selection"), g.selection());
        rateJson(o.putObject("schema"), g.schema());
        rateJson(o.putObject("arguments"), g.arguments());
        o.put("latency_p50_ms", g.p50Millis());
        o.put("latency_p95_ms", g.p95Millis());
        return o;
    }
}
