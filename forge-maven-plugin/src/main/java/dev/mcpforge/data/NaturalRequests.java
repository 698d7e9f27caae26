package dev.mcpforge.data;

import dev.mcpforge.tools.ToolDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User requests the way people write them, for any toolset: everyday verbs instead of the tool's name words
 * ("open", "pull up", "what's in ..." for a read-like tool), a shortened or dropped object, and argument values
 * written bare where a person would ({@code in notes/todo.md}, {@code to archive/2026}, {@code first 3 lines}).
 * Nothing here knows a particular server: the verb class comes from the tool name's verb (or the description's
 * first verb), roles of arguments from their names, types and descriptions. Every user-supplied string, number and
 * scalar-array value still appears verbatim in the text; objects and arrays of objects keep their JSON form.
 *
 * <p>Hand-written because it is a small phrase table tuned to what a tiny model must learn; no NLG library
 * offers verb classes for tool calls.</p>
 */
final class NaturalRequests {

    private NaturalRequests() {
    }

    /** What a tool does, as far as the wording of a request is concerned. */
    enum Kind { READ, LIST, INFO, SEARCH, CREATE, WRITE, EDIT, DELETE, MOVE, RUN, OTHER }

    private record Verb(Kind kind, List<String> alternatives) {
    }

    private static final Map<String, Verb> VERBS = new HashMap<>();

    private static void verb(String v, Kind k, String... alternatives) {
        VERBS.put(v, new Verb(k, List.of(alternatives)));
    }

    static {
        verb("read", Kind.READ, "open", "show me", "display", "print", "view", "look at", "pull up", "dump",
                "bring up", "check");
        verb("open", Kind.READ, "show me", "pull up", "display", "view", "bring up", "look at");
        verb("view", Kind.READ, "show me", "open", "display", "look at", "pull up");
        verb("show", Kind.INFO, "display", "give me", "let me see", "pull up", "tell me");
        verb("display", Kind.INFO, "show me", "give me", "pull up");
        verb("describe", Kind.INFO, "tell me about", "explain", "show me", "give me the details of");
        verb("get", Kind.INFO, "fetch", "tell me", "give me", "show me", "look up", "find out", "grab");
        verb("retrieve", Kind.INFO, "get", "fetch", "give me", "show me", "look up");
        verb("fetch", Kind.INFO, "get", "grab", "download", "bring in");
        verb("lookup", Kind.INFO, "look up", "find", "check");
        verb("check", Kind.INFO, "look at", "verify", "inspect", "see");
        verb("list", Kind.LIST, "show", "show me", "enumerate", "display", "give me", "go through");
        verb("search", Kind.SEARCH, "look for", "find", "check for", "hunt for", "scan for", "search for");
        verb("find", Kind.SEARCH, "look for", "locate", "search for", "track down", "hunt for");
        verb("filter", Kind.SEARCH, "narrow down", "pick out", "select");
        verb("query", Kind.RUN, "run", "execute");
        verb("create", Kind.CREATE, "make", "set up", "add", "build");
        verb("make", Kind.CREATE, "create", "set up", "build", "put together");
        verb("add", Kind.CREATE, "put in", "include", "attach", "insert");
        verb("insert", Kind.CREATE, "add", "put in", "put");
        verb("init", Kind.CREATE, "initialize", "set up", "start");
        verb("generate", Kind.CREATE, "produce", "make", "create", "come up with");
        verb("build", Kind.CREATE, "make", "put together", "assemble");
        verb("write", Kind.WRITE, "save", "put", "store", "write out", "dump");
        verb("set", Kind.WRITE, "change", "switch", "configure", "point");
        verb("upload", Kind.WRITE, "send up", "put", "push up");
        verb("edit", Kind.EDIT, "change", "modify", "tweak", "fix up", "adjust");
        verb("update", Kind.EDIT, "change", "modify", "refresh", "adjust");
        verb("delete", Kind.DELETE, "remove", "get rid of", "erase", "drop", "wipe");
        verb("remove", Kind.DELETE, "delete", "get rid of", "take out", "drop");
        verb("clean", Kind.DELETE, "clean up", "tidy up", "clear out");
        verb("move", Kind.MOVE, "rename", "relocate", "shift", "transfer");
        verb("rename", Kind.MOVE, "move", "relabel");
        verb("copy", Kind.MOVE, "duplicate", "clone");
        verb("run", Kind.RUN, "execute", "kick off", "start", "launch");
        verb("start", Kind.RUN, "launch", "kick off", "begin", "fire up");
        verb("stop", Kind.RUN, "halt", "end", "shut down");
        verb("trigger", Kind.RUN, "fire", "kick off", "start", "set off");
        verb("simulate", Kind.RUN, "fake", "mock up", "play through");
        verb("toggle", Kind.RUN, "switch", "flip", "turn on or off");
        verb("echo", Kind.RUN, "repeat", "say back", "echo back", "mirror");
        verb("convert", Kind.RUN, "change", "turn", "translate", "switch");
        verb("translate", Kind.RUN, "convert", "put", "turn");
        verb("calculate", Kind.INFO, "work out", "figure out", "compute", "tell me");
        verb("compute", Kind.INFO, "work out", "calculate", "figure out");
        verb("count", Kind.INFO, "tally", "tell me how many", "add up");
        verb("compare", Kind.INFO, "diff", "contrast", "check the difference between");
        verb("diff", Kind.INFO, "compare", "show the differences of");
        verb("analyze", Kind.INFO, "look into", "examine", "inspect", "review");
        verb("send", Kind.RUN, "deliver", "post", "shoot over", "dispatch");
        verb("download", Kind.INFO, "fetch", "grab", "pull down", "get");
        verb("sort", Kind.RUN, "order", "arrange", "rank");
        verb("merge", Kind.RUN, "combine", "integrate", "join");
        verb("commit", Kind.WRITE, "check in", "record", "save");
        verb("push", Kind.RUN, "upload", "send up", "publish");
        verb("pull", Kind.RUN, "bring in", "grab", "sync");
        verb("clone", Kind.MOVE, "copy", "duplicate", "make a copy of");
        verb("log", Kind.LIST, "show", "show me the history of", "list");
        verb("stash", Kind.WRITE, "shelve", "put aside", "set aside");
        verb("reset", Kind.EDIT, "revert", "roll back", "restore");
        verb("checkout", Kind.MOVE, "switch to", "check out", "go to");
    }

