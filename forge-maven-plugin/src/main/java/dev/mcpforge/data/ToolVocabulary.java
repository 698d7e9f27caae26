package dev.mcpforge.data;

import dev.mcpforge.tools.ToolDefinition;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Words a user would use for a tool, taken from its name ({@code read_text_file} → "read the text file",
 * {@code get-env} → "get the env") and the first sentence of its description.
 */
public record ToolVocabulary(String tool, String verb, String object, String action, String purpose,
                             Set<String> words) {

    private static final Set<String> VERBS = Set.of("read", "write", "get", "list", "create", "delete", "search",
            "move", "edit", "add", "update", "query", "convert", "open", "find", "fetch", "set", "remove", "show",
            "run", "start", "stop", "echo", "toggle", "trigger", "simulate", "clone", "commit", "push", "pull", "merge",
            "checkout", "diff", "log", "reset", "tag", "init", "rebase", "stash", "clean", "describe",
            "count", "calculate", "compute", "send", "check", "analyze", "generate", "download", "upload", "insert",
            "make", "build", "copy", "rename", "sort", "filter", "compare", "lookup", "translate", "gzip", "blame",
            "cherry", "wrapup");
    private static final Set<String> STOP = Set.of("the", "a", "an", "of", "to", "and", "or", "for", "in", "on",
            "with", "by", "from", "is", "as", "at", "this", "that", "it", "be", "use", "get", "tool", "returns", "only",
            "all", "any", "into", "its", "are", "can", "will");

    public static ToolVocabulary of(ToolDefinition t) {
        List<String> parts = split(t.name());
        String verb;
        List<String> rest;
        if (!parts.isEmpty() && VERBS.contains(parts.get(0))) {
            verb = parts.get(0);
            rest = parts.subList(1, parts.size());
        } else if (parts.size() > 1 && VERBS.contains(parts.get(1))) {
            // git_commit -> "commit with git", git_cherry_pick -> "cherry pick with git"
            verb = parts.get(1);
            String rest2 = String.join(" ", parts.subList(2, parts.size()));
            String action = verb + (rest2.isEmpty() ? "" : " " + rest2) + " with " + parts.get(0);
            return build(t, verb, rest2, action, parts);
        } else {
            verb = "use";
            rest = parts;
        }
        String object = String.join(" ", rest);
        String action = verb.equals("use") ? "use " + (object.isEmpty() ? t.name() : object)
                : verb + (object.isEmpty() ? "" : " the " + object);
        return build(t, verb, object, action, parts);
    }

    private static ToolVocabulary build(ToolDefinition t, String verb, String object, String action, List<String> parts) {
        String purpose = firstSentence(t.description());
        Set<String> words = new LinkedHashSet<>();
        for (String w : (t.name() + " " + purpose).toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (w.length() > 2 && !STOP.contains(w)) {
                words.add(w);
            }
        }
        return new ToolVocabulary(t.name(), verb, object, action, purpose, words);
    }

    /** {@code read_text_file}, {@code getEnv}, {@code get-env} → lower-case words. */
    public static List<String> split(String name) {
        List<String> out = new ArrayList<>();
        for (String p : name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").split("[^A-Za-z0-9]+")) {
            if (!p.isEmpty()) {
                out.add(p.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** Third-person verb to its base form: returns -> return, searches -> search, copies -> copy. */
    static String imperative(String w) {
        if (w.length() < 4 || !w.chars().allMatch(Character::isLowerCase) || w.endsWith("ss") || w.endsWith("us")
                || w.endsWith("is") || !w.endsWith("s")) {
            return w;
        }
        if (w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("sses") || w.endsWith("xes") || w.endsWith("oes")) {
            return w.substring(0, w.length() - 2);
        }
        return w.substring(0, w.length() - 1);
    }

    /** A parameter name as words: {@code filePath} → "file path". */
    public static String label(String key) {
        return String.join(" ", split(key));
    }

    /** The description's first sentence, lower-cased first letter, no final period, at most 140 chars; or "". */
    static String firstSentence(String description) {
        String d = description == null ? "" : description.strip();
        int nl = d.indexOf('\n');
        if (nl > 0) {
            d = d.substring(0, nl);
        }
        int dot = d.indexOf(". ");
        if (dot > 0) {
            d = d.substring(0, dot);
        }
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.length() > 140) {
            int sp = d.lastIndexOf(' ', 140);
            d = d.substring(0, sp > 40 ? sp : 140);
        }
        if (d.length() > 1 && Character.isUpperCase(d.charAt(0)) && !Character.isUpperCase(d.charAt(1))) {
            d = Character.toLowerCase(d.charAt(0)) + d.substring(1);
        }
        // "Returns the ..." -> "return the ...", so that "I want to {purpose}" reads well
        int sp = d.indexOf(' ');
        String w = sp < 0 ? d : d.substring(0, sp);
        String base = imperative(w);
        if (!base.equals(w)) {
            d = base + d.substring(w.length());
        }
        return d;
    }
}
