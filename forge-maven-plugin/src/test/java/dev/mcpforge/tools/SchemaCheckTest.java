package dev.mcpforge.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaCheckTest {

    static Path fixture(String name) {
        Path p = Path.of("src/test/resources/mcp-tools", name);
        assertTrue(p.toFile().isFile(), "missing fixture " + p.toAbsolutePath());
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"everything-tools.json", "everything-allcaps-tools.json", "filesystem-tools.json",
            "git-tools.json", "memory-tools.json", "sequential-thinking-tools.json", "sqlite-tools.json",
            "time-tools.json"})
    void everyRealServerFixturePasses(String name) throws Exception {
        Toolset ts = FileToolProvider.read(fixture(name), name);
        assertTrue(ts.tools().size() > 0, name + " has tools");
        SchemaCheck.check(ts); // throws on any problem
        for (ToolDefinition t : ts.tools()) {
            assertEquals(List.of(), SchemaCheck.problems(t), t.name());
        }
    }

    private static ToolDefinition tool(String name, String inputSchema) {
        return new ToolDefinition(name, null, "d", (ObjectNode) Json.MAPPER.readTree(inputSchema), null, null);
    }

    private static String failure(ToolDefinition... tools) {
        ToolException e = assertThrows(ToolException.class,
                () -> SchemaCheck.check(new Toolset("test", List.of(tools))));
        System.out.println(e.getMessage());
        return e.getMessage();
    }

    @Test
    void draft07WrongTypeKeywordNamesToolAndPath() {
        String msg = failure(tool("good", "{\"type\":\"object\"}"), tool("get_weather",
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                        + "\"properties\":{\"days\":{\"type\":\"int\"}}}"));
        assertTrue(msg.contains("tool 'get_weather': inputSchema/properties/days/type"), msg);
        assertTrue(msg.contains("draft-07"), msg);
        assertTrue(!msg.contains("tool 'good'"), msg);
    }

    @Test
    void defaultDialectIs202012() {
        // "required": true is draft-03 style; invalid in 2020-12 (must be an array)
        String msg = failure(tool("t", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
                + "\"required\":true}"));
        assertTrue(msg.contains("tool 't': inputSchema/required"), msg);
        assertTrue(msg.contains("2020-12"), msg);
    }

    @Test
    void draft07TupleItemsIsValidButIn202012PrefixItemsIsTheWay() throws Exception {
        // items as an array is valid draft-07 and invalid 2020-12 ("items" must be a schema there)
        String d7 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                + "\"properties\":{\"p\":{\"type\":\"array\",\"items\":[{\"type\":\"number\"},{\"type\":\"number\"}]}}}";
        SchemaCheck.check(new Toolset("t", List.of(tool("pair", d7))));
        String msg = failure(tool("pair", d7.replace("http://json-schema.org/draft-07/schema#",
                "https://json-schema.org/draft/2020-12/schema")));
        assertTrue(msg.contains("tool 'pair': inputSchema/properties/p/items"), msg);
    }

    @Test
    void rootMustBeObject() {
        String msg = failure(tool("s", "{\"type\":\"string\"}"));
        assertTrue(msg.contains("tool 's': inputSchema/type"), msg);
        assertTrue(msg.contains("\"type\": \"object\""), msg);
        msg = failure(tool("none", "{\"properties\":{}}"));
        assertTrue(msg.contains("tool 'none': inputSchema/type"), msg);
    }

    @Test
    void unknownDialectIsAnError() {
        String msg = failure(tool("x", "{\"$schema\":\"http://example.com/my-dialect\",\"type\":\"object\"}"));
        assertTrue(msg.contains("tool 'x': inputSchema/$schema: unsupported JSON Schema dialect"), msg);
    }

    @Test
    void remoteRefIsNotFetchedAndRejected() {
        String msg = failure(tool("r", "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":"
                + "\"http://127.0.0.1:9/never/schema.json\"}}}"));
        assertTrue(msg.contains("tool 'r': inputSchema"), msg);
        assertTrue(msg.contains("does not compile"), msg);
    }

    @Test
    void localRefsResolve() throws Exception {
        SchemaCheck.check(new Toolset("t", List.of(tool("ok", "{\"type\":\"object\",\"properties\":{\"a\":"
                + "{\"$ref\":\"#/$defs/A\"}},\"$defs\":{\"A\":{\"type\":\"string\",\"minLength\":1}}}"))));
        String msg = failure(tool("dangling", "{\"type\":\"object\",\"properties\":{\"a\":"
                + "{\"$ref\":\"#/$defs/Missing\"}}}"));
        assertTrue(msg.contains("tool 'dangling'"), msg);
    }

    @Test
    void badOutputSchemaIsReportedToo() {
        ToolDefinition t = new ToolDefinition("o", null, "", (ObjectNode) Json.MAPPER.readTree("{\"type\":\"object\"}"),
                (ObjectNode) Json.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"n\":{\"minimum\":\"one\"}}}"),
                null);
        String msg = failure(t);
        assertTrue(msg.contains("tool 'o': outputSchema/properties/n/minimum"), msg);
    }

    @Test
    void allProblemsAreListed() {
        String msg = failure(tool("a", "{\"type\":\"string\"}"), tool("b", "{\"type\":\"object\","
                + "\"properties\":{\"x\":{\"type\":42}}}"));
        assertTrue(msg.startsWith("2 invalid tool schemas") || msg.contains("invalid tool schemas"), msg);
        assertTrue(msg.contains("tool 'a'") && msg.contains("tool 'b'"), msg);
    }

    @Test
    void tooDeepSchemaIsRefusedBeforeCompiling() {
        StringBuilder sb = new StringBuilder("{\"type\":\"object\",\"properties\":{\"a\":");
        for (int i = 0; i < 40; i++) {
            sb.append("{\"type\":\"object\",\"properties\":{\"a\":");
        }
        sb.append("{}");
        sb.append("}}".repeat(41));
        String msg = failure(tool("deep", sb.toString()));
        assertTrue(msg.contains("tool 'deep': inputSchema: nested"), msg);
    }
}
