package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Natural-language text for samples: user requests that state every user-supplied argument value verbatim (so the
 * model learns to copy values), and assistant answers that put a tool result into words. Many templates, prefixes,
 * argument styles and the tool's own vocabulary are combined so requests are not one sentence with slots.
 */
final class Phrasing {

    private Phrasing() {
    }

    private static final List<String> PRE = List.of("", "", "", "Hey, ", "Hi! ", "Quick question: ",
            "When you have a moment, ", "OK, ", "Hello. ", "So, ", "Right, ", "Morning! ");
    private static final List<String> POST = List.of("", "", "", " Thanks!", " Thank you.", " Appreciate it.",
            " Cheers.", " Thanks in advance.");
    /** {a} = action (verb + object), {args} = argument clause, {p} = purpose from the description. */
    private static final List<String> TEMPLATES = List.of(
            "can you {a}{args}?", "please {a}{args}.", "I need you to {a}{args}.", "could you {a} for me{args}?",
            "{a}{args}.", "I'd like to {a}{args}.", "would you {a}{args}, please?", "help me {a}{args}.",
            "go ahead and {a}{args}.", "let's {a}{args}.", "is it possible to {a}{args}?", "quick task: {a}{args}.",
            "I want to {p}{args}.", "I need to {p}{args}. Can you do that?", "can you {p}{args}?",
            "my goal: {p}{args}.", "time to {a}{args}.", "I was hoping you could {a}{args}.",
            "{a}{args}, if you can.", "do me a favour and {a}{args}.");

    /** Share of requests (in percent) written by {@link NaturalRequests} when the tool allows it. */
    static final int NATURAL_PERCENT = 55;

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Capitalised, unless the text starts with an argument value written bare (which must stay verbatim). */
    static String capitalizeUnlessValue(String s, ObjectNode args) {
        for (String k : args.propertyNames()) {
            JsonNode x = args.get(k);
            if (x.isString() && !x.asString().isEmpty() && s.startsWith(x.asString())) {
                return s;
            }
            if (x.isArray()) {
                for (JsonNode y : x) {
                    if (y.isString() && !y.asString().isEmpty() && s.startsWith(y.asString())) {
                        return s;
                    }
                }
            }
        }
        return capitalize(s);
    }

    /** A user request for a call of {@code v.tool()} with {@code args}; every value appears verbatim. */
    static String request(ToolVocabulary v, ObjectNode args, Random r) {
        return request(v, null, args, false, true, r);
    }

    /**
     * A user request for a call of {@code v.tool()} with {@code args}; every value appears verbatim. About half are
     * written the way people write ({@link NaturalRequests}), the rest from templates with the tool's own words
     * (sometimes with an everyday verb instead).
     *
     * @param props      the tool schema's {@code properties} (parameter descriptions), may be null
     * @param qualify    name the tool's object in full (see {@link NaturalRequests#mustQualify})
     * @param ownPurpose false keeps the tool's description out of the wording (a sibling's description starts with
     *                   the same words, see {@link NaturalRequests#sharedPurpose})
     */
    static String request(ToolVocabulary v, JsonNode props, ObjectNode args, boolean qualify, boolean ownPurpose,
                          Random r) {
        if (r.nextInt(100) < NATURAL_PERCENT) {
            String natural = NaturalRequests.request(v, props, args, qualify, r);
            if (natural != null) {
                String pre = r.nextInt(3) == 0 ? ValuePools.pick(PRE, r) : "";
                String post = r.nextInt(3) == 0 ? ValuePools.pick(POST, r) : "";
                if (!post.isEmpty() && !natural.matches("(?s).*[.?!]$")) {
                    natural = natural + ".";
                }
                boolean sentenceStart = pre.isEmpty() || pre.endsWith(". ") || pre.endsWith("! ");
                String body = sentenceStart ? capitalizeUnlessValue(natural, args) : natural;
                return (pre + body + post).strip();
            }
        }
        String template = ValuePools.pick(TEMPLATES, r);
        if (template.contains("{p}") && (v.purpose().isBlank() || !ownPurpose)) {
            template = template.replace("{p}", "{a}");
        }
        String action = r.nextInt(4) == 0 ? NaturalRequests.action(v, qualify, r) : v.action();
        List<String> mentions = new ArrayList<>();
        int style = r.nextInt(4);
        for (String key : args.propertyNames()) {
            mentions.add(mention(key, args.get(key), style, r));
        }
        String clause;
        if (mentions.isEmpty()) {
            clause = "";
        } else if (style == 3 && mentions.size() <= 3) {
            clause = " (" + String.join("; ", mentions) + ")";
        } else {
            String joiner = ValuePools.pick(List.of(" with ", " using ", ", with ", " where "), r);
            if (joiner.equals(" where ")) {
                List<String> is = new ArrayList<>();
                for (String key : args.propertyNames()) {
                    is.add(whereClause(key, args.get(key), r));
                }
                clause = " where " + join(is);
            } else {
                clause = joiner + join(mentions);
            }
        }
        String body = template.replace("{a}", action).replace("{p}", v.purpose()).replace("{args}", clause);
        String pre = ValuePools.pick(PRE, r);
        String text = pre + (pre.isEmpty() || pre.endsWith(". ") || pre.endsWith("! ") ? capitalize(body) : body)
                + ValuePools.pick(POST, r);
        return capitalize(text.strip());
    }

