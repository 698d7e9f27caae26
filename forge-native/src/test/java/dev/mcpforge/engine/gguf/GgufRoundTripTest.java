package dev.mcpforge.engine.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    private static GgufWriter sample() {
        float[] m = new float[6 * 5];
        for (int i = 0; i < m.length; i++) {
            m[i] = i * 0.5f - 3f;
        }
        return new GgufWriter()
                .putString("general.architecture", "llama")
                .putUInt32("general.alignment", 32)
                .putUInt32("llama.context_length", 4000000000L)
                .putInt32("some.int", -7)
                .putUInt64("some.u64", 1L << 40)
                .putFloat32("some.float", 1.5f)
                .putBool("some.bool", true)
                .putString("unicode", "h\u00e9llo \u2581 \uD83D\uDE00")
                .putStringArray("tokenizer.ggml.tokens", List.of("a", "\u2581b", "<0x0A>"))
                .putFloat32Array("tokenizer.ggml.scores", new float[] {0f, -1f, -2.5f})
                .putInt32Array("tokenizer.ggml.token_type", new int[] {1, 1, 6})
                .addTensor("m.weight", new long[] {6, 5}, m)
                .addTensor("v.weight", new long[] {3}, new float[] {1, 2, 3})
                .addTensor("h.weight", GgmlType.F16, new long[] {4}, (buf, start, len) -> {
                    float[] src = {0.5f, -2f, 65504f, 1e-6f};
                    System.arraycopy(src, (int) start, buf, 0, len);
                });
    }

    @Test
    void writesAndReadsAllValueTypesAndTensors() throws Exception {
        Path f = dir.resolve("a.gguf");
        sample().write(f);
        GgufFile g = GgufReader.read(f);
        assertEquals(3, g.version());
        assertEquals("llama", g.architecture());
        assertEquals(4000000000L, g.getLong("llama.context_length").orElseThrow());
        assertEquals(GgufValueType.UINT32, g.type("llama.context_length"));
        assertEquals(-7, g.metadata().get("some.int"));
        assertEquals(1L << 40, g.metadata().get("some.u64"));
        assertEquals(1.5f, g.metadata().get("some.float"));
        assertEquals(true, g.metadata().get("some.bool"));
        assertEquals("h\u00e9llo \u2581 \uD83D\uDE00", g.metadata().get("unicode"));
        assertEquals(List.of("a", "\u2581b", "<0x0A>"), g.getStringList("tokenizer.ggml.tokens"));
        assertEquals(List.of(0f, -1f, -2.5f), g.getArray("tokenizer.ggml.scores").orElseThrow().values());
        assertEquals(List.of(1, 1, 6), g.getArray("tokenizer.ggml.token_type").orElseThrow().values());
        assertEquals(List.of("general.architecture", "general.alignment", "llama.context_length", "some.int",
                "some.u64", "some.float", "some.bool", "unicode", "tokenizer.ggml.tokens", "tokenizer.ggml.scores",
                "tokenizer.ggml.token_type"), List.copyOf(g.metadata().keySet()));

        assertEquals(3, g.tensors().size());
        GgufTensorInfo m = g.tensor("m.weight").orElseThrow();
        assertArrayEquals(new long[] {6, 5}, m.shape());
        assertEquals(GgmlType.F32, m.type());
        assertEquals(0, m.offset());
        assertEquals(128, g.tensor("v.weight").orElseThrow().offset()); // 120 bytes padded to 32
        assertEquals(160, g.tensor("h.weight").orElseThrow().offset());
        assertEquals(0, g.dataOffset() % 32);
        assertEquals(30 + 3 + 4, g.parameterCount());
        float[] data = GgufReader.readFloats(g, "m.weight");
        assertEquals(-3f, data[0]);
        assertEquals(11.5f, data[29]);
        assertArrayEquals(new float[] {1, 2, 3}, GgufReader.readFloats(g, "v.weight"));
        float[] h = GgufReader.readFloats(g, "h.weight");
        assertEquals(0.5f, h[0]);
        assertEquals(-2f, h[1]);
        assertEquals(65504f, h[2]);
        assertEquals(1e-6f, h[3], 1e-7f);
        assertEquals(g.dataOffset() + 192, g.fileSize()); // every tensor, the last too, is padded to 32 (like ggml)
    }

    @Test
    void outputIsDeterministic() throws Exception {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        sample().writeTo(a);
        sample().writeTo(b);
        assertArrayEquals(a.toByteArray(), b.toByteArray());
        byte[] bytes = a.toByteArray();
        assertEquals('G', bytes[0]);
        assertEquals('G', bytes[1]);
        assertEquals('U', bytes[2]);
        assertEquals('F', bytes[3]);
        assertEquals(3, bytes[4]);
    }

    @Test
    void missingFileNamesThePath() {
        Path f = dir.resolve("nope.gguf");
        GgufException e = assertThrows(GgufException.class, () -> GgufReader.read(f));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope.gguf"), e.getMessage());
    }

    @Test
    void notAGgufFile() throws Exception {
        Path f = dir.resolve("model.bin");
        Files.writeString(f, "PK\u0003\u0004 this is a zip, not a model");
        GgufException e = assertThrows(GgufException.class, () -> GgufReader.read(f));
        assertTrue(e.getMessage().contains("Not a GGUF file") && e.getMessage().contains("model.bin"), e.getMessage());
    }

    @Test
    void emptyFile() throws Exception {
        Path f = dir.resolve("empty.gguf");
        Files.write(f, new byte[0]);
        GgufException e = assertThrows(GgufException.class, () -> GgufReader.read(f));
        assertTrue(e.getMessage().contains("empty.gguf"), e.getMessage());
    }

    @Test
    void truncatedHeaderAndTruncatedData() throws Exception {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        sample().writeTo(a);
        byte[] full = a.toByteArray();
        Path f = dir.resolve("cut.gguf");
        for (int cut : new int[] {10, 30, 100, 300}) {
            Files.write(f, Arrays.copyOf(full, cut));
            GgufException e = assertThrows(GgufException.class, () -> GgufReader.read(f), "cut at " + cut);
            assertTrue(e.getMessage().contains("cut.gguf") && e.getMessage().contains("truncated"), e.getMessage());
        }
        Files.write(f, Arrays.copyOf(full, full.length - 30));
        GgufException e = assertThrows(GgufException.class, () -> GgufReader.read(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("h.weight"), e.getMessage());
    }

    @Test
    void halfConversionRoundsToNearestEven() {
        for (float f : new float[] {0f, -0f, 1f, -1f, 0.1f, 3.14159f, 65504f, 6.1035156e-5f, 5.9604645e-8f}) {
            float back = Half.toFloat(Half.fromFloat(f));
            assertEquals(f, back, Math.abs(f) * 1e-3f + 1e-7f, "value " + f);
        }
        assertEquals(0x3c00, Half.fromFloat(1f) & 0xffff);
        assertEquals(0x7c00, Half.fromFloat(1e6f) & 0xffff);
        assertEquals(0x3c00, Half.fromFloat(1f + 0x1p-11f) & 0xffff); // tie -> even
        assertEquals(0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f) & 0xffff); // tie -> even (up)
    }
}
