package dev.mcpforge.bundle;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ParsedReply;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a bundle's {@code tests/validation.json} through the engine: each case's prompt (system and user turns) is
 * rendered with the bundle's chat format (the engine's ChatML, full or tool-names variant, as prompt_template.json
 * says) and the bundle's tools, completed greedily, parsed back, and compared with the expected first assistant turn
 * (the same tool names and arguments in order, or no tool call).
 */
final class SmokeTests {

    record Outcome(int passed, List<String> failures) {
    }

    private SmokeTests() {
    }

    static Outcome run(JsonNode doc, Toolset toolset, Path model, VerifyService.Engine engine, JsonNode stopNode,
                       ChatFormat format) throws IOException {
        List<String> stop = new ArrayList<>();
        stopNode.forEach(s -> stop.add(s.asString()));
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            List<ChatMessage> prompt = new ArrayList<>();
            for (JsonNode m : c.get("messages")) {
                String role = m.path("role").asString("");
                String content = m.path("content").asString("");
                if (role.equals("system")) {
                    prompt.add(ChatMessage.system(content));
                } else if (role.equals("user")) {
                    prompt.add(ChatMessage.user(content));
                }
            }
            String text = format.render(prompt, toolset.toolsJson(), true);
            String generated = engine.complete(model, text, stop, VerifyService.SMOKE_TOKENS);
            ParsedReply reply = format.parse(generated);
            String why = mismatch(c.get("expected"), reply);
            if (why == null) {
                passed++;
            } else {
                failures.add("case " + c.path("id").asString("?") + ": " + why);
            }
        }
        return new Outcome(passed, failures);
    }

    /** Why the reply is not the expected turn, or null when it is. */
    static String mismatch(JsonNode expected, ParsedReply reply) {
        JsonNode calls = expected.path("tool_calls");
        if (reply.error() != null) {
            return reply.error();
        }
        if (calls.size() != reply.toolCalls().size()) {
            return "expected " + calls.size() + " tool call(s), got " + reply.toolCalls().size()
                    + (reply.toolCalls().isEmpty() ? " (answer: " + abbreviate(reply.content()) + ")" : "");
        }
        for (int i = 0; i < calls.size(); i++) {
            ToolCall got = reply.toolCalls().get(i);
            String name = calls.get(i).path("name").asString("");
            if (!name.equals(got.name())) {
                return "expected a call to " + name + ", got " + got.name();
            }
            JsonNode want = calls.get(i).path("arguments");
            if (!Json.canonical(want).equals(Json.canonical(got.arguments()))) {
                return "call to " + name + ": expected arguments " + Json.canonical(want) + ", got "
                        + Json.canonical(got.arguments());
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        // untrained models emit arbitrary bytes: keep the build log printable
        String t = s == null ? "" : s.replaceAll("[\\p{Cntrl}\uFFFD]", "?").strip();
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
