package dev.mcpforge.engine.tokenizer;

/** Token types as stored in {@code tokenizer.ggml.token_type} (gguf-py TokenType). */
public enum TokenType {
    NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

    private final int id;

    TokenType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static TokenType byId(int id) {
        for (TokenType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return NORMAL; // llama.cpp maps unknown types to UNDEFINED, which behaves like a suppressed token
    }
}
