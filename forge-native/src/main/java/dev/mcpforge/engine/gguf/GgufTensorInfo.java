package dev.mcpforge.engine.gguf;

import java.util.Arrays;

/**
 * One entry of a GGUF tensor index. {@code shape} is in ggml order ({@code ne[0]} first, the contiguous dimension),
 * which is the reverse of numpy/gguf-py shapes. {@code offset} is relative to the start of the data section.
 */
public record GgufTensorInfo(String name, GgmlType type, long[] shape, long offset) {
    public GgufTensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return type.byteSize(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && t.name.equals(name) && t.type == type
                && Arrays.equals(t.shape, shape) && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset;
    }
}
