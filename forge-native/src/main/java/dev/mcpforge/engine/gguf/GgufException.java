package dev.mcpforge.engine.gguf;

import java.io.IOException;

/** A GGUF file is missing, truncated, not a GGUF file, or malformed. The message names the file and the remedy. */
public class GgufException extends IOException {
    private static final long serialVersionUID = 1L;

    public GgufException(String message) {
        super(message);
    }

    public GgufException(String message, Throwable cause) {
        super(message, cause);
    }
}
