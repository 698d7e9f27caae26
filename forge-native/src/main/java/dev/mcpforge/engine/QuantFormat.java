package dev.mcpforge.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Output formats of {@link Quantizer}, with their {@code llama_ftype}. */
public enum QuantFormat {
    F32(0),
    Q8_0(7),
    Q4_K_M(15);

    private final int ftype;

    QuantFormat(int ftype) {
        this.ftype = ftype;
    }

    public int ftype() {
        return ftype;
    }

    /** Lower-case name as used on the command line (q8_0, q4_k_m, f32). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses q8_0 / q4_k_m / f32 (case-insensitive); clear error otherwise. */
    public static QuantFormat parse(String s) {
        if (s != null) {
            for (QuantFormat f : values()) {
                if (f.id().equalsIgnoreCase(s.trim()) || f.name().equalsIgnoreCase(s.trim())) {
                    return f;
                }
            }
        }
        throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Unsupported model format '" + s
                + "': use one of " + Arrays.stream(values()).map(QuantFormat::id).collect(Collectors.joining(", ")) + ".");
    }
}
