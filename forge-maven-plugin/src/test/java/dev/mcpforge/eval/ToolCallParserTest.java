package dev.mcpforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.tools.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ToolCallParserTest {
    private static final List<ChatFormat> FORMATS = List.of(ChatFormat.chatml(), ChatFormat.llama3(),
            ChatFormat.deepseekR1());

    private static ToolCall call(String name, String argsJson) {
        return new ToolCall(name, Json.MAPPER.readTree(argsJson));
    }

    @Test
    void everyFormatTheModelsEmit() {
        ToolCall expected = call("read_file", "{\"path\":\"/tmp/a b.txt\",\"head\":3}");
        String[] texts = {
            "<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a b.txt\", \"head\": 3}}\n</tool_call>",
            "  <tool_call>{\"name\":\"read_file\",\"arguments\":{\"path\":\"/tmp/a b.txt\",\"head\":3}}</tool_call><|im_end|>",
            "{\"name\": \"read_file\", \"parameters\": {\"path\": \"/tmp/a b.txt\", \"head\": 3}}",
            "<|python_tag|>{\"name\": \"read_file\", \"parameters\": {\"path\": \"/tmp/a b.txt\", \"head\": 3}}<|eom_id|>",
            "Sure, let me read it.\n```json\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a b.txt\", \"head\": 3}}\n```",
            "I will call {\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a b.txt\", \"head\": 3}} now.",
            "<think>\nThe user wants the file {maybe}.\n</think>\n\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": "
                    + "{\"path\": \"/tmp/a b.txt\", \"head\": 3}}\n</tool_call>",
            "{\"type\": \"function\", \"function\": {\"name\": \"read_file\", \"arguments\": \"{\\\"path\\\": \\\"/tmp/a b.txt\\\", \\\"head\\\": 3}\"}}",
            "[{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a b.txt\", \"head\": 3}}]",
            ChatFormat.deepseekR1().replyPrefix() + ChatFormat.deepseekR1().renderToolCall(expected),
        };
        for (String t : texts) {
            for (ChatFormat f : FORMATS) {
                ToolCallParser.Result r = ToolCallParser.parse(t, f);
                assertNull(r.error(), f.id() + ": " + t);
                assertEquals(List.of(expected), r.calls(), f.id() + ": " + t);
                assertTrue(r.valid());
            }
        }
        ToolCallParser.Result think = ToolCallParser.parse(texts[6], ChatFormat.chatml());
        assertEquals("The user wants the file {maybe}.", think.reasoning());
    }

    @Test
    void plainAnswersAreNoCall() {
        for (String t : new String[] {"", "   ", "Paris is the capital of France.", "Use {braces} and [1, 2] freely.",
            "```python\nprint({'a': 1})\n```", "{\"answer\": 42}", "<think>hmm</think>\nHello!"}) {
            ToolCallParser.Result r = ToolCallParser.parse(t, ChatFormat.chatml());
            assertFalse(r.attempted(), t + " -> " + r);
            assertEquals(t.replaceFirst("(?s)^<think>.*</think>", "").strip(), r.content());
        }
    }

    @Test
    void brokenCallsAreParseErrorsNotCalls() {
        String[] broken = {
            "<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": '/tmp'}}\n</tool_call>",
            "{\"name\": \"read_file\", \"parameters\": {\"path\": \"/tmp\",}}",
            "```json\n{\"name\": \"read_file\", \"arguments\": {path: 1}}\n```",
            "Calling {\"name\": \"read_file\", \"arguments\": {\"path\": \"/tm",
        };
        for (String t : broken) {
            for (ChatFormat f : FORMATS) {
                ToolCallParser.Result r = ToolCallParser.parse(t, f);
                assertTrue(r.attempted(), f.id() + ": " + t);
                assertFalse(r.valid(), f.id() + ": " + t);
                assertNotNull(r.error(), f.id() + ": " + t);
            }
        }
    }

    /** Property: calls rendered by any chat format (in a full rendered conversation) parse back to the same calls. */
    @Test
    void renderedCallsParseBackToTheSameCalls() {
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            ChatFormat f = FORMATS.get(i % FORMATS.size());
            int n = f == ChatFormat.llama3() ? 1 : 1 + rnd.nextInt(3);
            List<ToolCall> calls = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                calls.add(new ToolCall(randomName(rnd), randomObject(rnd, 0)));
            }
            List<ChatMessage> conv = List.of(ChatMessage.user("do it"), ChatMessage.assistant("", calls));
            String span = f.renderWithSpans(conv, null, false).assistantTexts().get(0);
            for (ChatFormat parseWith : new ChatFormat[] {f, null}) {
                ToolCallParser.Result r = ToolCallParser.parse(span, parseWith);
                assertNull(r.error(), span);
                assertEquals(calls, r.calls(), f.id() + " / " + parseWith + ": " + span);
            }
        }
    }

    /** Fuzz: junk never throws; a call that comes out has a name and object arguments. */
    @Test
    void junkNeverThrows() {
        String[] atoms = {"{", "}", "[", "]", "\"", "\\", ":", ",", "name", "\"name\"", "arguments", "parameters",
            "<tool_call>", "</tool_call>", "```json\n", "```", "<think>", "</think>", " ", "\n", "read_file", "1", "null",
            "<|im_end|>", "<|python_tag|>", "\uFF5C", "<\uFF5Ctool\u2581calls\u2581begin\uFF5C>",
            "<\uFF5Ctool\u2581call\u2581begin\uFF5C>function<\uFF5Ctool\u2581sep\uFF5C>", "é", "\u0000", "{\"name\": \"x\", \"arguments\": {}}"};
        Random rnd = new Random(11);
        int withCalls = 0;
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int k = 0; k < len; k++) {
                sb.append(atoms[rnd.nextInt(atoms.length)]);
            }
            for (ChatFormat f : new ChatFormat[] {FORMATS.get(i % 3), null}) {
                ToolCallParser.Result r = ToolCallParser.parse(sb.toString(), f);
                assertNotNull(r);
                for (ToolCall c : r.calls()) {
                    assertFalse(c.name().isBlank());
                    assertTrue(c.arguments().isObject());
                    withCalls++;
                }
            }
        }
        assertTrue(withCalls > 0, "the fuzzer never produced a call; it tests nothing");
    }

    static String randomName(Random r) {
        String a = "abcdefghijklmnopqrstuvwxyz_";
        StringBuilder sb = new StringBuilder().append((char) ('a' + r.nextInt(26)));
        for (int i = r.nextInt(12); i > 0; i--) {
            sb.append(a.charAt(r.nextInt(a.length())));
        }
        return sb.toString();
    }

    static JsonNode randomValue(Random r, int depth) {
        switch (r.nextInt(depth > 2 ? 4 : 6)) {
            case 0:
                return Json.MAPPER.getNodeFactory().numberNode(r.nextInt(2000) - 1000);
            case 1:
                return Json.MAPPER.getNodeFactory().numberNode(Math.round(r.nextDouble() * 1000) / 100.0);
            case 2:
                return Json.MAPPER.getNodeFactory().booleanNode(r.nextBoolean());
            case 3:
                String chars = "ab c/{}[]\"\\:,.<>\n\té😀'`";
                StringBuilder sb = new StringBuilder();
                for (int i = r.nextInt(15); i > 0; i--) {
                    sb.append(chars.charAt(r.nextInt(chars.length())));
                }
                return Json.MAPPER.getNodeFactory().stringNode(sb.toString());
            case 4:
                ArrayNode a = Json.MAPPER.createArrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(randomValue(r, depth + 1));
                }
                return a;
            default:
                return randomObject(r, depth + 1);
        }
    }

    static ObjectNode randomObject(Random r, int depth) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        for (int i = r.nextInt(5); i > 0; i--) {
            o.set(randomName(r), randomValue(r, depth + 1));
        }
        return o;
    }
}
