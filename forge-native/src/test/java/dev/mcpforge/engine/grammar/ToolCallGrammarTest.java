package dev.mcpforge.engine.grammar;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.JsonText;
import dev.mcpforge.engine.chat.ParsedReply;
import dev.mcpforge.engine.chat.ToolCall;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolCallGrammarTest {
    static final List<String> FIXTURES = List.of("everything-allcaps-tools", "everything-tools", "filesystem-tools",
            "git-tools", "memory-tools", "sequential-thinking-tools", "sqlite-tools", "time-tools");
    static final List<ChatFormat> FORMATS = List.of(ChatFormat.chatml(), ChatFormat.llama3(), ChatFormat.deepseekR1());
    static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** Keywords the grammar does not enforce (documented); removed before validating generated arguments. */
    static final Set<String> NOT_ENFORCED = Set.of("pattern", "maxLength", "format", "maxItems", "uniqueItems",
            "multipleOf", "$schema");

    static JsonNode tools(String fixture) throws IOException {
        try (InputStream in = ToolCallGrammarTest.class.getResourceAsStream("/mcp-tools/" + fixture + ".json")) {
            assertNotNull(in, "missing test resource " + fixture);
            JsonNode root = JsonText.MAPPER.readTree(in);
            return root.isArray() ? root : root.get("tools");
        }
    }

    static JsonNode json(String s) {
        return JsonText.MAPPER.readTree(s);
    }

    @Test
    void grammarsForAllFixturesAreWellFormed() throws IOException {
        for (String f : FIXTURES) {
            for (ChatFormat fmt : FORMATS) {
                String g = ToolCallGrammar.build(tools(f), fmt);
                Gbnf parsed = Gbnf.parse(g); // throws on unbalanced/undefined/duplicate
                for (String rule : parsed.rules.keySet()) {
                    assertTrue(rule.equals("root") || parsed.referenced().contains(rule), f + ": unused rule " + rule);
                }
                assertEquals(g, ToolCallGrammar.build(tools(f), fmt), "deterministic");
            }
        }
    }

    @Test
    void acceptsRenderedCallsAndRejectsInvalidOnes() throws IOException {
        JsonNode tools = tools("filesystem-tools");
        for (ChatFormat fmt : FORMATS) {
            Gbnf g = Gbnf.parse(ToolCallGrammar.build(tools, fmt));
            String p = fmt.replyPrefix();
            assertTrue(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"path\": \"/tmp/a b.txt\"}")))));
            assertTrue(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"path\": \"x\", \"tail\": 10, \"head\": 2.5}")))));
            assertTrue(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"path\": \"x\", \"head\": -3}")))));
            assertTrue(g.matches(p + fmt.renderToolCall(new ToolCall("edit_file", json(
                    "{\"path\": \"a\", \"edits\": [{\"oldText\": \"x\\n\\\"q\\\"\", \"newText\": \"\u00e9\"}], \"dryRun\": true}")))));
            assertTrue(g.matches(p + fmt.renderToolCall(new ToolCall("list_allowed_directories", json("{}")))));
            assertTrue(g.matches(p + fmt.renderToolCall(new ToolCall("read_multiple_files", json("{\"paths\": [\"a\", \"b\"]}")))));
            // free text
            assertTrue(g.matches(p + "The directory is empty."));
            // invalid: missing required, wrong order, unknown tool, extra property, wrong type, empty minItems array
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"tail\": 10}")))));
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"tail\": 10, \"path\": \"x\"}")))));
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("delete_file", json("{\"path\": \"x\"}")))));
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"path\": \"x\", \"mode\": 1}")))));
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"path\": 5}")))));
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("read_multiple_files", json("{\"paths\": []}")))));
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("write_file", json("{\"path\": \"x\"}")))));
            // compact JSON (no spaces) is not the trained format
            assertFalse(g.matches(p + fmt.renderToolCall(new ToolCall("read_file", json("{\"path\": \"x\"}"))).replace("\": \"", "\":\"")));
        }
    }

    @Test
    void enumsConstAnyOfRefsAndRanges() {
        JsonNode schema = json("{\"type\": \"object\", \"properties\": {"
                + "\"mode\": {\"type\": \"string\", \"enum\": [\"list\", \"create\"]},"
                + "\"kind\": {\"const\": \"fixed\"},"
                + "\"target\": {\"anyOf\": [{\"type\": \"integer\", \"minimum\": 1, \"maximum\": 12}, {\"type\": \"null\"}]},"
                + "\"node\": {\"$ref\": \"#/$defs/node\"},"
                + "\"tags\": {\"type\": [\"array\", \"null\"], \"items\": {\"type\": \"string\", \"minLength\": 2}},"
                + "\"meta\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"boolean\"}}},"
                + "\"required\": [\"mode\", \"kind\"],"
                + "\"$defs\": {\"node\": {\"type\": \"object\", \"properties\": {\"v\": {\"type\": \"integer\"}, "
                + "\"next\": {\"$ref\": \"#/$defs/node\"}}, \"required\": [\"v\"]}}}");
        Gbnf g = Gbnf.parse(ToolCallGrammar.forSchema(schema));
        assertTrue(g.matches("{\"mode\": \"list\", \"kind\": \"fixed\"}"));
        assertTrue(g.matches("{\"mode\": \"create\", \"kind\": \"fixed\", \"target\": 12, \"node\": {\"v\": 1, \"next\": {\"v\": -2}}, "
                + "\"tags\": [\"ab\", \"cde\"], \"meta\": {\"x\": true, \"y\": false}}"));
        assertTrue(g.matches("{\"mode\": \"list\", \"kind\": \"fixed\", \"target\": null, \"tags\": null}"));
        assertFalse(g.matches("{\"mode\": \"delete\", \"kind\": \"fixed\"}"));
        assertFalse(g.matches("{\"mode\": \"list\", \"kind\": \"other\"}"));
        assertFalse(g.matches("{\"mode\": \"list\", \"kind\": \"fixed\", \"target\": 13}"));
        assertFalse(g.matches("{\"mode\": \"list\", \"kind\": \"fixed\", \"target\": 0}"));
        assertFalse(g.matches("{\"mode\": \"list\", \"kind\": \"fixed\", \"node\": {\"next\": {\"v\": 1}}}"));
        assertFalse(g.matches("{\"mode\": \"list\", \"kind\": \"fixed\", \"tags\": [\"a\"]}"));
        assertFalse(g.matches("{\"mode\": \"list\", \"kind\": \"fixed\", \"meta\": {\"x\": 1}}"));
    }

    @Test
    void integerRangesAreExact() {
        long[][] ranges = {{1, 1000}, {0, 9}, {-20, 35}, {7, 7}, {-100, -3}, {95, 1234}, {0, 100000}};
        for (long[] r : ranges) {
            Gbnf g = Gbnf.parse("root ::= " + IntegerRanges.expression(r[0], r[1], 15) + "\n");
            for (long v = Math.min(r[0], 0) - 30; v <= r[1] + 30 && v <= r[0] + 3000; v++) {
                boolean in = v >= r[0] && v <= r[1];
                assertEquals(in, g.matches(Long.toString(v)), "range " + r[0] + ".." + r[1] + " value " + v);
            }
            assertFalse(g.matches("0" + Math.max(r[0], 1)), "no leading zeros");
        }
        Gbnf open = Gbnf.parse("root ::= " + IntegerRanges.expression(5L, null, 15) + "\n");
        assertTrue(open.matches("5"));
        assertTrue(open.matches("123456789012345"));
        assertFalse(open.matches("4"));
        assertFalse(open.matches("-7"));
        assertFalse(open.matches("1234567890123456")); // more than 15 digits
    }

    @Test
    void generatedStringsParseAndValidateAgainstTheSchemas() throws IOException {
        Random rnd = new Random(11);
        int calls = 0;
        int answers = 0;
        for (String f : FIXTURES) {
            JsonNode tools = tools(f);
            Map<String, Schema> schemas = new HashMap<>();
            for (JsonNode t : tools) {
                schemas.put(t.get("name").asString(), REGISTRY.getSchema(JsonText.write(strip(t.get("inputSchema")))));
            }
            for (ChatFormat fmt : FORMATS) {
                String grammar = ToolCallGrammar.build(tools, fmt);
                Gbnf g = Gbnf.parse(grammar);
                for (int i = 0; i < 60; i++) {
                    String s = g.generate(rnd);
                    assertTrue(g.matches(s), "generated string must match: " + s);
                    assertTrue(s.startsWith(fmt.replyPrefix()));
                    ParsedReply reply = fmt.parse(s.substring(fmt.replyPrefix().length()) + fmt.endOfTurn());
                    assertNull(reply.error(), () -> fmt.id() + " could not parse: " + s);
                    if (reply.toolCalls().isEmpty()) {
                        answers++;
                        assertFalse(reply.content().isEmpty() && !s.isBlank() && s.trim().isEmpty());
                        continue;
                    }
                    calls++;
                    assertEquals(1, reply.toolCalls().size(), s);
                    ToolCall c = reply.toolCalls().get(0);
                    Schema schema = schemas.get(c.name());
                    assertNotNull(schema, "unknown tool " + c.name());
                    var errors = schema.validate(c.arguments());
                    assertTrue(errors.isEmpty(), () -> f + "/" + fmt.id() + " " + c.name() + " " + errors + " in " + s);
                    String again = fmt.renderToolCall(c);
                    // (floats are re-printed in Python's repr, e.g. 1e+100 or 16 digits, which the grammar may exclude)
                    assertTrue(hasFloat(c.arguments()) || g.matches(fmt.replyPrefix() + again),
                            "the format's own rendering of a parsed call is grammar-valid: " + fmt.renderToolCall(c));
                }
            }
        }
        assertTrue(calls > 600 && answers > 100, "calls " + calls + ", answers " + answers);
    }

    @Test
    void optionsAndErrors() throws IOException {
        JsonNode tools = tools("time-tools");
        String noText = ToolCallGrammar.build(tools, ChatFormat.chatml(), new ToolCallGrammar.Options(false, false));
        Gbnf g = Gbnf.parse(noText);
        assertFalse(g.matches("Hello"));
        assertFalse(noText.contains("answer"));
        String parallel = ToolCallGrammar.build(tools, ChatFormat.chatml(), new ToolCallGrammar.Options(false, true));
        String one = ChatFormat.chatml().renderToolCall(new ToolCall("current_time", json("{\"timezone\": \"UTC\"}")));
        assertTrue(Gbnf.parse(parallel).matches(one + "\n" + one));
        assertFalse(g.matches(one + "\n" + one));
        // the names variant writes calls as ChatML does: the same grammar, parallel calls included
        assertEquals(parallel, ToolCallGrammar.build(tools, ChatFormat.chatmlToolNames(),
                new ToolCallGrammar.Options(false, true)));
        assertThrows(IllegalArgumentException.class, () -> ToolCallGrammar.build(json("[]"), ChatFormat.chatml()));
        assertThrows(IllegalArgumentException.class, () -> ToolCallGrammar.build(
                json("[{\"name\": \"a\"}, {\"name\": \"a\"}]"), ChatFormat.chatml()));
        // a tool without a schema takes any object
        Gbnf any = Gbnf.parse(ToolCallGrammar.build(json("[{\"name\": \"ping\"}]"), ChatFormat.chatml()));
        assertTrue(any.matches(ChatFormat.chatml().renderToolCall(new ToolCall("ping", json("{\"x\": [1, {\"y\": null}]}")))));
    }

    private static JsonNode strip(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        removeKeywords(copy);
        return copy;
    }

    private static boolean hasFloat(JsonNode n) {
        if (n.isFloatingPointNumber() || n.isBigDecimal()) {
            return true;
        }
        for (JsonNode c : n) {
            if (hasFloat(c)) {
                return true;
            }
        }
        return false;
    }

    /** Removes the not-enforced keywords from a schema and its subschemas (not from property-name maps). */
    private static void removeKeywords(JsonNode n) {
        if (!n.isObject()) {
            return;
        }
        ((ObjectNode) n).remove(NOT_ENFORCED);
        for (String map : List.of("properties", "$defs", "definitions", "patternProperties")) {
            n.path(map).forEach(ToolCallGrammarTest::removeKeywords);
        }
        for (String sub : List.of("items", "additionalProperties", "not")) {
            removeKeywords(n.path(sub));
        }
        for (String list : List.of("anyOf", "oneOf", "allOf", "prefixItems")) {
            n.path(list).forEach(ToolCallGrammarTest::removeKeywords);
        }
    }
}
