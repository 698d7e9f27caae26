package dev.mcpforge.qa;

import dev.mcpforge.data.Message;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.Scenario;
import dev.mcpforge.data.SchemaValidator;
import dev.mcpforge.data.ToolCall;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-sample checks of the quality gate (everything but duplicates, which need the whole dataset): structure,
 * tool exists, arguments repaired and validated against the schema, scenario consistency, final answer, length.
 */
public final class SampleChecker {

    /**
     * @param sample        the (possibly repaired) sample; null when dropped
     * @param reason        why it was dropped, or null
     * @param message       what exactly was wrong
     * @param repairs       repairs applied (kind → count)
     * @param schemaChecked whether it had calls that reached schema validation
     * @param schemaPassed  whether those calls validated (after repair)
     */
    public record Outcome(Sample sample, DropReason reason, String message, Map<String, Integer> repairs,
                          boolean schemaChecked, boolean schemaPassed) {
        public boolean valid() {
            return reason == null;
        }
    }

    private final Toolset toolset;
    private final SchemaValidator validator;
    private final boolean fix;
    private final int maxChars;

    public SampleChecker(Toolset toolset, SchemaValidator validator, boolean fix, int maxChars) {
        this.toolset = toolset;
        this.validator = validator;
        this.fix = fix;
        this.maxChars = maxChars;
    }

    public Outcome check(Sample in) {
        Map<String, Integer> repairs = new LinkedHashMap<>();
        Sample s = fix ? trim(in, repairs) : in;
        String structure = structure(s);
        if (structure != null) {
            return drop(DropReason.STRUCTURE, structure, repairs, false, false);
        }
        if (!hasFinalAnswer(s)) {
            return drop(DropReason.MISSING_FINAL_ANSWER, "the conversation does not end in a non-empty assistant"
                    + " answer", repairs, false, false);
        }
        Scenario scenario;
        try {
            scenario = Scenario.fromId(s.scenario());
        } catch (IllegalArgumentException e) {
            return drop(DropReason.SCENARIO_MISMATCH, e.getMessage(), repairs, false, false);
        }
        List<ToolCall> calls = s.toolCalls();
        boolean schemaChecked = false;
        List<Message> messages = new ArrayList<>(s.messages());
        for (int mi = 0; mi < messages.size(); mi++) {
            Message m = messages.get(mi);
            if (!m.hasToolCalls()) {
                continue;
            }
            List<ToolCall> fixed = new ArrayList<>();
            for (ToolCall c : m.toolCalls()) {
                ToolDefinition tool = toolset.find(c.name()).orElse(null);
                if (tool == null) {
                    return drop(DropReason.UNKNOWN_TOOL, "tool '" + c.name() + "' is not in tools.json (known: "
                            + abbreviate(toolset.names()) + ")", repairs, false, false);
                }
                schemaChecked = true;
                ObjectNode args = c.arguments().deepCopy();
                // without forge.fix, repairs are only detected (on a copy), never applied
                List<String> unknown = fix ? ArgumentRepair.repair(tool.inputSchema(), args, true, repairs)
                        : ArgumentRepair.repair(tool.inputSchema(), args.deepCopy(), false, new LinkedHashMap<>());
                if (!fix && !unknown.isEmpty()) {
                    return drop(DropReason.UNEXPECTED_PARAM, "tool '" + c.name() + "': argument(s) " + unknown
                            + " not declared in its schema", repairs, true, false);
                }
                List<SchemaValidator.Violation> v = validator.validate(tool.inputSchema(), args);
                if (!v.isEmpty()) {
                    boolean missing = v.stream().anyMatch(x -> "required".equals(x.keyword()));
                    return drop(missing ? DropReason.MISSING_REQUIRED : DropReason.SCHEMA_VIOLATION,
                            "tool '" + c.name() + "' " + Json.abbreviate(args) + ": " + v.get(0).message()
                                    + (v.size() > 1 ? " (+" + (v.size() - 1) + " more)" : ""), repairs, true, false);
                }
                fixed.add(new ToolCall(c.name(), args));
            }
            messages.set(mi, m.withToolCalls(fixed));
        }
        s = s.withMessages(messages);
        if (scenario == Scenario.NO_TOOL && !calls.isEmpty()) {
            return drop(DropReason.SCENARIO_MISMATCH, "a no_tool sample calls " + calls.get(0).name(), repairs,
                    schemaChecked, true);
        }
        if (scenario.requiresCall() && calls.isEmpty()) {
            return drop(DropReason.SCENARIO_MISMATCH, "a " + scenario.id() + " sample makes no tool call", repairs,
                    schemaChecked, true);
        }
        Message last = s.messages().get(s.messages().size() - 1);
        if (scenario == Scenario.AMBIGUOUS && calls.isEmpty() && !last.content().strip().endsWith("?")) {
            return drop(DropReason.SCENARIO_MISMATCH, "an ambiguous sample without a call must ask a clarifying"
                    + " question (end with '?')", repairs, schemaChecked, true);
        }
        String toolName = s.toolName();
        if (toolName != null && !calls.isEmpty() && calls.stream().noneMatch(c -> c.name().equals(toolName))) {
            return drop(DropReason.SCENARIO_MISMATCH, "tool_name is '" + toolName + "' but the sample calls "
                    + calls.get(0).name(), repairs, schemaChecked, true);
        }
        int chars = 0;
        for (Message m : s.messages()) {
            chars += m.content() == null ? 0 : m.content().length();
            for (ToolCall c : m.toolCalls()) {
                chars += Json.canonical(c.arguments()).length() + c.name().length();
            }
        }
        if (chars > maxChars) {
            return drop(DropReason.TOO_LONG, chars + " characters (limit forge.qa.maxChars=" + maxChars + ")",
                    repairs, schemaChecked, true);
        }
        return new Outcome(s, null, null, repairs, schemaChecked, schemaChecked);
    }

