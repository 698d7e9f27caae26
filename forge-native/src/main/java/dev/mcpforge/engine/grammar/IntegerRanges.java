package dev.mcpforge.engine.grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * GBNF for decimal integers (no leading zeros) in an inclusive range, by splitting the range into pieces of the form
 * {@code prefix [a-b] [0-9]{k}} (the classic numeric-range-to-regex construction). Open ends are limited to
 * {@code maxDigits} digits.
 */
final class IntegerRanges {
    private IntegerRanges() {
    }

    /** @param min inclusive lower bound or null; @param max inclusive upper bound or null */
    static String expression(Long min, Long max, int maxDigits) {
        long limit = pow10(maxDigits) - 1;
        long lo = min == null ? -limit : Math.max(min, -limit);
        long hi = max == null ? limit : Math.min(max, limit);
        if (lo > hi) {
            throw new IllegalArgumentException("empty integer range " + min + ".." + max);
        }
        List<String> alts = new ArrayList<>();
        if (lo < 0) {
            // negative part: -(|hiNeg| .. |lo|)
            long a = hi < 0 ? -hi : 1;
            alts.add("\"-\" " + group(nonNegative(a, -lo)));
        }
        if (hi >= 0) {
            alts.add(group(nonNegative(Math.max(lo, 0), hi)));
        }
        return alts.size() == 1 ? alts.get(0) : "(" + String.join(" | ", alts) + ")";
    }

    private static String group(List<String> alts) {
        return alts.size() == 1 ? alts.get(0) : "(" + String.join(" | ", alts) + ")";
    }

    /** Patterns for [min, max], 0 <= min <= max. */
    static List<String> nonNegative(long min, long max) {
        List<String> out = new ArrayList<>();
        long start = min;
        for (long stop : splitToRanges(min, max)) {
            out.add(rangeToPattern(start, stop));
            start = stop + 1;
        }
        return out;
    }

    private static TreeSet<Long> splitToRanges(long min, long max) {
        TreeSet<Long> stops = new TreeSet<>();
        stops.add(max);
        int nines = 1;
        long stop = fillByNines(min, nines);
        while (min <= stop && stop < max) {
            stops.add(stop);
            nines++;
            stop = fillByNines(min, nines);
        }
        int zeros = 1;
        stop = fillByZeros(max + 1, zeros) - 1;
        while (min < stop && stop <= max) {
            stops.add(stop);
            zeros++;
            stop = fillByZeros(max + 1, zeros) - 1;
        }
        return stops;
    }

    private static long fillByNines(long n, int count) {
        String s = Long.toString(n);
        if (count >= s.length()) {
            return Long.parseLong("9".repeat(s.length() == count ? count : count));
        }
        return Long.parseLong(s.substring(0, s.length() - count) + "9".repeat(count));
    }

    private static long fillByZeros(long n, int count) {
        return n - n % pow10(count);
    }

    /** start and stop have the same number of digits here. */
    private static String rangeToPattern(long start, long stop) {
        String a = Long.toString(start);
        String b = Long.toString(stop);
        if (a.length() != b.length()) {
            throw new IllegalStateException("range split failed: " + start + ".." + stop);
        }
        StringBuilder sb = new StringBuilder();
        int anyDigits = 0;
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x == y) {
                sb.append(sb.length() == 0 ? "" : " ").append('"').append(x).append('"');
            } else if (x == '0' && y == '9') {
                anyDigits++;
            } else {
                sb.append(sb.length() == 0 ? "" : " ").append('[').append(x).append('-').append(y).append(']');
            }
        }
        if (anyDigits > 0) {
            sb.append(sb.length() == 0 ? "" : " ").append("[0-9]").append(anyDigits == 1 ? "" : "{" + anyDigits + "}");
        }
        return sb.length() == 0 ? "\"\"" : sb.toString();
    }

    private static long pow10(int k) {
        long p = 1;
        for (int i = 0; i < k; i++) {
            p *= 10;
        }
        return p;
    }
}