    /** Verb classes whose everyday verb names the action on a path by itself ("open x", "make x", "delete x"). */
    private static final Set<Kind> DROPPABLE = Set.of(Kind.READ, Kind.LIST, Kind.CREATE, Kind.DELETE, Kind.MOVE,
            Kind.EDIT, Kind.WRITE);
    private static final List<String> PREPOSITIONS = List.of(" with ", " of ", " for ", " in ", " from ", " to ",
            " as ", " by ", " on ", " between ", " about ", " and ", " or ", ", ");
    private static final Pattern UNIT = Pattern.compile("(?i)\\b(?:first|last|top)\\s+N\\s+([a-z]+)");

    /**
     * The tools whose requests must name their object in full: several tools share a verb class and main argument
     * ({@code list_directory}, {@code list_directory_with_sizes} and {@code directory_tree} are all "what's in X?";
     * an array argument counts as its singular, see {@link #singular}),
     * and only one of them, the plainest (not deprecated, fewest object words, first declared), may be asked for
     * in words that fit them all. Without this the same everyday request would be labelled with different tools.
     */
    static Set<String> mustQualify(List<ToolDefinition> tools) {
        Map<String, List<ToolDefinition>> groups = new java.util.LinkedHashMap<>();
        for (ToolDefinition t : tools) {
            ToolVocabulary v = ToolVocabulary.of(t);
            if (canonicalVerb(v) == null) {
                continue;
            }
            List<String> req = t.requiredArguments();
            String mainKey = !req.isEmpty() ? req.get(0) : t.inputSchema().path("properties").propertyNames().stream()
                    .findFirst().orElse("");
            groups.computeIfAbsent(kind(v) + "|" + singular(t, mainKey), k -> new ArrayList<>()).add(t);
        }
        Set<String> out = new java.util.TreeSet<>();
        for (List<ToolDefinition> g : groups.values()) {
            if (g.size() < 2) {
                continue;
            }
            ToolDefinition plain = null;
            int best = Integer.MAX_VALUE;
            for (ToolDefinition t : g) {
                int words = ToolVocabulary.of(t).object().split(" ").length + (t.deprecated() ? 100 : 0);
                if (words < best) {
                    best = words;
                    plain = t;
                }
            }
            for (ToolDefinition t : g) {
                if (t != plain) {
                    out.add(t.name());
                }
            }
        }
        return out;
    }

