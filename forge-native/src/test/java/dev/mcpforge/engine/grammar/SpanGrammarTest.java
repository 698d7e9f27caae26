package dev.mcpforge.engine.grammar;

import static dev.mcpforge.engine.grammar.ToolCallGrammarTest.json;
import static dev.mcpforge.engine.grammar.ToolCallGrammarTest.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ToolCall;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The per-prompt span grammar: spans of the user's message as the values of string arguments. */
class SpanGrammarTest {
    private static final JsonNode TOOLS = json("""
            [{"name": "read_file", "inputSchema": {"type": "object", "properties": {
                "path": {"type": "string"}, "head": {"type": "integer", "minimum": 0}}, "required": ["path"]}},
             {"name": "set_mode", "inputSchema": {"type": "object", "properties": {
                "mode": {"type": "string", "enum": ["fast", "slow"]},
                "label": {"type": "string", "minLength": 30}}, "required": ["mode"]}}]
            """);

    @Test
    void extractsQuotedAndPathLikeSpansButNotNumbersOrApostrophes() {
        assertEquals(List.of("Chicago"), PromptSpans.extract("I'd like the structured content using location \"Chicago\"."));
        assertEquals(List.of("machine learning"), PromptSpans.extract("OK, simulate the research query (topic=\"machine learning\"). Thanks in advance."));
        assertEquals(List.of("/var/log/syslog", "notes.txt"), PromptSpans.extract("Read /var/log/syslog, then notes.txt."));
        assertEquals(List.of("https://git.example.org/team/project.git"),
                PromptSpans.extract("gzip the file where data is \"https://git.example.org/team/project.git\" please"));
        assertEquals(List.of("/tmp/x"), PromptSpans.extract("list path=/tmp/x"));
        assertEquals(List.of("it's here", "a b"), PromptSpans.extract("Don't echo 'it's here' or `a b` twice: 'a b'"));
        assertEquals(List.of("curly"), PromptSpans.extract("say “curly” now"));
        assertEquals(List.of(), PromptSpans.extract("Get the sum where a is 432.75 and b is 504. Set an alarm for 6:30."));
        assertEquals(List.of(), PromptSpans.extract("  "));
        assertEquals(List.of(), PromptSpans.extract(null));
        String many = String.join(" ", java.util.stream.IntStream.range(0, 50).mapToObj(i -> "f" + i + ".txt").toList());
        assertEquals(PromptSpans.MAX_SPANS, PromptSpans.extract(many).size());
    }

    @Test
    void stringArgumentsAreSpansNumbersAndEnumsKeepTheirSchema() {
        ChatFormat f = ChatFormat.chatml();
        List<String> spans = List.of("/tmp/a b.txt", "say \"hi\"\\now");
        String text = ToolCallGrammar.build(TOOLS, f, new ToolCallGrammar.Options(false, false, spans));
        Gbnf g = Gbnf.parse(text);
        assertTrue(text.contains("span ::= \"\\\"/tmp/a b.txt\\\"\" | "), text);
        assertTrue(g.matches(f.renderToolCall(new ToolCall("read_file", json("{\"path\": \"/tmp/a b.txt\", \"head\": 12}")))));
        // a span with a quote and a backslash is offered JSON-escaped, as the format prints it
        assertTrue(g.matches(f.renderToolCall(new ToolCall("read_file", json("{\"path\": \"say \\\"hi\\\"\\\\now\"}")))));
        assertFalse(g.matches(f.renderToolCall(new ToolCall("read_file", json("{\"path\": \"/etc/hosts\"}")))),
                "a string that is no span of the message");
        assertFalse(g.matches(f.renderToolCall(new ToolCall("read_file", json("{\"path\": \"/tmp/a b\"}")))), "a prefix of a span");
        // enums stay enums; a string whose minLength no span meets falls back to free text
        assertTrue(g.matches(f.renderToolCall(new ToolCall("set_mode", json("{\"mode\": \"fast\", \"label\": \"any text that is at least thirty characters\"}")))));
        assertFalse(g.matches(f.renderToolCall(new ToolCall("set_mode", json("{\"mode\": \"/tmp/a b.txt\"}")))));
        // no spans: exactly the schema grammar
        assertEquals(ToolCallGrammar.build(TOOLS, f, new ToolCallGrammar.Options(true, false)),
                ToolCallGrammar.build(TOOLS, f, ToolCallGrammar.Options.DEFAULT.withSpans(List.of())));
    }

    @Test
    void spanGrammarsForEveryFixtureAreWellFormed() throws IOException {
        Random rnd = new Random(3);
        List<String> spans = List.of("/srv/data/report.csv", "New York", "main");
        for (String fixture : ToolCallGrammarTest.FIXTURES) {
            for (ChatFormat fmt : ToolCallGrammarTest.FORMATS) {
                Gbnf g = Gbnf.parse(ToolCallGrammar.build(tools(fixture), fmt, new ToolCallGrammar.Options(false, false, spans)));
                for (int i = 0; i < 20; i++) {
                    String s = g.generate(rnd);
                    assertTrue(g.matches(s), fixture + ": " + s);
                }
            }
        }
    }
}
