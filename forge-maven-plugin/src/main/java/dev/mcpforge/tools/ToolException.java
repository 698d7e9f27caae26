package dev.mcpforge.tools;

/**
 * A tool source failed in a way the user must act on (server did not start, timed out, wrote garbage,
 * malformed file, invalid schema). The message says what happened and how to fix it.
 */
public class ToolException extends Exception {
    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
