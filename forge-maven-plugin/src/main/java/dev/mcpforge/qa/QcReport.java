package dev.mcpforge.qa;

import dev.mcpforge.data.Scenario;
import dev.mcpforge.tools.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's {@code QCReport}, written as {@code reports/qc.json} (snake_case fields: total_samples, valid_samples,
 * dropped_samples, schema_pass_rate, dedup_rate, tool_coverage, scenario_coverage, plus repaired,
 * dropped_by_reason, issues and the gate's verdict) and {@code reports/qc.md}.
 */
public final class QcReport {

    /** Issues kept in the report (counts are always exact; the list is capped so reports stay small). */
    public static final int MAX_ISSUES = 1000;

    /** One dropped line. */
    public record Issue(long line, String id, String reason, String message) {
    }

    long totalSamples;
    long validSamples;
    long schemaChecked;
    long schemaPassed;
    long dedupChecked;
    long duplicates;
    long repairedSamples;
    long toppedUp;
    final Map<String, Long> toolCoverage = new LinkedHashMap<>();
    final Map<String, Long> scenarioCoverage = new LinkedHashMap<>();
    final Map<String, Long> repaired = new LinkedHashMap<>();
    final Map<String, Long> droppedByReason = new LinkedHashMap<>();
    final Map<String, List<Issue>> examples = new LinkedHashMap<>();
    final List<Issue> issues = new ArrayList<>();
    final List<String> gateFailures = new ArrayList<>();
    double schemaPassThreshold;
    double minPassRate;
    int minSamplesPerTool;

    QcReport(List<String> tools) {
        tools.forEach(t -> toolCoverage.put(t, 0L));
        for (Scenario s : Scenario.values()) {
            scenarioCoverage.put(s.id(), 0L);
        }
        for (DropReason r : DropReason.values()) {
            droppedByReason.put(r.id(), 0L);
        }
    }

    void drop(long line, String id, DropReason reason, String message) {
        droppedByReason.merge(reason.id(), 1L, Long::sum);
        Issue issue = new Issue(line, id, reason.id(), message);
        if (issues.size() < MAX_ISSUES) {
            issues.add(issue);
        }
        List<Issue> ex = examples.computeIfAbsent(reason.id(), k -> new ArrayList<>());
        if (ex.size() < 3) {
            ex.add(issue);
        }
    }

    public long totalSamples() {
        return totalSamples;
    }

    public long validSamples() {
        return validSamples;
    }

