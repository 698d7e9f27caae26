package dev.mcpforge.train;

import java.util.List;
import java.util.Locale;

/**
 * A small SVG line chart of train/eval loss per epoch. Hand-written: a chart library (JFreeChart and the like) would
 * add megabytes of dependencies for two polylines, and string-built SVG is deterministic byte for byte.
 */
public final class LossChart {
    private LossChart() {
    }

    /** {@code train}/{@code eval} hold one value per epoch (eval entries may be null). */
    public static String svg(List<Double> train, List<Double> eval, String title) {
        int w = 640;
        int h = 360;
        int left = 60;
        int right = 20;
        int top = 40;
        int bottom = 50;
        double max = 0;
        double min = Double.MAX_VALUE;
        for (List<Double> s : List.of(train, eval)) {
            for (Double v : s) {
                if (v != null && Double.isFinite(v)) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (min == Double.MAX_VALUE) {
            min = 0;
            max = 1;
        }
        min = Math.max(0, Math.floor(min * 0.9 * 10) / 10);
        max = Math.ceil(max * 1.05 * 10) / 10;
        if (max <= min) {
            max = min + 1;
        }
        int n = Math.max(train.size(), eval.size());
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"").append(w / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">")
                .append(escape(title)).append("</text>\n");
        int pw = w - left - right;
        int ph = h - top - bottom;
        sb.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(pw)
                .append("\" height=\"").append(ph).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double v = min + (max - min) * i / 4;
            double y = top + ph - ph * i / 4.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", left, left + pw, y, y, left - 6, y + 4, v));
        }
        for (int i = 0; i < n; i++) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x(i, n, left, pw), top + ph + 18, i + 1));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>%n",
                left + pw / 2, h - 10));
        line(sb, train, n, left, top, pw, ph, min, max, "#1f77b4");
        line(sb, eval, n, left, top, pw, ph, min, max, "#d62728");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">train loss</text>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#d62728\">eval loss</text>%n", left + pw - 170, top + 16,
                left + pw - 85, top + 16));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double x(int i, int n, int left, int pw) {
        return n <= 1 ? left + pw / 2.0 : left + pw * i / (double) (n - 1);
    }

    private static void line(StringBuilder sb, List<Double> s, int n, int left, int top, int pw, int ph, double min,
                             double max, String color) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
            Double v = s.get(i);
            if (v == null || !Double.isFinite(v)) {
                continue;
            }
            double y = top + ph - ph * (v - min) / (max - min);
            String p = String.format(Locale.ROOT, "%.1f,%.1f", x(i, n, left, pw), y);
            pts.append(pts.length() == 0 ? "" : " ").append(p);
            sb.append("<circle cx=\"").append(p.replace(",", "\" cy=\"")).append("\" r=\"3\" fill=\"").append(color)
                    .append("\"/>\n");
        }
        if (pts.length() > 0) {
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"")
                    .append(pts).append("\"/>\n");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
