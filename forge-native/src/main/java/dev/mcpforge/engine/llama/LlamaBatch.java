package dev.mcpforge.engine.llama;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** {@code struct llama_batch}: 56 bytes on x86-64. */
@Structure.FieldOrder({"n_tokens", "token", "embd", "pos", "n_seq_id", "seq_id", "logits"})
public class LlamaBatch extends Structure {
    public int n_tokens;
    public Pointer token;
    public Pointer embd;
    public Pointer pos;
    public Pointer n_seq_id;
    public Pointer seq_id;
    public Pointer logits;

    public static class ByValue extends LlamaBatch implements Structure.ByValue {
    }
}
