package dev.mcpforge.pipeline;

/**
 * Whether the native engine (forge-native: llama.cpp through JNA) loads on this machine, for {@code forge:doctor}.
 * <p>
 * LEAD (merge note): this is the one place to wire forge-native's probe. Replace the body of {@link #probe()} with
 * a call into the engine (e.g. its loader's "load and report" method) and map the answer to a {@link Status};
 * nothing else in doctor needs to change. Until then it honestly reports "not built".
 */
public final class EngineProbe {

    private EngineProbe() {
    }

    /**
     * What the doctor prints for the engine.
     *
     * @param loaded  true when the native libraries loaded
     * @param summary one line: version, backend variant (e.g. cpu-avx2), library path; or why it did not load
     */
    public record Status(boolean loaded, String summary) {
    }

    public static Status probe() {
        return new Status(false, "not built (the native engine is not part of this build yet)");
    }
}
