package dev.mcpforge.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark as one self-contained HTML page: inline CSS and SVG charts, no scripts, no external assets
 * (it opens offline and in a CI artifact viewer). Hand-written SVG: a few bars and a polyline do not justify a
 * charting library, and none renders to static SVG without JavaScript.
 */
final class BenchmarkHtml {
    private static final String TUNED = "#2b6cb0";
    private static final String BASE = "#a0aec0";

    private BenchmarkHtml() {
    }

    static String page(BenchmarkService.Result r, List<BenchmarkService.LossPoint> loss) {
        boolean hasBase = r.baseline() != null;
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>MCP-Forge benchmark: ")
                .append(esc(r.tuned().modelName())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;"
                        + "max-width:960px;color:#1a202c;padding:0 1rem}\nh1{font-size:1.6rem}h2{font-size:1.2rem;"
                        + "margin-top:2rem}\n.score{display:flex;gap:1rem;flex-wrap:wrap}\n.card{border:1px solid #e2e8f0;"
                        + "border-radius:8px;padding:1rem 1.5rem;min-width:160px}\n.card b{display:block;font-size:2rem}\n"
                        + "table{border-collapse:collapse;margin-top:.5rem}td,th{border-bottom:1px solid #e2e8f0;"
                        + "padding:.3rem .8rem;text-align:left}\n.legend span{display:inline-block;width:12px;height:12px;"
                        + "margin:0 4px 0 12px;vertical-align:middle}\nsvg text{font-size:12px;fill:#2d3748}\n")
                .append("</style></head><body>\n");
        sb.append("<h1>Benchmark: ").append(esc(r.tuned().modelName())).append("</h1>\n<p>Decoding: ")
                .append(esc(r.tuned().decodingText())).append("</p>\n<div class=\"score\">")
                .append(card("Overall score", BenchmarkService.pct(r.overall())));
        if (hasBase) {
            sb.append(card("Baseline (" + r.baseline().modelName() + ")", BenchmarkService.pct(r.baselineOverall())))
                    .append(card("Delta", BenchmarkService.delta(r.overall(), r.baselineOverall())));
        }
        sb.append(card("Cases passed", r.tuned().metrics().casePassRate().percent())).append("</div>\n");
        sb.append("<p class=\"legend\"><span style=\"background:").append(TUNED).append("\"></span>fine-tuned");
        if (hasBase) {
            sb.append("<span style=\"background:").append(BASE).append("\"></span>baseline");
        }
        sb.append("</p>\n");

        Map<String, double[]> metrics = new LinkedHashMap<>();
        for (Metrics.Metric x : Metrics.Metric.values()) {
            metrics.put(x.label, new double[] {r.tuned().metrics().rate(x).rate(),
                hasBase ? r.baseline().metrics().rate(x).rate() : Double.NaN});
        }
        sb.append("<h2>Seed metrics</h2>\n").append(bars("metrics", metrics, hasBase));
        sb.append("<h2>Per tool (accuracy)</h2>\n").append(bars("per-tool", groupValues(r, true), hasBase));
        sb.append("<h2>Per scenario (pass rate)</h2>\n").append(bars("per-scenario", groupValues(r, false), hasBase));
        sb.append("<h2>Training loss</h2>\n").append(loss.isEmpty()
                ? "<p>No training loss log was found (JSONL lines with <code>step</code> and <code>loss</code>).</p>\n"
                : lossChart(loss));
        sb.append("<h2>Latency per tool</h2>\n<table><tr><th>Tool</th><th>p50</th><th>p95</th></tr>\n");
        r.tuned().metrics().perTool().forEach((k, g) -> sb.append("<tr><td>").append(esc(k)).append("</td><td>")
                .append(BenchmarkService.ms(g.p50Millis())).append("</td><td>").append(BenchmarkService.ms(g.p95Millis()))
                .append("</td></tr>\n"));
        sb.append("</table>\n</body></html>\n");
        return sb.toString();
    }

