package dev.mcpforge.engine.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Test helper: parses the GBNF subset llama.cpp accepts (rules, alternatives, literals with escapes, character
 * classes with ranges and negation, groups, * + ? {m} {m,} {m,n}), checks well-formedness, matches strings and
 * generates random strings from a grammar.
 */
final class Gbnf {
    sealed interface Node permits Lit, Cls, Ref, Seq, Alt, Rep {
    }

    record Lit(int[] cps) implements Node {
    }

    record Cls(boolean negated, List<int[]> ranges) implements Node {
        boolean matches(int c) {
            boolean in = false;
            for (int[] r : ranges) {
                if (c >= r[0] && c <= r[1]) {
                    in = true;
                    break;
                }
            }
            return in != negated;
        }
    }

    record Ref(String name) implements Node {
    }

    record Seq(List<Node> items) implements Node {
    }

    record Alt(List<Node> alts) implements Node {
    }

    record Rep(Node node, int min, int max) implements Node { // max -1 = unbounded
    }

    final Map<String, Node> rules = new LinkedHashMap<>();
    private final Set<String> referenced = new LinkedHashSet<>();
    private String src;
    private int pos;

    static Gbnf parse(String grammar) {
        Gbnf g = new Gbnf();
        for (String line : grammar.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sep = line.indexOf(" ::= ");
            if (sep <= 0) {
                throw new IllegalArgumentException("not a rule: " + line);
            }
            String name = line.substring(0, sep);
            if (!name.matches("[a-zA-Z0-9-]+")) {
                throw new IllegalArgumentException("bad rule name: " + name);
            }
            if (g.rules.containsKey(name)) {
                throw new IllegalArgumentException("rule defined twice: " + name);
            }
            g.src = line;
            g.pos = sep + 5;
            Node n = g.alternatives();
            g.skipSpace();
            if (g.pos != line.length()) {
                throw new IllegalArgumentException("trailing text at " + g.pos + " in: " + line);
            }
            g.rules.put(name, n);
        }
        if (!g.rules.containsKey("root")) {
            throw new IllegalArgumentException("no root rule");
        }
        for (String r : g.referenced) {
            if (!g.rules.containsKey(r)) {
                throw new IllegalArgumentException("undefined rule: " + r);
            }
        }
        return g;
    }

    Set<String> referenced() {
        return referenced;
    }

    private void skipSpace() {
        while (pos < src.length() && src.charAt(pos) == ' ') {
            pos++;
        }
    }

