package dev.mcpforge.engine.tiny;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The shape of the offline tiny LLaMA model: a named {@link TinyProfile} or a custom one written
 * {@code <layers>x<width>[/<heads>]}, e.g. {@code 6x256} or {@code 4x256/8}. A custom shape has a feed-forward width of
 * 3 x width (as the named profiles) and, unless given, heads of 64 dimensions.
 *
 * @param name        the profile's name ("small") or the custom spec in canonical form ("4x256/8")
 * @param layers      transformer blocks
 * @param embedding   model width (n_embd)
 * @param feedForward feed-forward width (n_ff)
 * @param heads       attention heads (as many key/value heads)
 */
public record TinyShape(String name, int layers, int embedding, int feedForward, int heads) {

    private static final Pattern SPEC = Pattern.compile("(\\d{1,3})\\s*x\\s*(\\d{1,5})\\s*(?:/\\s*(\\d{1,3}))?");

    /** Upper bounds that keep a typo (64 layers, width 25600) from writing a model no CPU trains. */
    static final int MAX_LAYERS = 48;
    static final int MAX_WIDTH = 4096;

    public TinyShape {
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("tiny model: layers must be 1.." + MAX_LAYERS + ", got " + layers);
        }
        // Q4_K / Q6_K quantize rows in blocks of 256 values: other widths would quantize some tensors worse
        if (embedding < 256 || embedding > MAX_WIDTH || embedding % 256 != 0) {
            throw new IllegalArgumentException("tiny model: width must be a multiple of 256 from 256 to " + MAX_WIDTH
                    + " (k-quant blocks are 256 values), got " + embedding);
        }
        if (feedForward < 256 || feedForward % 256 != 0) {
            throw new IllegalArgumentException("tiny model: feed-forward width must be a multiple of 256, got "
                    + feedForward);
        }
        if (heads < 1 || embedding % heads != 0 || (embedding / heads) % 2 != 0 || embedding / heads < 16) {
            throw new IllegalArgumentException("tiny model: " + heads + " heads do not split width " + embedding
                    + " into even head sizes of at least 16 (rope rotates pairs); use a divisor of " + embedding
                    + " such as " + embedding / 64 + " or " + embedding / 32);
        }
    }

    /**
     * Parses a profile name (nano, small, base; case-insensitive) or a custom {@code <layers>x<width>[/<heads>]}, with
     * an error that lists both forms.
     */
    public static TinyShape parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        for (TinyProfile p : TinyProfile.values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p.shape();
            }
        }
        Matcher m = SPEC.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("Unknown tiny model '" + spec + "'. Use a profile ("
                    + Arrays.stream(TinyProfile.values()).map(p -> p.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")) + ") or <layers>x<width>[/<heads>], e.g. 6x256 or 4x256/8"
                    + " (width a multiple of 256; feed-forward 3 x width; heads default to width / 64).");
        }
        int layers = Integer.parseInt(m.group(1));
        int width = Integer.parseInt(m.group(2));
        int heads = m.group(3) != null ? Integer.parseInt(m.group(3)) : Math.max(1, width / 64);
        return custom(layers, width, heads);
    }

    /** A custom shape with a feed-forward width of 3 x width, named in canonical form. */
    public static TinyShape custom(int layers, int width, int heads) {
        return new TinyShape(layers + "x" + width + "/" + heads, layers, width, 3 * width, heads);
    }

    /** Total parameters (token_embd + output + output_norm + blocks) for a vocabulary size. */
    public long parameterCount(int vocabSize) {
        return parameterCount(vocabSize, false);
    }

    /** Total parameters; a tied output head shares token_embd and adds none. */
    public long parameterCount(int vocabSize, boolean tiedOutput) {
        long d = embedding;
        long perLayer = 4 * d * d + 3 * d * feedForward + 2 * d;
        return (tiedOutput ? 1L : 2L) * vocabSize * d + d + layers * perLayer;
    }

    /** e.g. "small (4 layers x 256, 4 heads)" or "4x256/8 (4 layers x 256, 8 heads)". */
    public String describe() {
        return name + " (" + layers + " layers x " + embedding + ", " + heads + " heads)";
    }
}
