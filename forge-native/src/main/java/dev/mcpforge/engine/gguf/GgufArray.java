package dev.mcpforge.engine.gguf;

import java.util.List;

/**
 * An array metadata value: the element type and the elements, mapped to Java like scalar values
 * (see {@link GgufFile#metadata()}). Nested arrays appear as {@code GgufArray} elements.
 */
public record GgufArray(GgufValueType elementType, List<Object> values) {
    public GgufArray {
        values = List.copyOf(values);
    }

    public int size() {
        return values.size();
    }
}
