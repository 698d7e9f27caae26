package dev.mcpforge.data;

import java.util.Locale;

/** The seed's §4.5 sample kinds; {@link #id()} is the value written to the JSONL {@code scenario} field. */
public enum Scenario {
    STANDARD("standard"),
    NO_TOOL("no_tool"),
    ERROR("error"),
    AMBIGUOUS("ambiguous"),
    EDGE("edge");

    private final String id;

    Scenario(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether a sample of this scenario must contain a tool call (ambiguous may ask a question instead). */
    public boolean requiresCall() {
        return this == STANDARD || this == ERROR || this == EDGE;
    }

    public static Scenario fromId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id) || s.name().equals(id.toUpperCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + id + "' (expected one of standard, no_tool, error,"
                + " ambiguous, edge)");
    }
}
