package dev.mcpforge.engine;

import java.util.List;

/** Access to the recent native warnings/errors for the wrappers in other packages (quoted in exceptions). */
public final class NativeLogAccess {
    private NativeLogAccess() {
    }

    public static void clearRecent() {
        NativeLog.clearRecent();
    }

    /** The recent native problems joined with "; ", or {@code fallback} when there are none. */
    public static String recentSummary(String fallback) {
        List<String> r = NativeLog.recentProblems();
        if (r.isEmpty()) {
            return fallback;
        }
        List<String> last = r.subList(Math.max(0, r.size() - 4), r.size());
        return String.join("; ", last);
    }
}