    /** A request that names the task but leaves out the required values (for a clarifying question). */
    static String vagueRequest(ToolVocabulary v, boolean qualify, Random r) {
        String t = ValuePools.pick(List.of("can you {a}?", "please {a}.", "I need to {a}.", "{a} for me.",
                "could you {a}?", "I want to {p}.", "help me {a}.", "let's {a}."), r);
        if (v.purpose().isBlank()) {
            t = t.replace("{p}", "{a}");
        }
        String pre = ValuePools.pick(PRE, r);
        String body = t.replace("{a}", r.nextInt(3) == 0 ? NaturalRequests.action(v, qualify, r) : v.action())
                .replace("{p}", v.purpose());
        return capitalize((pre + (pre.isEmpty() || pre.endsWith(". ") || pre.endsWith("! ") ? capitalize(body) : body)
                + ValuePools.pick(POST, r)).strip());
    }

    static String join(List<String> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    /** The value as the user would type it: strings in double quotes, numbers and JSON as JSON text. */
    static String literal(JsonNode v) {
        if (v.isString()) {
            return "\"" + v.asString() + "\"";
        }
        if (v.isArray() && allScalars(v)) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(literal(x)));
            return items.isEmpty() ? "[]" : join(items);
        }
        return Json.MAPPER.writeValueAsString(v);
    }

    private static boolean allScalars(JsonNode arr) {
        for (JsonNode x : arr) {
            if (x.isContainer()) {
                return false;
            }
        }
        return true;
    }

    static String mention(String key, JsonNode value, int style, Random r) {
        String label = ToolVocabulary.label(key);
        if (value.isBoolean()) {
            return value.asBoolean()
                    ? ValuePools.pick(List.of(key + " set to true", key + " = true", key + " enabled (true)"), r)
                    : ValuePools.pick(List.of(key + " set to false", key + " = false", key + " disabled (false)"), r);
        }
        return switch (style) {
            case 0 -> label + " " + literal(value);
            case 1 -> key + " " + literal(value);
            case 2 -> label + ": " + literal(value);
            default -> key + "=" + literal(value);
        };
    }

    private static String whereClause(String key, JsonNode value, Random r) {
        String label = ToolVocabulary.label(key);
        if (value.isArray()) {
            return "the " + label + " are " + literal(value);
        }
        return (r.nextBoolean() ? "the " + label : key) + " is " + literal(value);
    }

    /** A short summary of a result text: a JSON object's first fields, or the text's first line. */
    static String summarize(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return "";
        }
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                JsonNode n = Json.MAPPER.readTree(t);
                if (n.isObject()) {
                    List<String> parts = new ArrayList<>();
                    for (String k : n.propertyNames()) {
                        JsonNode x = n.get(k);
                        if (parts.size() >= 4) {
                            break;
                        }
                        if (x.isValueNode()) {
                            parts.add(ToolVocabulary.label(k) + " " + x.asString());
                        } else if (x.isArray()) {
                            parts.add(x.size() + " " + ToolVocabulary.label(k));
                        } else {
                            parts.add(ToolVocabulary.label(k) + " (details included)");
                        }
                    }
                    return String.join(", ", parts);
                }
                if (n.isArray()) {
                    return n.size() + (n.size() == 1 ? " item" : " items");
                }
            } catch (RuntimeException e) {
                // not JSON after all: summarise as text
            }
        }
        String[] lines = t.split("\n");
        String first = lines[0].strip();
        if (first.length() > 160) {
            int sp = first.lastIndexOf(' ', 160);
            first = first.substring(0, sp > 60 ? sp : 160) + "…";
        }
        if (lines.length > 1) {
            first = first + " (" + lines.length + " lines in total)";
        }
        return first;
    }

    static String finalAnswer(ToolVocabulary v, String resultText, Random r) {
        String s = summarize(resultText);
        if (s.isEmpty()) {
            return ValuePools.pick(List.of("Done: I ran " + v.tool() + " and it completed without returning any output.",
                    "The " + v.tool() + " call finished successfully; there was nothing to report back."), r);
        }
        String stop = s.endsWith(".") || s.endsWith("…") || s.endsWith(")") ? "" : ".";
        return ValuePools.pick(List.of(
                "Here is what " + v.tool() + " returned: " + s + stop,
                "Done. The result: " + s + stop,
                "I ran " + v.tool() + ". It reports: " + s + stop,
                "All set. " + capitalize(s) + stop,
                "According to " + v.tool() + ", " + s + stop,
                "That worked. Summary of the result: " + s + stop,
                "Here you go: " + s + stop), r);
    }

    static String errorAnswer(ToolVocabulary v, String kind, String firstArg, Random r) {
        String cause = switch (kind) {
            case "not_found" -> ValuePools.pick(List.of("what you asked for could not be found",
                    "the tool reported that the item does not exist"), r);
            case "timeout" -> ValuePools.pick(List.of("the tool timed out before it could finish",
                    "the request took too long and timed out"), r);
            case "permission" -> "the tool was denied permission to do that";
            case "empty" -> "the tool returned no results";
            default -> "the tool reported an error";
        };
        String next = switch (kind) {
            case "not_found" -> firstArg == null ? "Could you double-check the details and try again?"
                    : "Could you double-check the " + ToolVocabulary.label(firstArg) + " and tell me the correct one?";
            case "timeout" -> "It may be a temporary problem; would you like me to try again in a moment?";
            case "permission" -> "You may need to grant access first. Would you like to try something else?";
            case "empty" -> "Would you like me to try with different criteria?";
            default -> "Would you like me to try again with different settings?";
        };
        return ValuePools.pick(List.of("I tried to " + v.action() + ", but " + cause + ". " + next,
                "Sorry, " + cause + " when I tried to " + v.action() + ". " + next,
                "Unfortunately " + cause + ". " + next), r);
    }

    static String clarify(ToolVocabulary v, List<String> missing, Random r) {
        List<String> labels = new ArrayList<>();
        missing.forEach(m -> labels.add(ToolVocabulary.label(m)));
        String what = join(labels);
        return ValuePools.pick(List.of(
                "Sure, I can " + v.action() + ". Which " + what + " should I use?",
                "I can help with that, but I need the " + what + " first. What should it be?",
                "Happy to. Could you tell me the " + what + "?",
                "To " + v.action() + " I need to know the " + what + ". Can you provide " + (labels.size() == 1 ? "it" : "them") + "?"),
                r);
    }

    static String pickReason(ToolVocabulary chosen, ToolVocabulary other, Random r) {
        String base = other == null
                ? "The request matches " + chosen.tool() + " best"
                : "Both " + chosen.tool() + " and " + other.tool() + " could apply; " + chosen.tool()
                        + " fits this request better";
        String why = chosen.purpose().isBlank() ? "" : " because it is the tool to " + chosen.purpose()
                .toLowerCase(Locale.ROOT);
        return base + why + ValuePools.pick(List.of(". I'll use it.", ", so I'll call it.", ". Calling it now."), r);
    }

    static String ambiguousRequest(ToolVocabulary v, ObjectNode args, Random r) {
        String core = v.purpose().isBlank() ? v.object() : v.purpose();
        List<String> mentions = new ArrayList<>();
        for (String key : args.propertyNames()) {
            mentions.add(mention(key, args.get(key), r.nextInt(3), r));
        }
        String clause = mentions.isEmpty() ? "" : " (" + String.join("; ", mentions) + ")";
        String pre = ValuePools.pick(PRE, r);
        String body = ValuePools.pick(List.of(
                "not sure which tool is right for this, but I need to " + core + clause + ".",
                "I need something that can " + core + clause + ", whatever works best.",
                "I'm after this: " + core + clause + ". Pick the right tool.",
                "which tool would you use to " + core + "? Go ahead and do it" + clause + ".",
                "whichever tool fits, please " + core + clause + ".",
                "I don't know the tool names, but can you " + core + clause + "?",
                "use whatever tool makes sense to " + core + clause + ".",
                "there are several tools here; I just want to " + core + clause + "."), r);
        return capitalize((pre + (pre.isEmpty() || pre.endsWith(". ") || pre.endsWith("! ") ? capitalize(body) : body)
                + ValuePools.pick(POST, r)).strip());
    }
}
