package dev.mcpforge.engine.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The JNA structures against the sizes/offsets printed by forge-native/src/build/layout-check.c compiled against the
 * llama.cpp v0.5.0 headers (x86-64). Pure Java: no native library needed.
 */
class StructLayoutTest {
    @Test
    void modelParams() {
        LlamaModelParams p = new LlamaModelParams();
        assertEquals(80, p.size());
        p.n_gpu_layers = 11;
        p.load_mode = 22;
        p.main_gpu = 33;
        p.vocab_only = 1;
        p.load_mtp = 1;
        p.tensor_split = new Pointer(0x1234);
        p.write();
        Pointer m = p.getPointer();
        assertEquals(11, m.getInt(16));
        assertEquals(22, m.getInt(24));
        assertEquals(33, m.getInt(32));
        assertEquals(0x1234, m.getLong(40));
        assertEquals(1, m.getByte(72));
        assertEquals(1, m.getByte(77));
    }

    @Test
    void contextParams() {
        LlamaContextParams p = new LlamaContextParams();
        assertEquals(160, p.size());
        p.n_threads_batch = 5;
        p.flash_attn_type = 6;
        p.rope_freq_base = 7f;
        p.defrag_thold = 8f;
        p.type_k = 9;
        p.embeddings = 1;
        p.kv_unified = 1;
        p.n_samplers = 10;
        p.ctx_other = new Pointer(0x99);
        p.write();
        Pointer m = p.getPointer();
        assertEquals(5, m.getInt(32));
        assertEquals(6, m.getInt(52));
        assertEquals(7f, m.getFloat(56));
        assertEquals(8f, m.getFloat(84));
        assertEquals(9, m.getInt(104));
        assertEquals(1, m.getByte(128));
        assertEquals(1, m.getByte(133));
        assertEquals(10, m.getLong(144));
        assertEquals(0x99, m.getLong(152));
    }

    @Test
    void batchQuantizeAndSamplerChainParams() {
        LlamaBatch b = new LlamaBatch();
        assertEquals(56, b.size());
        b.logits = new Pointer(0x42);
        b.write();
        assertEquals(0x42, b.getPointer().getLong(48));

        LlamaModelQuantizeParams q = new LlamaModelQuantizeParams();
        assertEquals(64, q.size());
        q.allow_requantize = 1;
        q.dry_run = 1;
        q.max_buf_size = 77;
        q.write();
        assertEquals(1, q.getPointer().getByte(16));
        assertEquals(1, q.getPointer().getByte(21));
        assertEquals(77, q.getPointer().getLong(56));

        assertEquals(1, new LlamaSamplerChainParams().size());
    }
}
