package dev.mcpforge.engine.chat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatFormatTest {
    static final JsonNode TOOLS = json("[{\"name\": \"read_file\", \"description\": \"Read a file\", \"inputSchema\": "
            + "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\", \"properties\": "
            + "{\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"]}}]");

    static JsonNode json(String s) {
        return JsonText.MAPPER.readTree(s);
    }

    static ToolCall readCall() {
        return new ToolCall("read_file", json("{\"path\": \"/tmp/a.txt\"}"));
    }

    static List<ChatMessage> conversation() {
        return List.of(ChatMessage.system("You help with files."), ChatMessage.user("Read /tmp/a.txt"),
                ChatMessage.toolCall(readCall()), ChatMessage.toolResult("read_file", "hello"),
                ChatMessage.assistant("It says hello."));
    }

    @Test
    void chatmlWithToolsExactText() {
        RenderedChat r = ChatFormat.chatml().renderWithSpans(conversation(), TOOLS, true);
        String expected = "<|im_start|>system\nYou help with files.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                + "{\"type\": \"function\", \"function\": {\"name\": \"read_file\", \"description\": \"Read a file\", \"parameters\": "
                + "{\"type\": \"object\", \"properties\": {\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"]}}}\n</tools>\n\n"
                + "For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
                + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\nRead /tmp/a.txt<|im_end|>\n"
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a.txt\"}}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nhello\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\nIt says hello.<|im_end|>\n"
                + "<|im_start|>assistant\n";
        assertEquals(expected, r.text());
        assertEquals(List.of("<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a.txt\"}}\n</tool_call><|im_end|>",
                "It says hello.<|im_end|>"), r.assistantTexts());
        assertEquals(r.text(), ChatFormat.chatml().render(conversation(), TOOLS, true));
    }

    @Test
    void chatmlWithoutToolsAndParallelToolResults() {
        List<ChatMessage> c = List.of(ChatMessage.user("hi"),
                ChatMessage.assistant("Checking.", List.of(readCall(), new ToolCall("list", json("{}")))),
                ChatMessage.toolResult("read_file", "A"), ChatMessage.toolResult("list", "B"));
        String expected = "<|im_start|>user\nhi<|im_end|>\n"
                + "<|im_start|>assistant\nChecking.\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a.txt\"}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"list\", \"arguments\": {}}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nA\n</tool_response>\n<tool_response>\nB\n</tool_response><|im_end|>\n";
        assertEquals(expected, ChatFormat.chatml().render(c, null, false));
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nu<|im_end|>\n",
                ChatFormat.chatml().render(List.of(ChatMessage.system("S"), ChatMessage.user("u")), json("[]"), false));
    }

    @Test
    void chatmlParse() {
        ParsedReply p = ChatFormat.chatml().parse("<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"x\"}}\n</tool_call><|im_end|>");
        assertEquals(List.of(new ToolCall("read_file", json("{\"path\": \"x\"}"))), p.toolCalls());
        assertNull(p.error());
        ParsedReply text = ChatFormat.chatml().parse("Just text.<|im_end|>");
        assertEquals("Just text.", text.content());
        assertTrue(text.toolCalls().isEmpty());
        ParsedReply bad = ChatFormat.chatml().parse("<tool_call>\n{\"name\": \"read_file\", \"argu");
        assertNotNull(bad.error());
        assertTrue(bad.toolCalls().isEmpty());
        // the rendered call parses back to itself
        String rendered = ChatFormat.chatml().renderToolCall(readCall());
        assertEquals(List.of(readCall()), ChatFormat.chatml().parse(rendered).toolCalls());
    }

    /** Two tools: an MCP definition and an OpenAI-style entry (both spellings the formats accept). */
    static final JsonNode TWO_TOOLS = json("[{\"name\": \"read_file\", \"description\": \"Read a file\", \"inputSchema\": "
            + "{\"type\": \"object\", \"properties\": {\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"]}}, "
            + "{\"type\": \"function\", \"function\": {\"name\": \"list_directory\", \"description\": \"List\", "
            + "\"parameters\": {\"type\": \"object\", \"properties\": {}}}}]");

    static final String NAMES_HEADER_REST = "\n\n# Tools\n\nYou may call these functions:\n<tools>\nread_file\nlist_directory\n"
            + "</tools>\n\nFor each function call, return a json object with function name and arguments within "
            + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
            + "<args-json-object>}\n</tool_call><|im_end|>\n";

    @Test
    void chatmlToolNamesExactTextAndSpans() {
        ChatFormat f = ChatFormat.chatmlToolNames();
        assertEquals("chatml-names", f.id());
        RenderedChat r = f.renderWithSpans(conversation(), TWO_TOOLS, true);
        String turns = "<|im_start|>user\nRead /tmp/a.txt<|im_end|>\n"
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a.txt\"}}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nhello\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\nIt says hello.<|im_end|>\n"
                + "<|im_start|>assistant\n";
        assertEquals("<|im_start|>system\nYou help with files." + NAMES_HEADER_REST + turns, r.text());
        assertEquals(List.of("<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a.txt\"}}\n</tool_call><|im_end|>",
                "It says hello.<|im_end|>"), r.assistantTexts());
        assertEquals(r.text(), f.render(conversation(), TWO_TOOLS, true));
        // everything after the system turn is the full variant's text, spans at the same distance from the end
        RenderedChat full = ChatFormat.chatml().renderWithSpans(conversation(), TWO_TOOLS, true);
        assertTrue(full.text().endsWith(turns));
        assertEquals(full.assistantTexts(), r.assistantTexts());
        assertEquals(full.text().length() - full.assistantSpans().get(0).start(),
                r.text().length() - r.assistantSpans().get(0).start());
        assertTrue(!r.text().contains("\"parameters\"") && full.text().contains("\"parameters\""));
        // no system message: the default system prompt, as the full variant
        assertTrue(f.render(conversation().subList(1, 5), TWO_TOOLS, false).startsWith("<|im_start|>system\n"
                + ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT + NAMES_HEADER_REST + "<|im_start|>user\nRead /tmp/a.txt"));
        // without tools there is no tools section: the same text as the full variant
        List<ChatMessage> plain = List.of(ChatMessage.system("S"), ChatMessage.user("u"));
        assertEquals(ChatFormat.chatml().render(plain, null, true), f.render(plain, json("[]"), true));
        assertThrows(IllegalArgumentException.class, () -> f.render(plain, json("[{\"function\": {\"name\": 3}}]"), true));
    }

    @Test
    void chatmlImplicitToolsExactTextAndSpans() {
        ChatFormat f = ChatFormat.chatmlImplicitTools();
        assertEquals("chatml-implicit", f.id());
        RenderedChat r = f.renderWithSpans(conversation(), TWO_TOOLS, true);
        RenderedChat full = ChatFormat.chatml().renderWithSpans(conversation(), TWO_TOOLS, true);
        String turns = full.text().substring(full.text().indexOf("<|im_start|>user\n"));
        // the system turn is the system prompt alone: no tool names, no call instructions
        assertEquals("<|im_start|>system\nYou help with files.<|im_end|>\n" + turns, r.text());
        assertTrue(!r.text().contains("list_directory") && !r.text().contains("<tools>"), r.text());
        assertEquals(full.assistantTexts(), r.assistantTexts());
        assertEquals(full.toolNames().size(), r.toolNames().size());
        assertEquals(r.text(), f.render(conversation(), TWO_TOOLS, true));
        // no system message: the default system prompt still opens the conversation, as in the other variants
        assertTrue(f.render(conversation().subList(1, 5), TWO_TOOLS, false).startsWith("<|im_start|>system\n"
                + ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT + "<|im_end|>\n<|im_start|>user\nRead /tmp/a.txt"));
        // without tools: the same text as the full variant
        List<ChatMessage> plain = List.of(ChatMessage.system("S"), ChatMessage.user("u"));
        assertEquals(ChatFormat.chatml().render(plain, null, true), f.render(plain, json("[]"), true));
        // calls are written, parsed and stopped as in ChatML
        assertEquals(ChatFormat.chatml().toolCallSyntax(), f.toolCallSyntax());
        assertEquals(ChatFormat.chatml().stopStrings(), f.stopStrings());
        assertEquals(List.of(readCall()), f.parse(f.renderToolCall(readCall())).toolCalls());
        assertEquals(ChatMLFormat.ToolList.NONE, ((ChatMLFormat) f).toolList());
    }

    @Test
    void chatmlToolNamesCallsParseAndStopAsChatml() {
        ChatFormat f = ChatFormat.chatmlToolNames();
        ChatFormat c = ChatFormat.chatml();
        assertEquals(c.toolCallSyntax(), f.toolCallSyntax());
        assertEquals(c.stopStrings(), f.stopStrings());
        assertEquals(c.generationPrompt(), f.generationPrompt());
        assertEquals(c.endOfTurn(), f.endOfTurn());
        assertEquals(c.renderToolCall(readCall()), f.renderToolCall(readCall()));
        ParsedReply p = f.parse("<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"x\"}}\n</tool_call><|im_end|>");
        assertEquals(List.of(new ToolCall("read_file", json("{\"path\": \"x\"}"))), p.toolCalls());
        assertNull(p.error());
        assertEquals("Just text.", f.parse("Just text.<|im_end|>").content());
        assertNotNull(f.parse("<tool_call>\n{\"name\": \"read_file\", \"argu").error());
        assertEquals(List.of(readCall()), f.parse(f.renderToolCall(readCall())).toolCalls());
    }

    @Test
    void theJinjaTemplatesShareEverythingButTheToolsSection() {
        String full = ChatTemplates.CHATML_TOOLS;
        String names = ChatTemplates.CHATML_TOOL_NAMES;
        String fullTools = "{{- '\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query."
                + "\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>' }}"
                + "{%- for tool in tools %}{{- '\\n' }}{{- tool | tojson }}{%- endfor %}";
        String nameTools = "{{- '\\n\\n# Tools\\n\\nYou may call these functions:\\n<tools>' }}"
                + "{%- for tool in tools %}{%- if tool.function is defined %}{%- set tool = tool.function %}{%- endif %}"
                + "{{- '\\n' + tool.name }}{%- endfor %}";
        assertTrue(full.contains(fullTools), full);
        assertEquals(full.replace(fullTools, nameTools), names);
        assertTrue(!names.contains("tojson }}{%- endfor") && names.contains("tool_call.arguments | tojson"));
        // the implicit variant: no tools section, the system turn closed right after the system prompt
        String implicit = ChatTemplates.CHATML_IMPLICIT_TOOLS;
        int from = full.indexOf(fullTools);
        int to = full.indexOf("<|im_end|>\\n' }}", from) + "<|im_end|>\\n' }}".length();
        assertEquals(full.substring(0, from) + "{{- '<|im_end|>\\n' }}" + full.substring(to), implicit);
        assertTrue(!implicit.contains("<tools>") && implicit.contains("{%- if tools %}"), implicit);
    }

    @Test
    void llama3ExactText() {
        RenderedChat r = ChatFormat.llama3().renderWithSpans(conversation(), TOOLS, true);
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou help with files.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nGiven the following functions, please respond with a JSON for a function call "
                + "with its proper arguments that best answers the given prompt.\n\n"
                + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n"
                + "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"read_file\",\n        \"description\": \"Read a file\",\n"
                + "        \"parameters\": {\n            \"type\": \"object\",\n            \"properties\": {\n                \"path\": {\n"
                + "                    \"type\": \"string\"\n                }\n            },\n            \"required\": [\n                \"path\"\n"
                + "            ]\n        }\n    }\n}\n\nRead /tmp/a.txt<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"read_file\", \"parameters\": {\"path\": \"/tmp/a.txt\"}}<|eot_id|>"
                + "<|start_header_id|>ipython<|end_header_id|>\n\n\"hello\"<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nIt says hello.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        assertEquals(expected, r.text());
        assertEquals(List.of("{\"name\": \"read_file\", \"parameters\": {\"path\": \"/tmp/a.txt\"}}<|eot_id|>",
                "It says hello.<|eot_id|>"), r.assistantTexts());
        assertEquals(List.of(readCall()), ChatFormat.llama3().parse("{\"name\": \"read_file\", \"parameters\": {\"path\": \"/tmp/a.txt\"}}<|eot_id|>").toolCalls());
        assertEquals("Hi there", ChatFormat.llama3().parse(" Hi there<|eot_id|>").content());
        assertNotNull(ChatFormat.llama3().parse("{\"name\": ").error());
        assertThrows(IllegalArgumentException.class, () -> ChatFormat.llama3().render(
                List.of(ChatMessage.user("u"), ChatMessage.assistant("", List.of(readCall(), readCall()))), null, false));
    }

    @Test
    void deepseekExactText() {
        RenderedChat r = ChatFormat.deepseekR1().renderWithSpans(conversation(), TOOLS, true);
        String call = "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>read_file\n```json\n{\"path\": \"/tmp/a.txt\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>";
        String expected = "<｜begin▁of▁sentence｜>You help with files.\n\nYou can call these tools. To call one, answer with "
                + "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜><tool-name>\n```json\n<arguments-json-object>\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>.\nTools:\n"
                + "{\"type\": \"function\", \"function\": {\"name\": \"read_file\", \"description\": \"Read a file\", \"parameters\": "
                + "{\"type\": \"object\", \"properties\": {\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"]}}}"
                + "<｜User｜>Read /tmp/a.txt"
                + "<｜Assistant｜><think>\n\n</think>\n\n" + call + "<｜end▁of▁sentence｜>"
                + "<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>hello<｜tool▁output▁end｜><｜tool▁outputs▁end｜>"
                + "<｜Assistant｜><think>\n\n</think>\n\nIt says hello.<｜end▁of▁sentence｜>"
                + "<｜Assistant｜><think>\n";
        assertEquals(expected, r.text());
        assertEquals(List.of("\n</think>\n\n" + call + "<｜end▁of▁sentence｜>", "\n</think>\n\nIt says hello.<｜end▁of▁sentence｜>"),
                r.assistantTexts());
        assertEquals(call, ChatFormat.deepseekR1().renderToolCall(readCall()));
        ParsedReply p = ChatFormat.deepseekR1().parse("Let me look.\n</think>\n\n" + call + "<｜end▁of▁sentence｜>");
        assertEquals("Let me look.", p.reasoning());
        assertEquals(List.of(readCall()), p.toolCalls());
        assertNull(p.error());
        ParsedReply t = ChatFormat.deepseekR1().parse("hmm\n</think>\n\nThe answer is 4.");
        assertEquals("The answer is 4.", t.content());
        assertEquals("hmm", t.reasoning());
    }

    @Test
    void detectAndByName() {
        assertSame(ChatFormat.chatml(), ChatFormat.detect("llama", ChatTemplates.CHATML_TOOLS));
        assertSame(ChatFormat.chatml(), ChatFormat.detect("qwen2", "{{ '<|im_start|>' }}"));
        assertSame(ChatFormat.llama3(), ChatFormat.detect("llama", "{{ '<|start_header_id|>' + role }}"));
        assertSame(ChatFormat.deepseekR1(), ChatFormat.detect("qwen2", "{{'<｜User｜>' + message['content']}}"));
        assertSame(ChatFormat.chatml(), ChatFormat.detect("qwen2", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChatFormat.detect("gemma2", "<start_of_turn>user"));
        assertTrue(e.getMessage().contains("gemma2") && e.getMessage().contains("ChatML"), e.getMessage());
        assertSame(ChatFormat.llama3(), ChatFormat.byName("Llama3"));
        assertSame(ChatFormat.deepseekR1(), ChatFormat.byName("deepseek-r1"));
        // the names variant: exactly its template (the one MCP-Forge writes into the tiny model), or by name
        assertSame(ChatFormat.chatmlToolNames(), ChatFormat.detect("llama", ChatTemplates.CHATML_TOOL_NAMES));
        assertSame(ChatFormat.chatml(), ChatFormat.detect("llama", ChatTemplates.CHATML_TOOL_NAMES + " "));
        assertSame(ChatFormat.chatmlToolNames(), ChatFormat.byName("ChatML-Names"));
        assertSame(ChatFormat.chatmlImplicitTools(), ChatFormat.detect("llama", ChatTemplates.CHATML_IMPLICIT_TOOLS));
        assertSame(ChatFormat.chatmlImplicitTools(), ChatFormat.byName("chatml-implicit"));
        assertSame(ChatFormat.chatml(), ChatFormat.byName("chatml"));
        assertThrows(IllegalArgumentException.class, () -> ChatFormat.byName("vicuna"));
    }

    @Test
    void forModelUsesTemplateOrVocabularyMarkers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path a = dir.resolve("a.gguf");
        new dev.mcpforge.engine.gguf.GgufWriter().putString("general.architecture", "llama")
                .putStringArray("tokenizer.ggml.tokens", List.of("<|begin_of_text|>", "<|start_header_id|>", "x")).write(a);
        assertSame(ChatFormat.llama3(), ChatFormat.forModel(dev.mcpforge.engine.gguf.GgufReader.read(a)));
        java.nio.file.Path b = dir.resolve("b.gguf");
        new dev.mcpforge.engine.gguf.GgufWriter().putString("general.architecture", "gemma2")
                .putString("tokenizer.chat_template", "<start_of_turn>").write(b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChatFormat.forModel(dev.mcpforge.engine.gguf.GgufReader.read(b)));
        assertTrue(e.getMessage().contains("b.gguf") && e.getMessage().contains("gemma2"), e.getMessage());
        java.nio.file.Path c = dir.resolve("c.gguf");
        new dev.mcpforge.engine.gguf.GgufWriter().putString("general.architecture", "qwen2").write(c);
        assertSame(ChatFormat.chatml(), ChatFormat.forModel(dev.mcpforge.engine.gguf.GgufReader.read(c)));
        java.nio.file.Path d = dir.resolve("d.gguf");
        new dev.mcpforge.engine.gguf.GgufWriter().putString("general.architecture", "llama")
                .putString("tokenizer.chat_template", ChatTemplates.CHATML_TOOL_NAMES).write(d);
        assertSame(ChatFormat.chatmlToolNames(), ChatFormat.forModel(dev.mcpforge.engine.gguf.GgufReader.read(d)));
        java.nio.file.Path e2 = dir.resolve("e.gguf");
        new dev.mcpforge.engine.gguf.GgufWriter().putString("general.architecture", "llama")
                .putString("tokenizer.chat_template", ChatTemplates.CHATML_TOOLS).write(e2);
        assertSame(ChatFormat.chatml(), ChatFormat.forModel(dev.mcpforge.engine.gguf.GgufReader.read(e2)));
    }

    @Test
    void jsonTextMatchesPythonJsonDumps() {
        assertEquals("{\"a\": 1, \"b\": [true, null, 2.5, \"x\\\"y\\n\u00e9\"], \"c\": {}}",
                JsonText.write(json("{\"a\":1,\"b\":[true,null,2.5,\"x\\\"y\\n\u00e9\"],\"c\":{}}")));
        assertEquals("[\n  1,\n  {\n    \"k\": []\n  }\n]", JsonText.write(json("[1,{\"k\":[]}]"), 2));
        assertEquals("[1.0, 1e-07, 1e+16, 123456.5]", JsonText.write(json("[1.0, 1e-7, 1e16, 123456.5]")));
    }

    @Test
    void everyFormatRecordsWhereItWroteEachCalledToolsName() {
        ToolCall odd = new ToolCall("say \"hi\"", json("{\"name\": \"x\"}"));
        List<ChatMessage> twoCalls = List.of(ChatMessage.user("Read it, then say hi"),
                ChatMessage.assistant("", List.of(readCall(), odd)), ChatMessage.toolResult("read_file", "A"),
                ChatMessage.toolResult("say \"hi\"", "B"), ChatMessage.assistant("Done: name read_file."));
        for (ChatFormat f : List.of(ChatFormat.chatml(), ChatFormat.chatmlToolNames(), ChatFormat.chatmlImplicitTools(),
                ChatFormat.deepseekR1())) {
            RenderedChat r = f.renderWithSpans(twoCalls, TOOLS, false);
            List<String> written = r.toolNames().stream().map(s -> r.text().substring(s.start(), s.end())).toList();
            // ChatML writes the name inside a JSON string, escaped; DeepSeek-R1 verbatim
            assertEquals(List.of("read_file", f == ChatFormat.deepseekR1() ? "say \"hi\"" : "say \\\"hi\\\""), written,
                    f.id());
            for (RenderedChat.Span n : r.toolNames()) {
                assertTrue(r.assistantSpans().stream().anyMatch(a -> a.start() <= n.start() && n.end() <= a.end()),
                        f.id() + ": a tool name outside the assistant turns");
            }
        }
        RenderedChat l = ChatFormat.llama3().renderWithSpans(conversation(), TOOLS, false);
        assertEquals(1, l.toolNames().size());
        assertEquals("read_file", l.text().substring(l.toolNames().get(0).start(), l.toolNames().get(0).end()));
        // a conversation without calls, and the name as it appears in a plain answer, record nothing
        assertEquals(List.of(), ChatFormat.chatml().renderWithSpans(List.of(ChatMessage.user("hi"),
                ChatMessage.assistant("Use read_file.")), TOOLS, false).toolNames());
    }
}
