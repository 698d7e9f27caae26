package dev.mcpforge.engine.llama;

import com.sun.jna.Structure;

/** {@code struct llama_sampler_chain_params}: one C bool. */
@Structure.FieldOrder({"no_perf"})
public class LlamaSamplerChainParams extends Structure {
    public byte no_perf;

    public static class ByValue extends LlamaSamplerChainParams implements Structure.ByValue {
    }
}
