package dev.mcpforge.data;

import dev.mcpforge.tools.ToolDefinition;

import java.util.Locale;

/**
 * Which tools data generation may really execute against a live server ({@code -Dforge.execute}). Generation calls
 * tools hundreds of times with sampled arguments, so by default only tools the server marks read-only
 * ({@code annotations.readOnlyHint = true}) run; the others get synthetic results.
 */
public enum ExecutionPolicy {
    /** Only tools annotated {@code readOnlyHint: true}. */
    READ_ONLY,
    /** Every tool (for sandboxed servers: a scratch directory, a throw-away database). */
    ALL,
    /** None: every result is synthetic. */
    NONE;

    public boolean allows(ToolDefinition tool) {
        return switch (this) {
            case ALL -> true;
            case NONE -> false;
            case READ_ONLY -> tool.annotations() != null && tool.annotations().path("readOnlyHint").asBoolean(false);
        };
    }

    /** Parses {@code readonly}, {@code all} or {@code none} (case-insensitive). */
    public static ExecutionPolicy parse(String s) {
        String v = s == null ? "readonly" : s.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return switch (v) {
            case "readonly" -> READ_ONLY;
            case "all" -> ALL;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("forge.execute must be readonly, all or none, got '" + s
                    + "'");
        };
    }
}