    private Node alternatives() {
        List<Node> alts = new ArrayList<>();
        alts.add(sequence());
        skipSpace();
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            alts.add(sequence());
            skipSpace();
        }
        return alts.size() == 1 ? alts.get(0) : new Alt(alts);
    }

    private Node sequence() {
        List<Node> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) == '|' || src.charAt(pos) == ')') {
                break;
            }
            Node n = primary();
            skipSpace();
            while (pos < src.length() && "*+?{".indexOf(src.charAt(pos)) >= 0) {
                char q = src.charAt(pos++);
                if (q == '*') {
                    n = new Rep(n, 0, -1);
                } else if (q == '+') {
                    n = new Rep(n, 1, -1);
                } else if (q == '?') {
                    n = new Rep(n, 0, 1);
                } else {
                    int close = src.indexOf('}', pos);
                    String[] parts = src.substring(pos, close).split(",", -1);
                    int min = Integer.parseInt(parts[0].trim());
                    int max = parts.length == 1 ? min : parts[1].isBlank() ? -1 : Integer.parseInt(parts[1].trim());
                    n = new Rep(n, min, max);
                    pos = close + 1;
                }
                skipSpace();
            }
            items.add(n);
        }
        return items.size() == 1 ? items.get(0) : new Seq(items);
    }

    private Node primary() {
        char c = src.charAt(pos);
        if (c == '"') {
            pos++;
            List<Integer> cps = new ArrayList<>();
            while (src.charAt(pos) != '"') {
                cps.add(charOrEscape());
            }
            pos++;
            return new Lit(cps.stream().mapToInt(Integer::intValue).toArray());
        }
        if (c == '[') {
            pos++;
            boolean neg = false;
            if (src.charAt(pos) == '^') {
                neg = true;
                pos++;
            }
            List<int[]> ranges = new ArrayList<>();
            while (src.charAt(pos) != ']') {
                int a = charOrEscape();
                int b = a;
                if (src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                    pos++;
                    b = charOrEscape();
                }
                ranges.add(new int[] {a, b});
            }
            pos++;
            return new Cls(neg, ranges);
        }
        if (c == '(') {
            pos++;
            Node n = alternatives();
            skipSpace();
            if (src.charAt(pos) != ')') {
                throw new IllegalArgumentException("unbalanced ( in: " + src);
            }
            pos++;
            return n;
        }
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '-')) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + pos + " in: " + src);
        }
        String name = src.substring(start, pos);
        referenced.add(name);
        return new Ref(name);
    }

    private int charOrEscape() {
        int c = src.codePointAt(pos);
        pos += Character.charCount(c);
        if (c != '\\') {
            return c;
        }
        char e = src.charAt(pos++);
        switch (e) {
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'x': pos += 2; return Integer.parseInt(src.substring(pos - 2, pos), 16);
            case 'u': pos += 4; return Integer.parseInt(src.substring(pos - 4, pos), 16);
            default: return e;
        }
    }

    // ---- matching

    boolean matches(String text) {
        int[] in = text.codePoints().toArray();
        Map<Long, Set<Integer>> memo = new HashMap<>();
        return ends(new Ref("root"), in, 0, memo).contains(in.length);
    }

    private Set<Integer> ends(Node n, int[] in, int p, Map<Long, Set<Integer>> memo) {
        Set<Integer> out = new LinkedHashSet<>();
        if (n instanceof Lit l) {
            if (p + l.cps().length <= in.length) {
                for (int i = 0; i < l.cps().length; i++) {
                    if (in[p + i] != l.cps()[i]) {
                        return out;
                    }
                }
                out.add(p + l.cps().length);
            }
        } else if (n instanceof Cls c) {
            if (p < in.length && c.matches(in[p])) {
                out.add(p + 1);
            }
        } else if (n instanceof Ref r) {
            long key = ((long) r.name().hashCode() << 32) ^ p;
            Set<Integer> m = memo.get(key);
            if (m == null) {
                memo.put(key, Set.of());
                m = ends(rules.get(r.name()), in, p, memo);
                memo.put(key, m);
            }
            out.addAll(m);
        } else if (n instanceof Seq s) {
            Set<Integer> cur = Set.of(p);
            for (Node item : s.items()) {
                Set<Integer> next = new LinkedHashSet<>();
                for (int q : cur) {
                    next.addAll(ends(item, in, q, memo));
                }
                cur = next;
                if (cur.isEmpty()) {
                    break;
                }
            }
            out.addAll(cur);
        } else if (n instanceof Alt a) {
            for (Node alt : a.alts()) {
                out.addAll(ends(alt, in, p, memo));
            }
        } else if (n instanceof Rep r) {
            Set<Integer> cur = Set.of(p);
            if (r.min() == 0) {
                out.add(p);
            }
            for (int k = 1; r.max() < 0 || k <= r.max(); k++) {
                Set<Integer> next = new LinkedHashSet<>();
                for (int q : cur) {
                    for (int e : ends(r.node(), in, q, memo)) {
                        if (e > q || r.max() >= 0) {
                            next.add(e);
                        }
                    }
                }
                if (next.isEmpty() || (r.max() < 0 && k > in.length + 1)) {
                    break;
                }
                cur = next;
                if (k >= r.min()) {
                    out.addAll(cur);
                }
            }
        }
        return out;
    }

    // ---- generation

    private Map<String, Integer> minLen;

    String generate(Random rnd) {
        if (minLen == null) {
            computeMinLengths();
        }
        StringBuilder sb = new StringBuilder();
        gen(new Ref("root"), rnd, sb, 0);
        return sb.toString();
    }

    private void computeMinLengths() {
        minLen = new HashMap<>();
        rules.keySet().forEach(k -> minLen.put(k, 1_000_000));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, Node> e : rules.entrySet()) {
                int v = min(e.getValue());
                if (v < minLen.get(e.getKey())) {
                    minLen.put(e.getKey(), v);
                    changed = true;
                }
            }
        }
    }

    private int min(Node n) {
        if (n instanceof Lit l) {
            return l.cps().length;
        } else if (n instanceof Cls) {
            return 1;
        } else if (n instanceof Ref r) {
            return minLen.get(r.name());
        } else if (n instanceof Seq s) {
            return Math.min(1_000_000, s.items().stream().mapToInt(this::min).sum());
        } else if (n instanceof Alt a) {
            return a.alts().stream().mapToInt(this::min).min().orElse(0);
        } else {
            Rep r = (Rep) n;
            return Math.min(1_000_000, r.min() * min(r.node()));
        }
    }

    private static final String POOL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ./_-:\"\\{}[]<>|\u00e9\u4e2d\n";

    private void gen(Node n, Random rnd, StringBuilder sb, int depth) {
        boolean deep = depth > 12;
        if (n instanceof Lit l) {
            for (int c : l.cps()) {
                sb.appendCodePoint(c);
            }
        } else if (n instanceof Cls c) {
            if (!c.negated()) {
                int[] r = c.ranges().get(rnd.nextInt(c.ranges().size()));
                sb.appendCodePoint(r[0] + rnd.nextInt(r[1] - r[0] + 1));
            } else {
                while (true) {
                    int ch = POOL.codePointAt(rnd.nextInt(POOL.length()));
                    if (c.matches(ch)) {
                        sb.appendCodePoint(ch);
                        break;
                    }
                }
            }
        } else if (n instanceof Ref r) {
            gen(rules.get(r.name()), rnd, sb, depth + 1);
        } else if (n instanceof Seq s) {
            for (Node item : s.items()) {
                gen(item, rnd, sb, depth);
            }
        } else if (n instanceof Alt a) {
            Node pick;
            if (deep) {
                pick = a.alts().stream().min((x, y) -> Integer.compare(min(x), min(y))).orElseThrow();
            } else {
                pick = a.alts().get(rnd.nextInt(a.alts().size()));
            }
            gen(pick, rnd, sb, depth);
        } else {
            Rep r = (Rep) n;
            int count = r.min();
            int cap = r.max() < 0 ? (deep ? r.min() : r.min() + 6) : r.max();
            while (count < cap && rnd.nextInt(3) != 0) {
                count++;
            }
            for (int i = 0; i < count; i++) {
                gen(r.node(), rnd, sb, depth + 1);
            }
        }
    }
}
