package dev.mcpforge.engine.graph;

import dev.mcpforge.engine.gguf.GgufArray;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufValueType;
import dev.mcpforge.engine.gguf.GgufWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies the metadata of a GGUF into a {@link GgufWriter} with the value types the writer supports (kept local to
 * the training graph; {@code general.alignment} is copied like any key). Returns the keys it could not copy.
 */
final class GgufMetadata {
    private GgufMetadata() {
    }

    static List<String> copy(GgufFile from, GgufWriter to) {
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, Object> e : from.metadata().entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            GgufValueType t = from.type(k);
            switch (t) {
                case STRING -> to.putString(k, (String) v);
                case UINT32 -> to.putUInt32(k, ((Number) v).longValue());
                case INT32 -> to.putInt32(k, ((Number) v).intValue());
                case UINT64 -> to.putUInt64(k, ((Number) v).longValue());
                case FLOAT32 -> to.putFloat32(k, ((Number) v).floatValue());
                case BOOL -> to.putBool(k, (Boolean) v);
                case ARRAY -> {
                    GgufArray a = (GgufArray) v;
                    switch (a.elementType()) {
                        case STRING -> to.putStringArray(k, a.values().stream().map(o -> (String) o).toList());
                        case FLOAT32 -> {
                            float[] f = new float[a.size()];
                            for (int i = 0; i < f.length; i++) {
                                f[i] = ((Number) a.values().get(i)).floatValue();
                            }
                            to.putFloat32Array(k, f);
                        }
                        case INT32 -> {
                            int[] f = new int[a.size()];
                            for (int i = 0; i < f.length; i++) {
                                f[i] = ((Number) a.values().get(i)).intValue();
                            }
                            to.putInt32Array(k, f);
                        }
                        default -> skipped.add(k);
                    }
                }
                default -> skipped.add(k);
            }
        }
        return skipped;
    }
}
