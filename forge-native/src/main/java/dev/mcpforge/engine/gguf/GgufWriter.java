package dev.mcpforge.engine.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a GGUF v3 file: metadata in insertion order, then the tensor index, then F32/F16 tensor data aligned to
 * {@code general.alignment} (default 32). Output bytes depend only on what was added (deterministic). Tensor data is
 * streamed from a {@link FloatSource}, so large models are never held in memory twice. {@link #copy} rewrites the
 * metadata of an existing GGUF (any tensor types) and copies its tensor bytes unchanged.
 * Hand-written: no maintained Java GGUF writer exists; the format is small and specified in ggml/include/gguf.h.
 */
public final class GgufWriter {
    /** Produces the values of one tensor in ggml order (ne[0] fastest), in consecutive chunks. */
    @FunctionalInterface
    public interface FloatSource {
        /** Fill {@code buffer[0..length)} with the values at element index {@code start ..}. Called in order. */
        void fill(float[] buffer, long start, int length);
    }

    private record Kv(GgufValueType type, GgufValueType elementType, Object value) {
    }

    private record Tensor(String name, GgmlType type, long[] shape, FloatSource source) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final int CHUNK = 1 << 16;

    private final Map<String, Kv> kvs = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    private GgufWriter put(String key, GgufValueType type, GgufValueType elementType, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of " + key);
        kvs.put(key, new Kv(type, elementType, value));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, null, value);
    }

    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException(key + ": " + value + " is not a UINT32");
        }
        return put(key, GgufValueType.UINT32, null, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, null, value);
    }

    public GgufWriter putUInt64(String key, long value) {
        return put(key, GgufValueType.UINT64, null, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, null, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, null, value);
    }

    public GgufWriter putStringArray(String key, List<String> values) {
        return put(key, GgufValueType.ARRAY, GgufValueType.STRING, List.copyOf(values));
    }

    public GgufWriter putFloat32Array(String key, float[] values) {
        return put(key, GgufValueType.ARRAY, GgufValueType.FLOAT32, values.clone());
    }

    public GgufWriter putInt32Array(String key, int[] values) {
        return put(key, GgufValueType.ARRAY, GgufValueType.INT32, values.clone());
    }

    /** Adds a tensor; {@code shape} in ggml order (ne[0] first). Only F32 and F16 are supported. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, FloatSource source) {
        if (type != GgmlType.F32 && type != GgmlType.F16) {
            throw new IllegalArgumentException("GgufWriter writes F32/F16 tensors only, not " + type
                    + " (quantize with llama_model_quantize instead)");
        }
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException(name + ": tensors have 1..4 dimensions");
        }
        for (Tensor t : tensors) {
            if (t.name.equals(name)) {
                throw new IllegalArgumentException("duplicate tensor " + name);
            }
        }
        tensors.add(new Tensor(name, type, shape.clone(), source));
        return this;
    }

    /** Adds an F32 tensor from an array (length must equal the product of {@code shape}). */
    public GgufWriter addTensor(String name, long[] shape, float[] data) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape has " + n + " elements but data has " + data.length);
        }
        float[] copy = data.clone();
        return addTensor(name, GgmlType.F32, shape, (buf, start, len) -> System.arraycopy(copy, (int) start, buf, 0, len));
    }

    private int alignment() {
        Kv a = kvs.get("general.alignment");
        if (a == null) {
            return 32;
        }
        long v = ((Number) a.value).longValue();
        if (a.type != GgufValueType.UINT32 || v <= 0 || Long.bitCount(v) != 1) {
            throw new IllegalStateException("general.alignment must be a power-of-two UINT32");
        }
        return (int) v;
    }

    /** Writes the file atomically (temporary file in the same directory, then rename). */
    public void write(Path path) throws IOException {
        writeAtomically(path, this::writeTo);
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path path, Body body) throws IOException {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the GGUF bytes to a stream (not closed). */
    public void writeTo(OutputStream os) throws IOException {
        Out out = new Out(os);
        int alignment = alignment();
        out.u32(GgufReader.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(kvs.size());
        for (Map.Entry<String, Kv> e : kvs.entrySet()) {
            out.string(e.getKey());
            Kv kv = e.getValue();
            out.u32(kv.type.id());
            if (kv.type == GgufValueType.ARRAY) {
                out.u32(kv.elementType.id());
                switch (kv.elementType) {
                    case STRING -> {
                        @SuppressWarnings("unchecked") List<String> l = (List<String>) kv.value;
                        out.u64(l.size());
                        for (String s : l) {
                            out.string(s);
                        }
                    }
                    case FLOAT32 -> {
                        float[] a = (float[]) kv.value;
                        out.u64(a.length);
                        for (float f : a) {
                            out.u32(Float.floatToRawIntBits(f));
                        }
                    }
                    case INT32 -> {
                        int[] a = (int[]) kv.value;
                        out.u64(a.length);
                        for (int i : a) {
                            out.u32(i);
                        }
                    }
                    default -> throw new IllegalStateException("unsupported array type " + kv.elementType);
                }
            } else {
                scalar(out, kv.type, kv.value);
            }
        }
        long offset = 0;
        for (Tensor t : tensors) {
            out.string(t.name);
            out.u32(t.shape.length);
            for (long d : t.shape) {
                out.u64(d);
            }
            out.u32(t.type.id());
            out.u64(offset);
            offset = align(offset + t.type.byteSize(t.elements()), alignment);
        }
        out.pad(alignment);
        float[] buf = new float[CHUNK];
        long dataStart = out.pos;
        for (Tensor t : tensors) {
            long n = t.elements();
            for (long start = 0; start < n; start += CHUNK) {
                int len = (int) Math.min(CHUNK, n - start);
                t.source.fill(buf, start, len);
                for (int i = 0; i < len; i++) {
                    if (t.type == GgmlType.F32) {
                        out.u32(Float.floatToRawIntBits(buf[i]));
                    } else {
                        out.u16(Half.fromFloat(buf[i]));
                    }
                }
            }
            out.padFrom(dataStart, alignment);
        }
        out.flush();
    }

    /**
     * A metadata value with an explicit on-disk type, for {@link #copy} overrides whose Java type alone does not say
     * it (e.g. {@code new Typed(GgufValueType.UINT32, 1L)} for {@code general.base_model.count}).
     */
    public record Typed(GgufValueType type, Object value) {
        public Typed {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Copies {@code src} (its file, {@link GgufFile#path()}) to {@code out} with metadata overrides: every key/value
     * of {@code src} in file order, each key of {@code overrides} replacing the value in place (a {@code null} value
     * removes the key), keys {@code src} lacks appended in the map's iteration order; then every tensor with its
     * name, shape and type unchanged and its data bytes copied verbatim (any ggml type, quantized ones included),
     * streamed in chunks (the model is never held in memory). Tensor offsets are recomputed for the output's
     * {@code general.alignment} (default 32), so the data stays aligned even when the header changes length.
     * The output is written atomically, so {@code out} may be {@code src}'s own file. Deterministic: the same input
     * and overrides give the same bytes.
     *
     * <p>Override values: an existing key keeps its on-disk type when the new value fits it (a number for a numeric
     * key, a string for a string key); otherwise, and for new keys, the type follows the Java type: String STRING,
     * Boolean BOOL, Integer INT32, Long INT64, Float FLOAT32, Double FLOAT64, {@link GgufArray} ARRAY, a
     * {@code List<String>} a string array, or an explicit {@link Typed}.
     *
     * <p>Used to put back what llama.cpp's {@code llama_model_save_to_file} drops ({@code tokenizer.chat_template},
     * {@code general.license}, ...) and to stamp bundle metadata.
     */
    public static void copy(GgufFile src, Path out, Map<String, ?> overrides) throws IOException {
        Map<String, Typed> kv = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : src.metadata().entrySet()) {
            String key = e.getKey();
            if (overrides.containsKey(key)) {
                Object v = overrides.get(key);
                if (v != null) {
                    kv.put(key, typed(key, v, src.type(key)));
                }
            } else {
                kv.put(key, new Typed(src.type(key), e.getValue()));
            }
        }
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (!kv.containsKey(e.getKey()) && e.getValue() != null && src.type(e.getKey()) == null) {
                kv.put(e.getKey(), typed(e.getKey(), e.getValue(), null));
            }
        }
        int alignment = 32;
        Typed a = kv.get("general.alignment");
        if (a != null) {
            if (a.type() != GgufValueType.UINT32 || !(a.value() instanceof Long l) || l <= 0 || Long.bitCount(l) != 1) {
                throw new IllegalArgumentException("general.alignment must be a power-of-two UINT32, not " + a.value());
            }
            alignment = (int) (long) l;
        }
        int align = alignment;
        writeAtomically(out, os -> copyTo(src, kv, align, os));
    }

    private static void copyTo(GgufFile src, Map<String, Typed> kv, int alignment, OutputStream os) throws IOException {
        Out out = new Out(os);
        out.u32(GgufReader.MAGIC);
        out.u32(3);
        out.u64(src.tensors().size());
        out.u64(kv.size());
        for (Map.Entry<String, Typed> e : kv.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            value(out, e.getValue().type(), e.getValue().value());
        }
        long offset = 0;
        for (GgufTensorInfo t : src.tensors()) {
            out.string(t.name());
            long[] shape = t.shape();
            out.u32(shape.length);
            for (long d : shape) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(offset);
            offset = align(offset + t.byteSize(), alignment);
        }
        out.pad(alignment);
        long dataStart = out.pos;
        byte[] chunk = new byte[1 << 20];
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(chunk);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(src.path(),
                java.nio.file.StandardOpenOption.READ)) {
            for (GgufTensorInfo t : src.tensors()) {
                long pos = src.dataOffset() + t.offset();
                long left = t.byteSize();
                while (left > 0) {
                    buf.clear().limit((int) Math.min(chunk.length, left));
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        throw new GgufException("GGUF file " + src.path() + " is truncated inside tensor '" + t.name()
                                + "'. Re-download or rebuild the model.");
                    }
                    os.write(chunk, 0, n);
                    out.pos += n;
                    pos += n;
                    left -= n;
                }
                out.padFrom(dataStart, alignment);
            }
        }
        out.flush();
    }

    private static Typed typed(String key, Object v, GgufValueType existing) {
        if (v instanceof Typed t) {
            return t;
        }
        if (existing != null && existing != GgufValueType.ARRAY && existing != GgufValueType.STRING
                && existing != GgufValueType.BOOL && v instanceof Number n) {
            return new Typed(existing, switch (existing) {
                case UINT8, INT8, UINT16, INT16, INT32 -> n.intValue();
                case UINT32, UINT64, INT64 -> n.longValue();
                case FLOAT32 -> n.floatValue();
                case FLOAT64 -> n.doubleValue();
                default -> throw new IllegalStateException(existing.toString());
            });
        }
        if (v instanceof String) {
            return new Typed(GgufValueType.STRING, v);
        } else if (v instanceof Boolean) {
            return new Typed(GgufValueType.BOOL, v);
        } else if (v instanceof Integer) {
            return new Typed(GgufValueType.INT32, v);
        } else if (v instanceof Long) {
            return new Typed(GgufValueType.INT64, v);
        } else if (v instanceof Float) {
            return new Typed(GgufValueType.FLOAT32, v);
        } else if (v instanceof Double) {
            return new Typed(GgufValueType.FLOAT64, v);
        } else if (v instanceof GgufArray) {
            return new Typed(GgufValueType.ARRAY, v);
        } else if (v instanceof List<?> l && l.stream().allMatch(String.class::isInstance)) {
            return new Typed(GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, List.copyOf(l)));
        }
        throw new IllegalArgumentException("metadata '" + key + "': cannot write a " + v.getClass().getName()
                + " as a GGUF value (use String, Boolean, Integer, Long, Float, Double, GgufArray or GgufWriter.Typed)");
    }

    /** Any GGUF value in {@link GgufFile}'s Java mapping (arrays as {@link GgufArray}, nested arrays too). */
    private static void value(Out out, GgufValueType type, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.u8(((Number) v).intValue());
            case UINT16, INT16 -> out.u16((short) ((Number) v).intValue());
            case UINT32 -> out.u32((int) ((Number) v).longValue());
            case INT32 -> out.u32(((Number) v).intValue());
            case UINT64, INT64 -> out.u64(((Number) v).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case BOOL -> out.u8((Boolean) v ? 1 : 0);
            case STRING -> out.string((String) v);
            case ARRAY -> {
                GgufArray arr = (GgufArray) v;
                out.u32(arr.elementType().id());
                out.u64(arr.size());
                for (Object e : arr.values()) {
                    value(out, arr.elementType(), e);
                }
            }
            default -> throw new IllegalStateException("unsupported value type " + type);
        }
    }

    private static void scalar(Out out, GgufValueType type, Object v) throws IOException {
        switch (type) {
            case STRING -> out.string((String) v);
            case UINT32 -> out.u32((int) (long) (Long) v);
            case INT32 -> out.u32((Integer) v);
            case UINT64 -> out.u64((Long) v);
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) v));
            case BOOL -> out.u8((Boolean) v ? 1 : 0);
            default -> throw new IllegalStateException("unsupported scalar type " + type);
        }
    }

    private static long align(long x, int a) {
        return (x + a - 1) / a * a;
    }

    private static final class Out {
        private final OutputStream os;
        private final byte[] b = new byte[8];
        long pos;

        Out(OutputStream os) {
            this.os = os;
        }

        void u8(int v) throws IOException {
            os.write(v);
            pos++;
        }

        void u16(short v) throws IOException {
            b[0] = (byte) v;
            b[1] = (byte) (v >>> 8);
            os.write(b, 0, 2);
            pos += 2;
        }

        void u32(int v) throws IOException {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (v >>> (8 * i));
            }
            os.write(b, 0, 4);
            pos += 4;
        }

        void u64(long v) throws IOException {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (v >>> (8 * i));
            }
            os.write(b, 0, 8);
            pos += 8;
        }

        void string(String s) throws IOException {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            os.write(bytes);
            pos += bytes.length;
        }

        void pad(int alignment) throws IOException {
            while (pos % alignment != 0) {
                u8(0);
            }
        }

        void padFrom(long base, int alignment) throws IOException {
            while ((pos - base) % alignment != 0) {
                u8(0);
            }
        }

        void flush() throws IOException {
            os.flush();
        }
    }
}
