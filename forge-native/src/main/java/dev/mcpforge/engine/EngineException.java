package dev.mcpforge.engine;

/**
 * A failure of the native engine the user can act on: the message names the file/model and the remedy.
 * {@link #kind()} classifies it (e.g. {@code MODEL_NOT_FOUND}, {@code GRAMMAR}, {@code WORKER_DIED}) so callers can
 * map it to a Maven failure vs. a broken environment.
 */
public class EngineException extends RuntimeException {
    /** What went wrong, coarse. */
    public enum Kind {
        /** Native libraries missing, corrupt or unloadable: a broken installation/environment. */
        NATIVE_LIBRARY,
        /** The model file does not exist. */
        MODEL_NOT_FOUND,
        /** The model file exists but llama.cpp cannot read it (truncated, corrupt, unsupported architecture). */
        MODEL_INVALID,
        /** A GBNF grammar failed to compile. */
        GRAMMAR,
        /** Bad request parameters (unsupported format, prompt too long, ...). */
        INVALID_REQUEST,
        /** llama.cpp returned an error during decode/quantize. */
        NATIVE_CALL,
        /** The worker process died or broke the protocol. */
        WORKER_DIED
    }

    private final Kind kind;

    public EngineException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public EngineException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
