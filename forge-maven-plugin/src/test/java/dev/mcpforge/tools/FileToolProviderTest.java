package dev.mcpforge.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileToolProviderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private String failure(String name, String content) throws Exception {
        Path p = write(name, content);
        ToolException e = assertThrows(ToolException.class, () -> FileToolProvider.open(p));
        assertTrue(e.getMessage().contains(p.toString()) || e.getMessage().contains(name), e.getMessage());
        return e.getMessage();
    }

    static final String WEATHER_MCP = """
            {"tools":[{"name":"get_weather","description":"Get current weather",
              "inputSchema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]}
            """;

    @Test
    void readsOurFormatAndIsListingOnly() throws Exception {
        try (FileToolProvider p = FileToolProvider.open(write("tools.json", WEATHER_MCP), "tools.json")) {
            Toolset ts = p.listTools();
            assertEquals("tools.json", ts.source());
            assertEquals(List.of("get_weather"), ts.names());
            assertEquals(List.of("location"), ts.tools().get(0).requiredArguments());
            assertFalse(p.supportsExecution());
            assertThrows(UnsupportedOperationException.class,
                    () -> p.callTool("get_weather", Json.MAPPER.createObjectNode()));
        }
    }

    @Test
    void yamlEqualsJson() throws Exception {
        String yaml = """
                tools:
                  - name: get_weather
                    description: Get current weather
                    inputSchema:
                      type: object
                      properties:
                        location:
                          type: string
                      required: [location]
                """;
        Toolset fromYaml = FileToolProvider.read(write("tools.yaml", yaml), "x");
        Toolset fromJson = FileToolProvider.read(write("tools.json", WEATHER_MCP), "x");
        assertEquals(fromJson.hash(), fromYaml.hash());
        assertEquals(fromJson.hash(), FileToolProvider.read(write("tools.yml", yaml), "x").hash());
    }

    @Test
    void openAiToolsFormatsAllGiveTheSameToolset() throws Exception {
        String fn = "{\"name\":\"get_weather\",\"description\":\"Get current weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}}";
        String tool = "{\"type\":\"function\",\"function\":" + fn + "}";
        String expected = FileToolProvider.read(write("mcp.json", WEATHER_MCP), "x").hash();
        assertEquals(expected, FileToolProvider.read(write("a.json", "[" + tool + "]"), "x").hash());
        assertEquals(expected, FileToolProvider.read(write("b.json", "{\"tools\":[" + tool + "]}"), "x").hash());
        assertEquals(expected, FileToolProvider.read(write("c.json", "[" + fn + "]"), "x").hash());
        assertEquals(expected, FileToolProvider.read(write("d.json", "{\"functions\":[" + fn + "]}"), "x").hash());
    }

    @Test
    void openAiFunctionWithoutParametersHasAnEmptyObjectSchema() throws Exception {
        Toolset ts = FileToolProvider.read(write("f.json",
                "[{\"type\":\"function\",\"function\":{\"name\":\"ping\",\"description\":\"Ping\"}}]"), "x");
        assertEquals("{\"properties\":{},\"type\":\"object\"}", Json.canonical(ts.tools().get(0).inputSchema()));
        SchemaCheck.check(ts);
    }

    @Test
    void realFixtureReadsWithAllSchemasIntact() throws Exception {
        Path p = SchemaCheckTest.fixture("filesystem-tools.json");
        Toolset ts = FileToolProvider.read(p, "filesystem");
        var raw = Json.MAPPER.readTree(Files.readString(p)).get("tools");
        assertEquals(raw.size(), ts.tools().size());
        for (int i = 0; i < raw.size(); i++) {
            assertEquals(Json.canonical(raw.get(i).get("inputSchema")),
                    Json.canonical(ts.tools().get(i).inputSchema()), ts.tools().get(i).name());
        }
    }

    @Test
    void ourOwnToolsJsonRoundTripsWithSourceAndHash() throws Exception {
        Toolset ts = FileToolProvider.read(write("in.json", WEATHER_MCP), "weather-server");
        Path out = write("tools.json", Json.PRETTY.writeValueAsString(ts.toJson()));
        Toolset again = FileToolProvider.read(out, "ignored");
        assertEquals("weather-server", again.source());
        assertEquals(ts.hash(), again.hash());
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws Exception {
        String msg = failure("broken.json", "{\"tools\": [\n  {\"name\": \"a\",\n   \"inputSchema\": {\"type\" \"object\"}}\n]}");
        assertTrue(msg.contains("malformed JSON"), msg);
        assertTrue(msg.contains("line 3, column"), msg);
    }

    @Test
    void malformedYamlNamesFileLineAndColumn() throws Exception {
        String msg = failure("broken.yaml", "tools:\n  - name: a\n    inputSchema: {type: object\n  - name: b\n");
        assertTrue(msg.contains("malformed YAML"), msg);
        assertTrue(msg.matches("(?s).*line \\d+, column \\d+.*"), msg);
    }

    @Test
    void duplicateKeysAreMalformed() throws Exception {
        String msg = failure("dup.json", "{\"tools\":[{\"name\":\"a\",\"name\":\"b\",\"inputSchema\":{\"type\":\"object\"}}]}");
        assertTrue(msg.contains("malformed JSON") && msg.contains("line 1"), msg);
    }

    @Test
    void missingNameAndSchema() throws Exception {
        String msg = failure("noname.json", "{\"tools\":[{\"description\":\"x\",\"inputSchema\":{\"type\":\"object\"}}]}");
        assertTrue(msg.contains("tool #1") && msg.contains("has no \"name\""), msg);
        msg = failure("noschema.json", "{\"tools\":[{\"name\":\"lonely\"}]}");
        assertTrue(msg.contains("tool 'lonely'") && msg.contains("inputSchema"), msg);
        msg = failure("badschema.json", "{\"tools\":[{\"name\":\"s\",\"inputSchema\":\"object\"}]}");
        assertTrue(msg.contains("tool 's'") && msg.contains("must be a JSON object"), msg);
    }

    @Test
    void duplicateToolNames() throws Exception {
        String msg = failure("dups.json", "{\"tools\":[{\"name\":\"a\",\"inputSchema\":{\"type\":\"object\"}},"
                + "{\"name\":\"a\",\"inputSchema\":{\"type\":\"object\"}}]}");
        assertTrue(msg.contains("duplicate tool name 'a'"), msg);
    }

    @Test
    void unreadableAndMissingFiles() throws Exception {
        ToolException e = assertThrows(ToolException.class, () -> FileToolProvider.open(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(ToolException.class, () -> FileToolProvider.open(dir)); // a directory
        assertTrue(e.getMessage().contains("cannot read tools file"), e.getMessage());
    }

    @Test
    void wrongShapeEmptyAndEditedHash() throws Exception {
        String msg = failure("shape.json", "{\"tool\": []}");
        assertTrue(msg.contains("is not a tools file"), msg);
        msg = failure("empty.json", "");
        assertTrue(msg.contains("empty"), msg);
        msg = failure("none.json", "{\"tools\": []}");
        assertTrue(msg.contains("lists no tools"), msg);
        msg = failure("hash.json", "{\"tools\":[{\"name\":\"a\",\"inputSchema\":{\"type\":\"object\"}}],"
                + "\"toolsetHash\":\"sha256:00\"}");
        assertTrue(msg.contains("toolsetHash mismatch"), msg);
        msg = failure("type.json", "[{\"type\":\"retrieval\",\"function\":{\"name\":\"a\"}}]");
        assertTrue(msg.contains("only OpenAI tools of type"), msg);
    }
}
