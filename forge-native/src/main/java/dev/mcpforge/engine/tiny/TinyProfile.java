package dev.mcpforge.engine.tiny;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Named sizes of the offline tiny LLaMA model. n_embd and n_ff are multiples of 256 (clean Q4_K/Q6_K). */
public enum TinyProfile {
    /** 2 layers x 256, n_ff 768, 4 heads: ~2.8M parameters at a 2048 vocabulary. */
    NANO(2, 256, 768, 4),
    /** 4 layers x 256, n_ff 768, 4 heads: ~4.5M parameters at a 2048 vocabulary. */
    SMALL(4, 256, 768, 4),
    /** 4 layers x 512, n_ff 1536, 8 heads: ~15.7M parameters at a 2048 vocabulary. */
    BASE(4, 512, 1536, 8);

    /** The shape, named after the profile ("small"): one record for the builder, parsing and parameter counts. */
    private final TinyShape shape;

    TinyProfile(int layers, int embedding, int feedForward, int heads) {
        this.shape = new TinyShape(name().toLowerCase(Locale.ROOT), layers, embedding, feedForward, heads);
    }

    public int layers() {
        return shape.layers();
    }

    public int embedding() {
        return shape.embedding();
    }

    public int feedForward() {
        return shape.feedForward();
    }

    public int heads() {
        return shape.heads();
    }

    /** This profile as a {@link TinyShape} named after it ("small"). */
    public TinyShape shape() {
        return shape;
    }

    /** Total parameters (token_embd + output + output_norm + blocks) for a vocabulary size. */
    public long parameterCount(int vocabSize) {
        return shape.parameterCount(vocabSize);
    }

    /** Total parameters; a tied output head shares token_embd and adds none. */
    public long parameterCount(int vocabSize, boolean tiedOutput) {
        return shape.parameterCount(vocabSize, tiedOutput);
    }

    /** Parses "nano"/"small"/"base" (case-insensitive) with an error listing the valid names. */
    public static TinyProfile parse(String name) {
        for (TinyProfile p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown tiny model profile '" + name + "'. Valid profiles: "
                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
