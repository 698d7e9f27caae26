package dev.mcpforge.data.teacher;

/** The teacher endpoint failed (unreachable, HTTP error, not a chat completion). Messages never contain the key. */
public class TeacherException extends Exception {
    private final boolean fatal;

    public TeacherException(String message, boolean fatal) {
        super(message);
        this.fatal = fatal;
    }

    /** True when retrying other requests is pointless (unreachable endpoint, 401/403/404): the build should stop. */
    public boolean fatal() {
        return fatal;
    }
}
