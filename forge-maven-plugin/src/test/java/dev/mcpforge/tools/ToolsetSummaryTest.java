package dev.mcpforge.tools;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolsetSummaryTest {

    @Test
    void seedStyleSummaryWithRequiredMarked() throws Exception {
        Toolset ts = FileToolProvider.read(SchemaCheckTest.fixture("everything-tools.json"), "everything");
        List<String> lines = ToolsetSummary.lines(ts);
        assertEquals("Found " + ts.tools().size() + " tools in everything:", lines.get(0));
        int echo = lines.indexOf("  echo  (Echo Tool)");
        assertTrue(echo > 0, String.join("\n", lines));
        assertEquals("    Echoes back the input string", lines.get(echo + 1));
        assertEquals("    Parameters: message* (string)", lines.get(echo + 2));
        String all = String.join("\n", lines);
        assertTrue(all.contains("messageType* (string), includeImage (boolean)"), all);
    }

    @Test
    void typesAndShortening() {
        assertEquals("array of string", ToolsetSummary.type(Json.MAPPER.readTree(
                "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}")));
        assertEquals("string|null", ToolsetSummary.type(Json.MAPPER.readTree("{\"type\":[\"string\",\"null\"]}")));
        assertEquals("enum", ToolsetSummary.type(Json.MAPPER.readTree("{\"enum\":[1,2]}")));
        assertEquals("string|integer", ToolsetSummary.type(Json.MAPPER.readTree(
                "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}")));
        assertEquals("any", ToolsetSummary.type(Json.MAPPER.readTree("{}")));
        assertEquals("First line…", ToolsetSummary.shorten("First line\nsecond line"));
        String longText = "x".repeat(300);
        assertEquals(ToolsetSummary.DESCRIPTION_WIDTH, ToolsetSummary.shorten(longText).length());
        assertEquals("", ToolsetSummary.shorten(null));
    }

    @Test
    void noParameters() throws Exception {
        ToolDefinition t = ToolDefinition.fromJson(Json.MAPPER.readTree(
                "{\"name\":\"ping\",\"inputSchema\":{\"type\":\"object\"}}"));
        assertEquals("(none)", ToolsetSummary.parameters(t));
    }
}
