package dev.mcpforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeLogTest {
    @Test
    void assemblesFragmentsFiltersByLevelAndKeepsRecentProblems() {
        List<String> seen = new ArrayList<>();
        NativeLog.setSink((level, line) -> seen.add(level + ":" + line));
        try {
            NativeLog.setThreshold("info");
            NativeLog.clearRecent();
            NativeLog.accept(1, "debug line\n");
            NativeLog.accept(2, "loading ");
            NativeLog.accept(5, "...");
            NativeLog.accept(5, "done\n");
            NativeLog.accept(4, "bad thing\n");
            assertEquals(List.of("2:loading ...done", "4:bad thing"), seen);
            assertEquals(List.of("bad thing"), NativeLog.recentProblems());
            NativeLog.setThreshold("off");
            NativeLog.accept(4, "hidden\n");
            assertEquals(2, seen.size());
            assertEquals(List.of("bad thing", "hidden"), NativeLog.recentProblems());
            EngineException e = assertThrows(EngineException.class, () -> NativeLog.setThreshold("loud"));
            assertTrue(e.getMessage().contains("forge.nativeLog"));
        } finally {
            NativeLog.setThreshold("error");
            NativeLog.setSink(null);
        }
    }
}