    private static Map<String, double[]> groupValues(BenchmarkService.Result r, boolean perTool) {
        Map<String, Metrics.Group> t = perTool ? r.tuned().metrics().perTool() : r.tuned().metrics().perScenario();
        Map<String, Metrics.Group> b = r.baseline() == null ? Map.of()
                : perTool ? r.baseline().metrics().perTool() : r.baseline().metrics().perScenario();
        Map<String, double[]> out = new LinkedHashMap<>();
        t.forEach((k, g) -> out.put(k, new double[] {g.passRate().rate(),
            b.containsKey(k) ? b.get(k).passRate().rate() : Double.NaN}));
        return out;
    }

    private static String card(String label, String value) {
        return "<div class=\"card\">" + esc(label) + "<b>" + esc(value) + "</b></div>";
    }

    /** Horizontal grouped bars, values 0..1 (NaN: "n/a"). */
    static String bars(String id, Map<String, double[]> values, boolean withBase) {
        int labelW = 230;
        int barW = 560;
        int rowH = withBase ? 34 : 22;
        int h = values.size() * rowH + 30;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg id=\"%s\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "xmlns=\"http://www.w3.org/2000/svg\">\n", id, labelW + barW + 70, h, labelW + barW + 70, h));
        for (int p = 0; p <= 100; p += 25) {
            double x = labelW + barW * p / 100.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#edf2f7\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n", x, x, h - 18, x, h - 4, p));
        }
        int y = 4;
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", labelW - 8,
                    y + 13, esc(BenchmarkService.cut(e.getKey(), 32))));
            List<double[]> series = new ArrayList<>();
            series.add(new double[] {e.getValue()[0], 0});
            if (withBase) {
                series.add(new double[] {e.getValue()[1], 1});
            }
            for (double[] s : series) {
                double v = s[0];
                int by = y + (int) s[1] * 14;
                String color = s[1] == 0 ? TUNED : BASE;
                double w = Double.isNaN(v) ? 0 : Math.max(1, barW * v);
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\">"
                        + "<title>%s: %s</title></rect><text x=\"%.1f\" y=\"%d\">%s</text>\n", labelW, by, w, color,
                        esc(e.getKey()), BenchmarkService.pct(v), labelW + w + 4, by + 10, BenchmarkService.pct(v)));
            }
            y += rowH;
        }
        return sb.append("</svg>\n").toString();
    }

    static String lossChart(List<BenchmarkService.LossPoint> pts) {
        int w = 800;
        int h = 260;
        int left = 50;
        int bottom = 30;
        double minX = pts.stream().mapToDouble(BenchmarkService.LossPoint::step).min().orElse(0);
        double maxX = pts.stream().mapToDouble(BenchmarkService.LossPoint::step).max().orElse(1);
        double maxY = pts.stream().mapToDouble(BenchmarkService.LossPoint::loss).max().orElse(1);
        double minY = Math.min(0, pts.stream().mapToDouble(BenchmarkService.LossPoint::loss).min().orElse(0));
        double sx = (w - left - 10) / Math.max(1e-9, maxX - minX);
        double sy = (h - bottom - 10) / Math.max(1e-9, maxY - minY);
        StringBuilder poly = new StringBuilder();
        for (BenchmarkService.LossPoint p : pts) {
            poly.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + (p.step() - minX) * sx,
                    h - bottom - (p.loss() - minY) * sy));
        }
        return String.format(Locale.ROOT, "<svg id=\"loss\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "xmlns=\"http://www.w3.org/2000/svg\">\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#718096\"/>"
                        + "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#718096\"/>\n"
                        + "<text x=\"%d\" y=\"%d\">step %s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                        + "<text x=\"%d\" y=\"20\" text-anchor=\"end\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">"
                        + "step %s</text>\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n</svg>\n",
                w, h, w, h, left, h - bottom, w - 10, h - bottom, left, left, h - bottom,
                left, h - 8, num(minX), left - 4, h - bottom, num(minY), left - 4, num(maxY), w - 10, h - 8, num(maxX),
                TUNED, poly.toString().strip());
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.3g", d);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
