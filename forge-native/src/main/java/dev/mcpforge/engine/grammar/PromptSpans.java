package dev.mcpforge.engine.grammar;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spans of a user's message that a tool call is likely to copy verbatim into a string argument: quoted text
 * ({@code "…"}, {@code “…”}, {@code `…`}, and {@code '…'} when the quotes are not apostrophes inside a word) and
 * path-like tokens (a whitespace-separated token that contains {@code /} or an inner {@code .}, such as
 * {@code /var/log/syslog}, {@code notes.txt} or a URL; surrounding brackets and sentence punctuation are trimmed, and
 * {@code key=value} yields the value). Numbers are not spans: numeric arguments keep their schema rule.
 * Used by the span grammar ({@link ToolCallGrammar.Options#spans()}). Hand-written: a few regular expressions, no
 * library extracts "copyable spans".
 */
public final class PromptSpans {
    /** At most this many spans per message (a grammar alternative each). */
    public static final int MAX_SPANS = 32;
    /** Longer spans are left out. */
    public static final int MAX_LENGTH = 200;

    private static final Pattern QUOTED = Pattern.compile(
            "\"([^\"\\n]+)\"|“([^”\\n]+)”|`([^`\\n]+)`|(?<![\\p{L}\\p{N}])'((?:[^'\\n]|(?<=\\p{L})'(?=\\p{L}))+)'(?![\\p{L}\\p{N}])|‘([^’\\n]+)’");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+([.,]\\d+)*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final String LEADING = "([{<\"'“‘`";
    private static final String TRAILING = ".,;:!?)]}>\"'”’`";

    private PromptSpans() {
    }

    /** The spans of {@code text} in order of appearance, without duplicates (quoted spans first). */
    public static List<String> extract(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    add(out, m.group(g).strip());
                }
            }
        }
        for (String raw : text.split("\\s+")) {
            String tok = raw;
            int eq = tok.indexOf('=');
            int slash = tok.indexOf('/');
            if (eq >= 0 && (slash < 0 || eq < slash)) {
                tok = tok.substring(eq + 1); // path=/tmp/x -> /tmp/x (but a URL's query keeps its '=')
            }
            tok = trim(tok);
            if (pathLike(tok)) {
                add(out, tok);
            }
        }
        List<String> list = new ArrayList<>(out);
        return list.size() > MAX_SPANS ? List.copyOf(list.subList(0, MAX_SPANS)) : List.copyOf(list);
    }

    private static void add(Set<String> out, String s) {
        if (!s.isEmpty() && s.length() <= MAX_LENGTH && !NUMBER.matcher(s).matches()) {
            out.add(s);
        }
    }

    private static String trim(String tok) {
        int a = 0;
        int b = tok.length();
        while (a < b && LEADING.indexOf(tok.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && TRAILING.indexOf(tok.charAt(b - 1)) >= 0) {
            b--;
        }
        return tok.substring(a, b);
    }

    private static boolean pathLike(String tok) {
        if (tok.length() < 2 || NUMBER.matcher(tok).matches() || tok.chars().noneMatch(Character::isLetterOrDigit)) {
            return false;
        }
        if (tok.indexOf('/') >= 0) {
            return true;
        }
        int dot = tok.indexOf('.', 1);
        return dot > 0 && dot < tok.length() - 1;
    }
}
