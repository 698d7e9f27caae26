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
