package dev.mcpforge.data;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthesisPlanTest {

    private static SynthesisPlan plan(int n, Map<String, Double> w, ScenarioWeights sw) {
        return new SynthesisPlan(n, 0, w, sw, 42, "sha256:x");
    }

    @Test
    void defaultsGiveTheSeedsCounts() {
        SynthesisPlan p = plan(500, SynthesisPlan.toolWeights(List.of("a", "b", "c"), null), ScenarioWeights.DEFAULT);
        Map<Scenario, Integer> c = p.scenarioCounts(500);
        assertEquals(300, c.get(Scenario.STANDARD));
        assertEquals(75, c.get(Scenario.NO_TOOL));
        assertEquals(50, c.get(Scenario.ERROR));
        assertEquals(50, c.get(Scenario.AMBIGUOUS));
        assertEquals(25, c.get(Scenario.EDGE));
    }

    @Test
    void countsAlwaysSumToTheTotalAndToolsAreBalanced() {
        for (int n : new int[]{1, 7, 13, 99, 101, 1000, 2001}) {
            SynthesisPlan p = plan(n, SynthesisPlan.toolWeights(List.of("a", "b", "c", "d", "e", "f", "g"), null),
                    ScenarioWeights.DEFAULT);
            assertEquals(n, p.scenarioCounts(n).values().stream().mapToInt(Integer::intValue).sum());
            List<SynthesisPlan.Slot> slots = p.slots(n, 1);
            assertEquals(n, slots.size());
            Map<String, Integer> perTool = new HashMap<>();
            slots.stream().filter(s -> s.tool() != null).forEach(s -> perTool.merge(s.tool(), 1, Integer::sum));
            if (n >= 100) {
                int min = perTool.values().stream().mapToInt(Integer::intValue).min().orElse(0);
                int max = perTool.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                assertTrue(max - min <= 3, n + ": " + perTool);
            }
        }
    }

    @Test
    void toolWeightsAndRatioOverridesAreHonoured() {
        Map<String, Double> w = new LinkedHashMap<>(SynthesisPlan.toolWeights(List.of("a", "b"), Map.of("a", 3.0)));
        SynthesisPlan p = plan(1000, w, ScenarioWeights.of(null, 0.30, null, null, null));
        assertEquals(450, p.scenarioCounts(1000).get(Scenario.STANDARD));
        assertEquals(300, p.scenarioCounts(1000).get(Scenario.NO_TOOL));
        Map<String, Integer> t = p.toolCounts(400, 0);
        assertEquals(300, t.get("a"));
        assertEquals(100, t.get("b"));
        assertThrows(IllegalArgumentException.class, () -> SynthesisPlan.toolWeights(List.of("a"), Map.of("z", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> ScenarioWeights.of(null, 0.6, 0.5, null, null));
        assertThrows(IllegalArgumentException.class, () -> ScenarioWeights.of(null, -0.1, null, null, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan(10, new LinkedHashMap<>(), ScenarioWeights.DEFAULT));
        assertTrue(e.getMessage().contains("no tools"));
    }
}
