package dev.mcpforge.engine.gguf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The header of a GGUF file: metadata (in file order) and tensor index, read by {@link GgufReader} without loading
 * tensor data. Scalar values are mapped to Java as: UINT8/INT8/UINT16/INT16/INT32 -> Integer, UINT32/UINT64/INT64 ->
 * Long, FLOAT32 -> Float, FLOAT64 -> Double, BOOL -> Boolean, STRING -> String, ARRAY -> {@link GgufArray}.
 */
public final class GgufFile {
    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufValueType> types;
    private final List<GgufTensorInfo> tensors;
    private final int alignment;
    private final long dataOffset;
    private final long fileSize;

    GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, GgufValueType> types,
             List<GgufTensorInfo> tensors, int alignment, long dataOffset, long fileSize) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        this.tensors = List.copyOf(tensors);
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.fileSize = fileSize;
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    /** All metadata key/values in file order. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The on-disk type of a metadata key, or null if absent. */
    public GgufValueType type(String key) {
        return types.get(key);
    }

    public List<GgufTensorInfo> tensors() {
        return tensors;
    }

    public Optional<GgufTensorInfo> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public int alignment() {
        return alignment;
    }

    /** Absolute file offset of the tensor data section. */
    public long dataOffset() {
        return dataOffset;
    }

    public long fileSize() {
        return fileSize;
    }

    public Optional<String> getString(String key) {
        return metadata.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** Any integer-typed value as a long. */
    public Optional<Long> getLong(String key) {
        Object v = metadata.get(key);
        return v instanceof Integer || v instanceof Long ? Optional.of(((Number) v).longValue()) : Optional.empty();
    }

    public Optional<Double> getDouble(String key) {
        return metadata.get(key) instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    public Optional<Boolean> getBoolean(String key) {
        return metadata.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    public Optional<GgufArray> getArray(String key) {
        return metadata.get(key) instanceof GgufArray a ? Optional.of(a) : Optional.empty();
    }

    /** A string array (e.g. {@code tokenizer.ggml.tokens}); empty list if absent. */
    public List<String> getStringList(String key) {
        List<String> out = new ArrayList<>();
        getArray(key).ifPresent(a -> a.values().forEach(v -> out.add((String) v)));
        return out;
    }

    /** {@code general.architecture}, e.g. "llama", "qwen2". */
    public String architecture() {
        return getString("general.architecture").orElse("unknown");
    }

    public Optional<String> name() {
        return getString("general.name");
    }

    public Optional<String> chatTemplate() {
        return getString("tokenizer.chat_template");
    }

    /** {@code <arch>.context_length}, if present. */
    public Optional<Long> contextLength() {
        return getLong(architecture() + ".context_length");
    }

    /** Total number of tensor elements (the parameter count). */
    public long parameterCount() {
        return tensors.stream().mapToLong(GgufTensorInfo::elementCount).sum();
    }

    /** Total bytes of tensor data. */
    public long tensorDataSize() {
        return tensors.stream().mapToLong(GgufTensorInfo::byteSize).sum();
    }

    /** Number of tokens in {@code tokenizer.ggml.tokens} (0 if absent). */
    public int vocabularySize() {
        return getArray("tokenizer.ggml.tokens").map(GgufArray::size).orElse(0);
    }

    /** A one-line human description: architecture, name, parameters, size, tensor types, context. */
    public String describe() {
        Map<GgmlType, Integer> typeCounts = new LinkedHashMap<>();
        tensors.forEach(t -> typeCounts.merge(t.type(), 1, Integer::sum));
        return String.format(java.util.Locale.ROOT, "%s: architecture %s, %s, %.2fM parameters, %.1f MiB, tensor types %s, context %s, vocabulary %d",
                path.getFileName(), architecture(), name().map(n -> "name '" + n + "'").orElse("no name"),
                parameterCount() / 1e6, fileSize / (1024.0 * 1024.0), typeCounts,
                contextLength().map(String::valueOf).orElse("?"), vocabularySize());
    }
}
