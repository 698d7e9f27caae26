package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A plausible tool result when the tools cannot be executed (a tools.json file, no server): drawn from the tool's
 * {@code outputSchema} when it has one (as {@code structuredContent} plus its JSON text), otherwise a short text
 * shaped by what the tool does (list → lines, read → content, create/write → confirmation).
 */
final class ResultSynthesizer {

    private final ArgumentSampler sampler;

    ResultSynthesizer(ArgumentSampler sampler) {
        this.sampler = sampler;
    }

    ToolCallResult result(ToolDefinition tool, ToolVocabulary v, ObjectNode args, Random r) {
        if (tool.outputSchema() != null && tool.outputSchema().has("properties")) {
            JsonNode structured = sampler.value(tool.outputSchema(), tool.outputSchema(), "result", r,
                    ArgumentSampler.Mode.TYPICAL, 0.8, 1);
            if (structured != null && structured.isObject()) {
                ToolCallResult t = ToolCallResult.text(Json.canonical(structured), false);
                return new ToolCallResult(t.content(), structured, false);
            }
        }
        String first = firstValue(args);
        String special = special(v, args, r);
        if (special != null) {
            return ToolCallResult.text(special, false);
        }
        String text = switch (v.verb()) {
            case "list", "search", "find", "query" -> {
                List<String> lines = new ArrayList<>();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    lines.add(v.object().contains("dir") || v.object().contains("file")
                            ? ValuePools.pick(ValuePools.FILES, r) : ValuePools.pick(ValuePools.ENTITY_NAMES, r));
                }
                yield String.join("\n", lines.stream().distinct().toList());
            }
            case "read", "open", "show", "fetch", "get", "describe" -> first != null && r.nextBoolean()
                    ? capitalizeFirst(v.object()) + " for " + first + ": " + ValuePools.pick(ValuePools.SENTENCES, r)
                    : ValuePools.pick(ValuePools.SENTENCES, r);
            case "create", "write", "add", "update", "edit", "set", "insert", "commit", "move", "rename", "copy" ->
                    "Successfully completed " + v.verb() + (first == null ? "" : " for " + first);
            case "delete", "remove", "clean" -> "Deleted" + (first == null ? "" : " " + first);
            case "echo" -> "Echo: " + (first == null ? "" : stripQuotes(first));
            default -> (first == null ? "OK" : "Result for " + first) + ": " + ValuePools.pick(ValuePools.SENTENCES, r);
        };
        return ToolCallResult.text(text, false);
    }

    /** Results shaped by what the tool's name says it computes (sums, times, environment, status). */
    private static String special(ToolVocabulary v, ObjectNode args, Random r) {
        java.util.Set<String> o = new java.util.HashSet<>(ToolVocabulary.split(v.tool()));
        if (o.contains("toggle")) {
            return "Toggled " + v.object() + ": now " + (r.nextBoolean() ? "enabled" : "disabled") + ".";
        }
        if (o.contains("sum") || o.contains("add") && allNumbers(args)) {
            if (allNumbers(args) && args.size() >= 2) {
                java.math.BigDecimal total = java.math.BigDecimal.ZERO;
                List<String> parts = new ArrayList<>();
                for (String k : args.propertyNames()) {
                    total = total.add(args.get(k).decimalValue());
                    parts.add(args.get(k).asString());
                }
                return "The sum of " + String.join(" and ", parts) + " is " + total.stripTrailingZeros().toPlainString()
                        + ".";
            }
        }
        if (o.contains("timestamp")) {
            return String.valueOf(1_700_000_000L + r.nextInt(60_000_000));
        }
        if (o.contains("week")) {
            return "{\"week\":" + (1 + r.nextInt(52)) + ",\"isoWeek\":" + (1 + r.nextInt(52)) + "}";
        }
        if (o.contains("days") && o.contains("month")) {
            return String.valueOf(28 + r.nextInt(4));
        }
        if (o.contains("time") || o.contains("date")) {
            return ValuePools.pick(ValuePools.TIME_EXPRESSIONS, r);
        }
        if (o.contains("env")) {
            return "{\"HOME\":\"/home/app\",\"LANG\":\"en_US.UTF-8\",\"PATH\":\"/usr/local/bin:/usr/bin\"}";
        }
        if (o.contains("image")) {
            return "[image/png, " + (1 + r.nextInt(90)) + " KB]";
        }
        if (o.contains("status") || o.contains("info")) {
            return "{\"status\":\"ok\",\"items\":" + r.nextInt(40) + ",\"updated\":\""
                    + ValuePools.pick(ValuePools.DATETIMES, r) + "\"}";
        }
        return null;
    }

    private static boolean allNumbers(ObjectNode args) {
        if (args.isEmpty()) {
            return false;
        }
        for (String k : args.propertyNames()) {
            if (!args.get(k).isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static String capitalizeFirst(String s) {
        return s.isEmpty() ? "Result" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String stripQuotes(String s) {
        return s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
    }

    private static String firstValue(ObjectNode args) {
        for (String k : args.propertyNames()) {
            JsonNode v = args.get(k);
            if (v.isValueNode() && !v.isBoolean()) {
                return v.isString() ? "\"" + v.asString() + "\"" : v.asString();
            }
        }
        return null;
    }
}
