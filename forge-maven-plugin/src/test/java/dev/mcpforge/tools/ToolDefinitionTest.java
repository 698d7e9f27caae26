package dev.mcpforge.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolDefinitionTest {

    private static boolean deprecated(String description) {
        return new ToolDefinition("t", null, description, Json.MAPPER.createObjectNode().put("type", "object"), null,
                null).deprecated();
    }

    @Test
    void deprecatedMeansTheToolItselfIsRetired() {
        assertTrue(deprecated("Read the complete contents of a file as text. DEPRECATED: Use read_text_file instead."));
        assertTrue(deprecated("Deprecated. Use search instead."));
        assertTrue(deprecated("[deprecated] Lists users"));
        assertTrue(deprecated("Lists users (Deprecated)"));
        assertTrue(deprecated("Lists users. This tool is deprecated and will be removed."));
        assertFalse(deprecated("Lists users. The 'filter' parameter is deprecated; use 'query'."));
        assertFalse(deprecated("Finds deprecated API usages in a code base"));
        assertFalse(deprecated(""));
    }
}