    public long droppedSamples() {
        return droppedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public double schemaPassRate() {
        return schemaChecked == 0 ? 1.0 : schemaPassed / (double) schemaChecked;
    }

    public double dedupRate() {
        return dedupChecked == 0 ? 0.0 : duplicates / (double) dedupChecked;
    }

    public double passRate() {
        return totalSamples == 0 ? 0.0 : validSamples / (double) totalSamples;
    }

    public Map<String, Long> toolCoverage() {
        return toolCoverage;
    }

    public Map<String, Long> scenarioCoverage() {
        return scenarioCoverage;
    }

    public Map<String, Long> droppedByReason() {
        return droppedByReason;
    }

    public Map<String, Long> repaired() {
        return repaired;
    }

    public List<Issue> issues() {
        return issues;
    }

    public List<String> gateFailures() {
        return gateFailures;
    }

    public boolean passed() {
        return gateFailures.isEmpty();
    }

    public long repairedSamples() {
        return repairedSamples;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("total_samples", totalSamples);
        n.put("valid_samples", validSamples);
        n.put("dropped_samples", droppedSamples());
        n.put("schema_pass_rate", round(schemaPassRate()));
        n.put("dedup_rate", round(dedupRate()));
        ObjectNode tc = n.putObject("tool_coverage");
        toolCoverage.forEach(tc::put);
        ObjectNode sc = n.putObject("scenario_coverage");
        scenarioCoverage.forEach(sc::put);
        ObjectNode rep = n.putObject("repaired");
        rep.put("samples", repairedSamples);
        repaired.forEach(rep::put);
        ObjectNode dr = n.putObject("dropped_by_reason");
        droppedByReason.forEach(dr::put);
        n.put("topped_up", toppedUp);
        ObjectNode gate = n.putObject("gate");
        gate.put("passed", passed());
        gate.put("schema_pass_threshold", schemaPassThreshold);
        gate.put("min_pass_rate", minPassRate);
        gate.put("min_samples_per_tool", minSamplesPerTool);
        ArrayNode gf = gate.putArray("failures");
        gateFailures.forEach(gf::add);
        ArrayNode is = n.putArray("issues");
        for (Issue i : issues) {
            ObjectNode o = is.addObject();
            o.put("line", i.line());
            if (i.id() == null) {
                o.putNull("id");
            } else {
                o.put("id", i.id());
            }
            o.put("reason", i.reason());
            o.put("message", i.message());
        }
        n.put("issues_truncated", droppedSamples() > issues.size());
        return n;
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }

    static String pct(double d) {
        return String.format(Locale.ROOT, "%.1f%%", d * 100);
    }

    /** The seed's console report, line by line. */
    public List<String> consoleLines() {
        List<String> out = new ArrayList<>();
        out.add("Dataset Quality Report");
        out.add("═══════════════════════════════════════════");
        out.add("Samples analyzed: " + totalSamples);
        out.add("Valid samples: " + validSamples + " (" + pct(passRate()) + ")");
        out.add("Dropped: " + droppedSamples());
        droppedByReason.forEach((k, v) -> {
            if (v > 0) {
                out.add("  - " + k + ": " + v);
            }
        });
        if (repairedSamples > 0) {
            out.add("Repaired: " + repairedSamples + " samples " + repaired);
        }
        out.add("");
        out.add("Schema Pass Rate: " + pct(schemaPassRate()) + (schemaPassRate() >= schemaPassThreshold ? " ✓" : " ✗")
                + " (threshold: " + pct(schemaPassThreshold) + ")");
        out.add("Dedup Rate: " + pct(dedupRate()));
        out.add("");
        out.add("Tool Coverage:");
        int w = toolCoverage.keySet().stream().mapToInt(String::length).max().orElse(4);
        toolCoverage.forEach((k, v) -> out.add(String.format(Locale.ROOT, "  %-" + (w + 1) + "s %5d samples %s",
                k + ":", v, v >= minSamplesPerTool ? "✓" : "✗ (min " + minSamplesPerTool + ")")));
        out.add("");
        out.add("Scenario Coverage:");
        scenarioCoverage.forEach((k, v) -> out.add(String.format(Locale.ROOT, "  %-10s %5d (%s)", k + ":", v,
                pct(validSamples == 0 ? 0 : v / (double) validSamples))));
        out.add("");
        if (passed()) {
            out.add("✓ Dataset passes quality gate");
        } else {
            out.add("✗ Dataset FAILS the quality gate:");
            gateFailures.forEach(f -> out.add("  - " + f));
        }
        return out;
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Dataset quality report\n\n");
        sb.append(passed() ? "**Gate: passed**\n\n" : "**Gate: FAILED**\n\n");
        for (String f : gateFailures) {
            sb.append("- ").append(f).append('\n');
        }
        if (!gateFailures.isEmpty()) {
            sb.append('\n');
        }
        sb.append("| metric | value |\n|---|---|\n");
        sb.append("| samples analyzed | ").append(totalSamples).append(" |\n");
        sb.append("| valid samples | ").append(validSamples).append(" (").append(pct(passRate())).append(") |\n");
        sb.append("| dropped | ").append(droppedSamples()).append(" |\n");
        sb.append("| repaired samples | ").append(repairedSamples).append(" |\n");
        sb.append("| schema pass rate | ").append(pct(schemaPassRate())).append(" (threshold ")
                .append(pct(schemaPassThreshold)).append(") |\n");
        sb.append("| dedup rate | ").append(pct(dedupRate())).append(" |\n");
        sb.append("| topped up | ").append(toppedUp).append(" |\n\n");
        sb.append("## Dropped by reason\n\n| reason | count | example |\n|---|---:|---|\n");
        droppedByReason.forEach((k, v) -> {
            List<Issue> ex = examples.get(k);
            String e = ex == null || ex.isEmpty() ? "" : "line " + ex.get(0).line() + ": " + md(ex.get(0).message());
            sb.append("| ").append(k).append(" | ").append(v).append(" | ").append(e).append(" |\n");
        });
        sb.append("\n## Repairs\n\n| repair | count |\n|---|---:|\n");
        if (repaired.isEmpty()) {
            sb.append("| (none) | 0 |\n");
        }
        repaired.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append("\n## Tool coverage\n\n| tool | samples | ok |\n|---|---:|---|\n");
        toolCoverage.forEach((k, v) -> sb.append("| ").append(md(k)).append(" | ").append(v).append(" | ")
                .append(v >= minSamplesPerTool ? "✓" : "✗ (min " + minSamplesPerTool + ")").append(" |\n"));
        sb.append("\n## Scenario coverage\n\n| scenario | samples | share |\n|---|---:|---:|\n");
        scenarioCoverage.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" | ")
                .append(pct(validSamples == 0 ? 0 : v / (double) validSamples)).append(" |\n"));
        if (!issues.isEmpty()) {
            sb.append("\n## First issues\n\n| line | id | reason | message |\n|---:|---|---|---|\n");
            issues.stream().limit(50).forEach(i -> sb.append("| ").append(i.line()).append(" | ")
                    .append(md(String.valueOf(i.id()))).append(" | ").append(i.reason()).append(" | ")
                    .append(md(i.message())).append(" |\n"));
        }
        return sb.toString();
    }

    private static String md(String s) {
        String t = s.replace("|", "\\|").replace("\n", " ");
        return t.length() > 160 ? t.substring(0, 160) + "…" : t;
    }

    /** A one-paragraph explanation of the gate failures with examples, for the build failure message. */
    public String failureMessage() {
        StringBuilder sb = new StringBuilder("Dataset quality gate failed:");
        for (String f : gateFailures) {
            sb.append("\n  - ").append(f);
        }
        List<String> ex = new ArrayList<>();
        examples.forEach((k, list) -> list.stream().limit(2).forEach(i -> ex.add("line " + i.line()
                + (i.id() == null ? "" : " (" + i.id() + ")") + " " + k + ": " + i.message())));
        if (!ex.isEmpty()) {
            sb.append("\nExamples:");
            ex.stream().limit(8).forEach(e -> sb.append("\n  ").append(e.length() > 300 ? e.substring(0, 300) + "…" : e));
        }
        return sb.toString();
    }
}