    /**
     * The tools whose description may not word a request: the first sentence of a sibling's description starts with
     * theirs ({@code list_directory}: "Get a detailed listing of all files and directories in a specified path";
     * {@code list_directory_with_sizes}: the same "..., including sizes"), so "I want to get a detailed listing of
     * all files and directories in a specified path" would be labelled with either. Compared lower-case, without
     * trailing punctuation; equal descriptions exclude both tools.
     */
    static Set<String> sharedPurpose(List<ToolDefinition> tools) {
        Map<String, String> purposes = new java.util.LinkedHashMap<>();
        for (ToolDefinition t : tools) {
            String p = ToolVocabulary.of(t).purpose().toLowerCase(Locale.ROOT).replaceAll("[\\s.;:,!]+$", "").strip();
            if (!p.isEmpty()) {
                purposes.put(t.name(), p);
            }
        }
        Set<String> out = new java.util.TreeSet<>();
        purposes.forEach((a, pa) -> purposes.forEach((b, pb) -> {
            if (!a.equals(b) && pb.startsWith(pa)) {
                out.add(a);
            }
        }));
        return out;
    }

    /**
     * The main argument's key as a role: an array's plural key in the singular ({@code paths} → {@code path}), so
     * that a tool taking several values of what a sibling takes one of is in the sibling's group:
     * {@code read_multiple_files} asked with one path in everyday words ("just view a.java") would read exactly like
     * {@code read_text_file}'s request.
     */
    static String singular(ToolDefinition t, String key) {
        boolean array = "array".equals(t.inputSchema().path("properties").path(key).path("type").asString(""));
        return array && key.length() > 3 && key.endsWith("s") ? key.substring(0, key.length() - 1) : key;
    }

    /** The verb the wording is based on: the name's verb, else the description's first word when it is one. */
    static String canonicalVerb(ToolVocabulary v) {
        if (VERBS.containsKey(v.verb())) {
            return v.verb();
        }
        String p = v.purpose();
        int sp = p.indexOf(' ');
        String first = (sp < 0 ? p : p.substring(0, sp)).toLowerCase(Locale.ROOT);
        return VERBS.containsKey(first) ? first : null;
    }

    static Kind kind(ToolVocabulary v) {
        String c = canonicalVerb(v);
        if (c == null) {
            return Kind.OTHER;
        }
        Kind k = VERBS.get(c).kind();
        String p = " " + v.purpose().toLowerCase(Locale.ROOT) + " ";
        if (k == Kind.INFO && (p.contains(" list") || p.contains(" tree ") || p.contains(" listing"))) {
            return Kind.LIST;
        }
        return k;
    }

    /** Everyday alternatives for the tool's verb (empty when the verb is not in the table). */
    static List<String> alternatives(ToolVocabulary v) {
        String c = canonicalVerb(v);
        return c == null ? List.of() : VERBS.get(c).alternatives();
    }

    /** A verb for the request: usually an everyday alternative, sometimes the canonical verb itself. */
    static String verbPhrase(ToolVocabulary v, Random r) {
        String c = canonicalVerb(v);
        if (c == null) {
            return v.verb();
        }
        List<String> alt = VERBS.get(c).alternatives();
        return r.nextInt(5) == 0 ? c : ValuePools.pick(alt, r);
    }

