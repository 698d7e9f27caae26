package dev.mcpforge.engine.llama;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/** The tokenizer of a {@link Model} (owned by the model: no close). */
public final class Vocab {
    private final LlamaLibrary l;
    private final Pointer handle;

    Vocab(LlamaLibrary l, Pointer handle) {
        this.l = l;
        this.handle = handle;
    }

    public Pointer handle() {
        return handle;
    }

    public int nTokens() {
        return l.llama_vocab_n_tokens(handle);
    }

    public int bos() {
        return l.llama_vocab_bos(handle);
    }

    public int eos() {
        return l.llama_vocab_eos(handle);
    }

    public boolean isEog(int token) {
        return l.llama_vocab_is_eog(handle, token);
    }

    public boolean addBos() {
        return l.llama_vocab_get_add_bos(handle);
    }

    /** The token's text in the vocabulary (not detokenized). */
    public String text(int token) {
        return l.llama_vocab_get_text(handle, token);
    }

    /**
     * Text to token ids. {@code addSpecial} adds BOS/EOS as the model is configured; {@code parseSpecial} recognises
     * special/control tokens written in the text (e.g. {@code <|im_start|>}).
     */
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[bytes.length + 8];
        int n = l.llama_tokenize(handle, bytes, bytes.length, out, out.length, addSpecial, parseSpecial);
        if (n < 0) {
            if (n == Integer.MIN_VALUE) {
                throw new IllegalArgumentException("text too long to tokenize (" + bytes.length + " bytes)");
            }
            out = new int[-n];
            n = l.llama_tokenize(handle, bytes, bytes.length, out, out.length, addSpecial, parseSpecial);
        }
        int[] r = new int[n];
        System.arraycopy(out, 0, r, 0, n);
        return r;
    }

    /** Token ids to text (inverse of {@link #tokenize}). */
    public String detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        byte[] buf = new byte[Math.max(64, tokens.length * 16)];
        int n = l.llama_detokenize(handle, tokens, tokens.length, buf, buf.length, removeSpecial, unparseSpecial);
        if (n < 0) {
            buf = new byte[-n];
            n = l.llama_detokenize(handle, tokens, tokens.length, buf, buf.length, removeSpecial, unparseSpecial);
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** The UTF-8 bytes of one token (a piece may be part of a multi-byte character). */
    public byte[] piece(int token, boolean special) {
        byte[] buf = new byte[64];
        int n = l.llama_token_to_piece(handle, token, buf, buf.length, 0, special);
        if (n < 0) {
            buf = new byte[-n];
            n = l.llama_token_to_piece(handle, token, buf, buf.length, 0, special);
        }
        byte[] r = new byte[n];
        System.arraycopy(buf, 0, r, 0, n);
        return r;
    }
}
