package dev.mcpforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.tools.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** How forge.train.draws ranks two draws' trial epochs. */
class DrawsTest {
    private static JsonNode epoch(String json) {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void theHigherToolChoiceWinsThenTheLowerHeldOutLoss() {
        JsonNode a = epoch("{\"evalToolChoice\":0.60,\"evalLoss\":1.5}");
        JsonNode b = epoch("{\"evalToolChoice\":0.45,\"evalLoss\":1.1}");
        assertTrue(Draws.better(a, b, true));
        assertFalse(Draws.better(b, a, true));
        // compared by loss when no draw measured a tool choice
        assertTrue(Draws.better(b, a, false));
        JsonNode tie = epoch("{\"evalToolChoice\":0.60,\"evalLoss\":1.2}");
        assertTrue(Draws.better(tie, a, true));
        // equal on both: the earlier draw stays
        assertFalse(Draws.better(epoch("{\"evalToolChoice\":0.60,\"evalLoss\":1.5}"), a, true));
        // a draw without numbers never wins
        assertFalse(Draws.better(epoch("{\"evalLoss\":null}"), b, true));
        assertEquals("x#draw-2", Draws.runKey("x", 1));
    }
}
