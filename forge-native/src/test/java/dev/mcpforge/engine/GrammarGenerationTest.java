package dev.mcpforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.JsonText;
import dev.mcpforge.engine.chat.ParsedReply;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.engine.grammar.ToolCallGrammar;
import dev.mcpforge.engine.llama.Model;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property: under the grammar derived from the tools' schemas, whatever the (random, untrained) model samples is a
 * parseable tool call whose arguments validate against the tool's schema. Bounded schemas (enum, boolean, integer) keep
 * every completion short enough to finish within the token limit.
 */
class GrammarGenerationTest {
    private static final String TOOLS = """
            [{"name": "list_directory", "description": "List a directory",
              "inputSchema": {"type": "object", "properties": {
                 "path": {"type": "string", "enum": ["/tmp", "/home/user", "/var/log"]},
                 "recursive": {"type": "boolean"}}, "required": ["path"]}},
             {"name": "read_file", "description": "Read a file",
              "inputSchema": {"type": "object", "properties": {
                 "path": {"type": "string", "enum": ["/tmp/a.txt", "/etc/hosts"]},
                 "head": {"type": "integer", "minimum": 0}}, "required": ["path", "head"]}}]
            """;

    @Test
    void sampledCallsAlwaysParseAndValidate() {
        JsonNode tools = JsonMapper.builder().build().readTree(TOOLS);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Map<String, Schema> schemas = new HashMap<>();
        tools.forEach(t -> schemas.put(t.get("name").asString(), registry.getSchema(JsonText.write(t.get("inputSchema")))));
        ChatFormat fmt = ChatFormat.chatml();
        String grammar = ToolCallGrammar.build(tools, fmt, new ToolCallGrammar.Options(false, false));
        GenerationRequest base = GenerationRequest.chat(fmt, List.of(ChatMessage.user("show me /tmp")), tools, 160)
                .withGrammar(grammar);
        Set<String> distinct = new HashSet<>();
        try (Model m = Model.load(TestModels.tinyPath()); Generator g = new Generator(m, 1024, 1)) {
            for (int seed = 0; seed < 12; seed++) {
                GenerationResult r = g.generate(base.withSampling(1.0f, 0, 1f, seed));
                assertEquals("eog", r.stopReason(), () -> "grammar did not complete: " + r.text());
                ParsedReply reply = fmt.parse(r.text().substring(fmt.replyPrefix().length()) + fmt.endOfTurn());
                assertNull(reply.error(), () -> "unparseable: " + r.text());
                assertEquals(1, reply.toolCalls().size(), r.text());
                ToolCall call = reply.toolCalls().get(0);
                Schema schema = schemas.get(call.name());
                assertNotNull(schema, "unknown tool in " + r.text());
                var errors = schema.validate(call.arguments());
                assertTrue(errors.isEmpty(), () -> errors + " in " + r.text());
                distinct.add(r.text());
            }
        }
        assertTrue(distinct.size() > 1, "different seeds should sample different calls: " + distinct);
    }

    /** The span grammar compiles in llama.cpp and every sampled string argument is a span of the user's message. */
    @Test
    void spanGrammarConstrainsStringArgumentsToTheMessagesSpans() {
        JsonNode tools = JsonMapper.builder().build().readTree("""
                [{"name": "read_file", "description": "Read a file",
                  "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}]
                """);
        String user = "show me what is in /var/log/syslog and in notes.txt, please";
        List<String> spans = dev.mcpforge.engine.grammar.PromptSpans.extract(user);
        assertEquals(List.of("/var/log/syslog", "notes.txt"), spans);
        ChatFormat fmt = ChatFormat.chatml();
        String grammar = ToolCallGrammar.build(tools, fmt, new ToolCallGrammar.Options(false, false, spans));
        GenerationRequest base = GenerationRequest.chat(fmt, List.of(ChatMessage.user(user)), tools, 80).withGrammar(grammar);
        Set<String> seen = new HashSet<>();
        try (Model m = Model.load(TestModels.tinyPath()); Generator g = new Generator(m, 1024, 1)) {
            for (int seed = 0; seed < 10; seed++) {
                GenerationResult r = g.generate(base.withSampling(1.0f, 0, 1f, seed));
                assertEquals("eog", r.stopReason(), () -> "grammar did not complete: " + r.text());
                ParsedReply reply = fmt.parse(r.text().substring(fmt.replyPrefix().length()) + fmt.endOfTurn());
                assertNull(reply.error(), () -> "unparseable: " + r.text());
                String path = reply.toolCalls().get(0).arguments().get("path").asString();
                assertTrue(spans.contains(path), path);
                seen.add(path);
            }
        }
        assertEquals(Set.copyOf(spans), seen, "a random model picks both spans over 10 seeds");
    }
}