    private static Outcome drop(DropReason r, String msg, Map<String, Integer> repairs, boolean checked, boolean passed) {
        return new Outcome(null, r, msg, repairs, checked, passed);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 6 ? names.toString() : names.subList(0, 6) + "… " + names.size() + " tools";
    }

    /** Role order and call/result pairing; null when fine. A missing final answer is its own reason. */
    static String structure(Sample s) {
        List<Message> ms = s.messages();
        int i = 0;
        while (i < ms.size() && "system".equals(ms.get(i).role())) {
            i++;
        }
        if (i >= ms.size() || !"user".equals(ms.get(i).role())) {
            return "the first message after the system prompt must be a user message";
        }
        if (ms.get(i).content() == null || ms.get(i).content().isBlank()) {
            return "the user message is empty";
        }
        List<String> pending = new ArrayList<>();
        String prev = "user";
        for (int k = i + 1; k < ms.size(); k++) {
            Message m = ms.get(k);
            switch (m.role()) {
                case "system" -> {
                    return "message " + (k + 1) + ": a system message in the middle of the conversation";
                }
                case "user" -> {
                    if (!pending.isEmpty()) {
                        return "message " + (k + 1) + ": the call(s) " + pending + " have no tool result";
                    }
                    if ("user".equals(prev)) {
                        return "message " + (k + 1) + ": two user messages in a row";
                    }
                }
                case "assistant" -> {
                    if (!pending.isEmpty()) {
                        return "message " + (k + 1) + ": the call(s) " + pending + " have no tool result";
                    }
                    m.toolCalls().forEach(c -> pending.add(c.name()));
                }
                case "tool" -> {
                    if (pending.isEmpty()) {
                        return "message " + (k + 1) + ": a tool result without a preceding tool call";
                    }
                    String expected = pending.remove(0);
                    if (m.name() != null && !m.name().equals(expected)) {
                        return "message " + (k + 1) + ": the tool result is for '" + m.name()
                                + "' but the call was to '" + expected + "'";
                    }
                }
                default -> {
                    return "message " + (k + 1) + ": unknown role " + m.role();
                }
            }
            prev = m.role();
        }
        if (!pending.isEmpty()) {
            return "the call(s) " + pending + " have no tool result";
        }
        Message last = ms.get(ms.size() - 1);
        if (!"assistant".equals(last.role()) || last.hasToolCalls() || last.content() == null
                || last.content().isBlank()) {
            return null; // reported as missing_final_answer by the caller
        }
        return null;
    }

    /** Whitespace trimmed from message texts (never from argument values). */
    private static Sample trim(Sample s, Map<String, Integer> repairs) {
        List<Message> out = new ArrayList<>(s.messages().size());
        boolean changed = false;
        for (Message m : s.messages()) {
            if (m.content() != null && !"tool".equals(m.role()) && !m.content().equals(m.content().strip())) {
                out.add(m.withContent(m.content().strip()));
                repairs.merge("trim_whitespace", 1, Integer::sum);
                changed = true;
            } else {
                out.add(m);
            }
        }
        return changed ? s.withMessages(out) : s;
    }

    /** True when the conversation ends in a non-empty assistant answer without calls. */
    static boolean hasFinalAnswer(Sample s) {
        Message last = s.messages().get(s.messages().size() - 1);
        return "assistant".equals(last.role()) && !last.hasToolCalls() && last.content() != null
                && !last.content().isBlank();
    }
}