    /** The object's head noun: "text file" → "file", "directory with sizes" → "directory". */
    static String head(String object) {
        String o = " " + object + " ";
        int cut = o.length();
        for (String p : PREPOSITIONS) {
            int i = o.indexOf(p);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        String before = o.substring(0, cut).strip();
        int sp = before.lastIndexOf(' ');
        return sp < 0 ? before : before.substring(sp + 1);
    }

    /**
     * The object as a user names it: in full, only its head noun, or (when {@code mayDrop}) nothing; always in full
     * when {@code qualify} (a sibling tool has the same head noun: "the media file" must not become "the file").
     */
    static String objectPhrase(ToolVocabulary v, Random r, boolean mayDrop, boolean qualify) {
        String object = v.object();
        if (object.isBlank()) {
            return "";
        }
        if (qualify) {
            return "the " + object;
        }
        int k = r.nextInt(mayDrop ? 5 : 3);
        return switch (k) {
            case 0 -> "the " + object;
            case 1, 2 -> "the " + noun(head(object), r);
            default -> "";
        };
    }

    private static final Map<String, List<String>> NOUNS = Map.of("directory", List.of("folder", "dir"),
            "directories", List.of("folders"), "repository", List.of("repo"), "records", List.of("rows", "entries"),
            "record", List.of("row", "entry"), "entities", List.of("entries"), "image", List.of("picture"),
            "message", List.of("note"), "documents", List.of("docs"));

    /** A common noun, sometimes replaced by an everyday one ("directory" → "folder"). */
    static String noun(String n, Random r) {
        List<String> alt = NOUNS.get(n);
        return alt == null || r.nextInt(3) != 0 ? n : ValuePools.pick(alt, r);
    }

    /** The thing the description says the tool gives: "retrieve detailed metadata about ..." → "metadata"; or "". */
    static String purposeNoun(ToolVocabulary v) {
        String p = v.purpose();
        int sp = p.indexOf(' ');
        if (sp < 0) {
            return "";
        }
        String h = head(p.substring(sp + 1));
        return h.matches("[a-z]{4,}") && !h.equals("information") ? h : "";
    }

    /** The tool's action with an everyday verb and maybe a shorter object ("open the file"), for old templates. */
    static String action(ToolVocabulary v, boolean qualify, Random r) {
        if (canonicalVerb(v) == null) {
            return v.action();
        }
        if (v.object().isBlank()) {
            return v.action();
        }
        String o = objectPhrase(v, r, false, qualify);
        return verbPhrase(v, r) + " " + o;
    }

    // ---- argument roles -------------------------------------------------------------------------------------

    static boolean pathLike(String key, JsonNode val) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.contains("path") || k.contains("file") || k.contains("dir") || k.contains("folder")) {
            return true;
        }
        return val.isString() && (val.asString().contains("/") || val.asString().matches("[\\w-]+\\.[A-Za-z]{1,5}"));
    }

    static boolean destinationLike(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.startsWith("dest") || k.startsWith("target") || k.equals("to") || k.startsWith("output")
                || k.startsWith("new") || k.endsWith("destination");
    }

    static boolean sourceLike(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.startsWith("source") || k.equals("src") || k.startsWith("from") || k.startsWith("old")
                || k.equals("origin");
    }

    static boolean queryLike(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("pattern") || k.contains("query") || k.contains("search") || k.contains("keyword")
                || k.equals("term") || k.contains("regex") || k.equals("grep") || k.equals("q");
    }

    static boolean contentLike(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("content") || k.equals("contents") || k.equals("text") || k.equals("body")
                || k.equals("message");
    }

    /** A value that can be named in the sentence: a string or a non-empty array of scalars. */
    static boolean nameable(JsonNode val) {
        if (val.isString()) {
            return true;
        }
        if (val.isArray() && !val.isEmpty()) {
            for (JsonNode x : val) {
                if (x.isContainer()) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Safe to write without quotes: one token, no quote characters, no sentence punctuation at its end. */
    static boolean bareSafe(String s) {
        return !s.isEmpty() && s.length() <= 80 && !s.matches(".*[\\s\"'`].*") && !s.matches(".*[.,;:!?)]$")
                && !s.startsWith("(");
    }

    /** A value as people type it: bare when safe (mostly), else in single or double quotes; verbatim inside. */
    static String show(JsonNode val, Random r) {
        if (val.isString()) {
            String s = val.asString();
            if (bareSafe(s) && r.nextInt(5) != 0) {
                return s;
            }
            if (s.indexOf('"') < 0 && (s.indexOf('\'') >= 0 || r.nextBoolean())) {
                return "\"" + s + "\"";
            }
            if (s.indexOf('\'') < 0) {
                return "'" + s + "'";
            }
            return Phrasing.literal(val);
        }
        if (val.isArray() && nameable(val)) {
            List<String> items = new ArrayList<>();
            boolean quote = r.nextInt(4) == 0;
            for (JsonNode x : val) {
                items.add(x.isString() && !quote ? show(x, r) : Phrasing.literal(x));
            }
            return items.size() == 2 && r.nextBoolean() ? "both " + Phrasing.join(items) : Phrasing.join(items);
        }
        return Phrasing.literal(val);
    }

    /** One remaining argument in everyday words ("first 3 lines", "sort by size", "to docs"), verbatim value. */
    static String extra(String key, JsonNode val, JsonNode prop, Random r) {
        String label = ToolVocabulary.label(key);
        if (val.isBoolean()) {
            if (r.nextBoolean()) {
                return Phrasing.mention(key, val, r.nextInt(4), r);
            }
            return val.asBoolean() ? ValuePools.pick(List.of("with " + label, label + " on", "with " + label
                    + " turned on"), r) : ValuePools.pick(List.of("without " + label, label + " off", "no " + label), r);
        }
        if (val.isNumber()) {
            String n = Phrasing.literal(val);
            String k = key.toLowerCase(Locale.ROOT);
            String unit = unit(prop);
            if (val.isIntegralNumber() && (k.equals("head") || k.equals("first") || k.equals("top"))) {
                return ValuePools.pick(List.of("first " + n + unit, "just the first " + n + unit, "top " + n + unit), r);
            }
            if (val.isIntegralNumber() && (k.equals("tail") || k.equals("last"))) {
                return ValuePools.pick(List.of("last " + n + unit, "only the last " + n + unit), r);
            }
            if (val.isIntegralNumber() && label.startsWith("max ") && label.length() > 4 && !label.endsWith(" count")) {
                String what = label.substring(4);
                return ValuePools.pick(List.of("at most " + n + " " + what, "up to " + n + " " + what,
                        "no more than " + n + " " + what), r);
            }
            if (val.isIntegralNumber() && (k.equals("limit") || k.startsWith("max") || k.equals("count"))) {
                return ValuePools.pick(List.of("limit " + n, "at most " + n, "up to " + n), r);
            }
            return ValuePools.pick(List.of(label + " " + n, label + " of " + n, Phrasing.mention(key, val,
                    r.nextInt(4), r)), r);
        }
        if (val.isString()) {
            if (destinationLike(key)) {
                return ValuePools.pick(List.of("to ", "into "), r) + show(val, r);
            }
            if (sourceLike(key)) {
                return "from " + show(val, r);
            }
            if (queryLike(key)) {
                return ValuePools.pick(List.of("matching ", "for "), r) + show(val, r);
            }
            if (pathLike(key, val)) {
                return ValuePools.pick(List.of("in ", "at ", "under "), r) + show(val, r);
            }
            return r.nextInt(3) == 0 ? Phrasing.mention(key, val, r.nextInt(4), r) : label + " " + show(val, r);
        }
        if (nameable(val)) {
            if (label.startsWith("exclude ") || label.startsWith("include ") || label.startsWith("ignore ")) {
                return label.substring(0, label.indexOf(' ') - 1) + "ing " + show(val, r);
            }
            return label + " " + show(val, r);
        }
        return Phrasing.mention(key, val, r.nextInt(4), r);
    }

    /** "first 3 lines" / "last 2 lines" for an integer head/tail-like argument whose description names a unit. */
    static String slice(String key, JsonNode val, JsonNode prop) {
        String k = key.toLowerCase(Locale.ROOT);
        String unit = unit(prop);
        if (!val.isIntegralNumber() || unit.isEmpty()) {
            return null;
        }
        String n = Phrasing.literal(val);
        if (k.equals("head") || k.equals("first") || k.equals("top")) {
            return "first " + n + unit;
        }
        return k.equals("tail") || k.equals("last") ? "last " + n + unit : null;
    }

    private static String unit(JsonNode prop) {
        if (prop == null) {
            return "";
        }
        Matcher m = UNIT.matcher(prop.path("description").asString(""));
        return m.find() ? " " + m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    private static List<String> extraParts(List<String> keys, ObjectNode args, JsonNode props, Random r) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            parts.add(extra(k, args.get(k), props == null ? null : props.get(k), r));
        }
        return parts;
    }

    /** The remaining arguments as a clause to append: ", first 3 lines and sort by size" or " (...)"; or "". */
    private static String clause(List<String> parts, Random r) {
        if (parts.isEmpty()) {
            return "";
        }
        return r.nextInt(5) == 0 ? " (" + String.join(", ", parts) + ")" : ", " + Phrasing.join(parts);
    }

    // ---- sentences -------------------------------------------------------------------------------------------

    private static final List<String> ASK = List.of("", "", "", "can you ", "could you ", "please ", "I need you to ",
            "I'd like you to ", "would you ", "go ahead and ", "just ");

    /** An imperative with a random frame ("can you ...?", "please ....", bare). */
    private static String imperative(String core, Random r) {
        String frame = ValuePools.pick(ASK, r);
        boolean q = frame.startsWith("can") || frame.startsWith("could") || frame.startsWith("would");
        return frame + core + (q ? "?" : ValuePools.pick(List.of(".", ".", ""), r));
    }

    private static String dash(Random r) {
        return ValuePools.pick(List.of(" — ", " - ", ": "), r);
    }

    private static String noMe(String verb, ToolVocabulary v) {
        return verb.endsWith(" me") || verb.contains(" up") || verb.contains(" out") || verb.contains(" down")
                ? (canonicalVerb(v) == null ? v.verb() : canonicalVerb(v)) : verb;
    }

    /**
     * A natural request for a call with {@code args}, or null when this tool gives no handle for one (no verb in
     * the table and nothing to name); the caller then uses a template.
     *
     * @param props the schema's {@code properties} (for parameter descriptions), may be null
     */
    static String request(ToolVocabulary v, JsonNode props, ObjectNode args, boolean qualify, Random r) {
        if (canonicalVerb(v) == null) {
            return null;
        }
        Kind kind = kind(v);
        List<String> keys = new ArrayList<>(args.propertyNames());
        String main = mainArgument(kind, keys, args, props);
        String verb = verbPhrase(v, r);
        Core core = qualify ? null : switch (kind) {
            case MOVE -> move(keys, args, verb, r);
            case SEARCH -> search(keys, args, verb, main, r);
            case WRITE -> write(v, keys, args, verb, main, r);
            default -> null;
        };
        if (core != null) {
            List<String> rest = new ArrayList<>(keys);
            rest.removeAll(core.used());
            String x = clause(extraParts(rest, args, props, r), r);
            String t = core.text();
            if (t.endsWith("?") || t.endsWith(".")) {
                return t.substring(0, t.length() - 1) + x + t.charAt(t.length() - 1);
            }
            return imperative(t + x, r);
        }
        if (main != null) {
            String m = show(args.get(main), r);
            boolean path = pathLike(main, args.get(main));
            List<String> rest = new ArrayList<>(keys);
            rest.remove(main);
            // "show me the first 3 lines of notes/todo.md": a head/tail count leads when the verb reads or lists
            for (String k : rest) {
                String sl = slice(k, args.get(k), props == null ? null : props.get(k));
                if (sl != null && (kind == Kind.READ || kind == Kind.LIST) && !qualify && r.nextBoolean()) {
                    rest.remove(k);
                    List<String> others = extraParts(rest, args, props, r);
                    return imperative(verb + " the " + sl + " of " + m + clause(others, r), r);
                }
            }
            List<String> parts = extraParts(rest, args, props, r);
            String x = clause(parts, r);
            String q = qualify ? null : question(kind, v, m, x, path, r);
            if (q != null && r.nextInt(5) < 2) {
                return q;
            }
            // a path names the thing by itself ("open notes/todo.md"); other values need the object ("the
            // timestamp for ...", "the schema of invoices")
            boolean dropOk = !qualify && path && DROPPABLE.contains(kind)
                    && VERBS.get(canonicalVerb(v)).kind() == kind;
            String o = objectPhrase(v, r, dropOk, qualify);
            if (kind == Kind.EDIT && !parts.isEmpty() && r.nextBoolean()) {
                return "in " + m + ", " + verb + " " + (o.isEmpty() ? "the " + head(v.object()) : o) + ": "
                        + Phrasing.join(parts) + ".";
            }
            int t = o.isEmpty() ? (dropOk ? r.nextInt(3) : 0) : dropOk ? r.nextInt(5) : 3;
            return switch (t) {
                case 0, 1 -> imperative(verb + " " + m + x, r);
                case 2 -> m + dash(r) + imperative(noMe(verb, v) + (args.get(main).isArray() ? " them" : " it") + x, r);
                default -> imperative(verb + " " + o + " " + preposition(kind, path, r) + m + x, r);
            };
        }
        List<String> parts = extraParts(keys, args, props, r);
        String x = clause(parts, r);
        String o = v.object().isBlank() ? "" : r.nextBoolean() || qualify ? "the " + v.object()
                : "the " + head(v.object());
        if (keys.isEmpty() && !o.isEmpty() && r.nextInt(3) == 0) {
            String bare = o.substring(4);
            switch (kind) {
                case LIST -> {
                    return ValuePools.pick(List.of("which " + bare + " are there?", "what are " + o + "?",
                            "show me all " + o + ".", "what " + bare + " do I have?"), r);
                }
                case INFO, READ -> {
                    return ValuePools.pick(List.of("what's " + o + "?", "tell me " + o + ".",
                            "I'd like to see " + o + "."), r);
                }
                default -> {
                }
            }
        }
        if (o.isEmpty()) {
            if (parts.isEmpty()) {
                return null;
            }
            String joined = Phrasing.join(parts);
            // "switch to" + "to main" → "switch to main"
            int sp = verb.lastIndexOf(' ');
            String last = verb.substring(sp + 1);
            if (joined.startsWith(last + " ")) {
                joined = joined.substring(last.length() + 1);
            }
            return imperative(verb + " " + joined, r);
        }
        return imperative(verb + " " + o + x, r);
    }

    /** The argument a request names as its object: a required nameable one first, else any nameable one. */
    private static String mainArgument(Kind kind, List<String> keys, ObjectNode args, JsonNode props) {
        String fallback = null;
        for (String k : keys) {
            JsonNode val = args.get(k);
            if (!nameable(val) || destinationLike(k) || sourceLike(k) || queryLike(k)
                    || kind == Kind.WRITE && contentLike(k)) {
                continue;
            }
            if (pathLike(k, val) || props == null) {
                return k;
            }
            if (fallback == null) {
                fallback = k;
            }
        }
        return fallback;
    }

    private static String preposition(Kind kind, boolean path, Random r) {
        if (path) {
            return switch (kind) {
                case READ -> ValuePools.pick(List.of("at ", "in ", "from ", ""), r);
                case INFO -> ValuePools.pick(List.of("for ", "of ", "on ", "about "), r);
                default -> ValuePools.pick(List.of("at ", "in ", ""), r);
            };
        }
        return switch (kind) {
            case CREATE -> ValuePools.pick(List.of("called ", "named ", ""), r);
            case INFO, READ, LIST -> ValuePools.pick(List.of("for ", "of "), r);
            case EDIT, DELETE -> ValuePools.pick(List.of("for ", "in ", ""), r);
            default -> ValuePools.pick(List.of("for ", ""), r);
        };
    }

    /** A question of the tool's verb class about {@code m}; null when the class has none. */
    private static String question(Kind kind, ToolVocabulary v, String m, String x, boolean path, Random r) {
        String head = v.object().isBlank() ? "" : noun(head(v.object()), r);
        String thing = purposeNoun(v);
        if (kind == Kind.INFO && !thing.isEmpty() && !thing.equals(head) && r.nextBoolean()) {
            head = thing;
        }
        if (!path && (kind == Kind.READ || kind == Kind.LIST || kind == Kind.INFO && head.isEmpty())) {
            return null;
        }
        if (!path && kind == Kind.INFO) {
            return ValuePools.pick(List.of("what's the " + head + " of " + m + x + "?",
                    "give me the " + head + " for " + m + x + ".", "what is the " + head + " for " + m + x + "?"), r);
        }
        List<String> qs = switch (kind) {
            case READ -> List.of("what's in " + m + x + "?", "what does " + m + " say" + x + "?",
                    "what's written in " + m + x + "?", "can I see " + m + x + "?", m + dash(r) + "what's in it" + x + "?",
                    "show me what " + m + " says" + x + ".");
            case LIST -> List.of("what's inside " + m + x + "?", "what's in " + m + x + "?",
                    "what does " + m + " contain" + x + "?", m + dash(r) + "what's in there" + x + "?",
                    "show me what's under " + m + x + ".", "what's in " + (head.isEmpty() ? "" : "the " + head + " ") + m
                            + x + "?");
            case INFO -> head.isEmpty() ? List.of("what are the details of " + m + x + "?", "tell me about " + m + x + ".")
                    : List.of("what are the details of " + m + x + "?", "tell me about " + m + x + ".",
                    "what's the " + head + " of " + m + x + "?", "give me the " + head + " for " + m + x + ".",
                    m + dash(r) + "what's its " + head + x + "?");
            case CREATE -> head.isEmpty() ? null : List.of("make a new " + head + " " + m + x + ".",
                    "I need a new " + head + " called " + m + x + ".", "set up " + m + x + ", please.",
                    "new " + head + ": " + m + x + ".");
            case DELETE -> List.of("get rid of " + m + x + ".", "I don't need " + m + " anymore, remove it" + x + ".",
                    m + " can go" + x + ". Delete it.", "please remove " + m + x + ".");
            default -> null;
        };
        return qs == null ? null : ValuePools.pick(qs, r);
    }

    /** A kind-specific sentence and the arguments it states. */
    private record Core(String text, List<String> used) {
    }

    private static Core move(List<String> keys, ObjectNode args, String verb, Random r) {
        String src = null;
        String dst = null;
        for (String k : keys) {
            if (args.get(k).isString() && sourceLike(k) && src == null) {
                src = k;
            } else if (args.get(k).isString() && destinationLike(k) && dst == null) {
                dst = k;
            }
        }
        if (src == null || dst == null) {
            return null;
        }
        String s = show(args.get(src), r);
        String d = show(args.get(dst), r);
        return new Core(ValuePools.pick(List.of(verb + " " + s + " to " + d, verb + " " + s + " over to " + d,
                "I want " + s + " moved to " + d + ".", s + " should go to " + d + ".", verb + " " + s + " into " + d), r),
                List.of(src, dst));
    }

    private static Core search(List<String> keys, ObjectNode args, String verb, String main, Random r) {
        String q = null;
        for (String k : keys) {
            if (queryLike(k) && args.get(k).isString()) {
                q = k;
                break;
            }
        }
        if (q == null) {
            return null;
        }
        String qs = show(args.get(q), r);
        if (main == null) {
            return new Core(ValuePools.pick(List.of(verb + " " + qs, "is there anything matching " + qs + "?",
                    "anything about " + qs + "?", verb + " anything matching " + qs), r), List.of(q));
        }
        String s = show(args.get(main), r);
        return new Core(ValuePools.pick(List.of("are there any matches for " + qs + " in " + s + "?",
                "look through " + s + " for " + qs, verb + " " + qs + " in " + s, "anything matching " + qs + " in "
                        + s + "?", "find everything matching " + qs + " under " + s, "in " + s + ", " + verb + " " + qs + "."),
                r), List.of(q, main));
    }

    private static Core write(ToolVocabulary v, List<String> keys, ObjectNode args, String verb, String main,
                              Random r) {
        if (!Set.of("write", "save", "store", "put", "upload").contains(canonicalVerb(v))) {
            return null;
        }
        String c = null;
        for (String k : keys) {
            if (contentLike(k) && args.get(k).isString()) {
                c = k;
                break;
            }
        }
        if (c == null || main == null) {
            return null;
        }
        String cs = show(args.get(c), r);
        String t = show(args.get(main), r);
        return new Core(ValuePools.pick(List.of(verb + " " + cs + " to " + t, verb + " " + cs + " into " + t,
                "save " + cs + " in " + t, t + " should contain " + cs + ".", "put the text " + cs + " into " + t,
                "write " + cs + " to " + t), r), List.of(c, main));
    }
}
