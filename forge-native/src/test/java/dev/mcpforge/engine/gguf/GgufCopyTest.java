package dev.mcpforge.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.engine.Generator;
import dev.mcpforge.engine.QuantFormat;
import dev.mcpforge.engine.Quantizer;
import dev.mcpforge.engine.TestModels;
import dev.mcpforge.engine.llama.Model;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GgufWriter#copy}: metadata overrides over a verbatim, streamed copy of the tensors. */
class GgufCopyTest {
    @TempDir
    Path dir;

    private Path sample() throws IOException {
        float[] m = new float[6 * 5];
        for (int i = 0; i < m.length; i++) {
            m[i] = i * 0.25f - 1f;
        }
        Path f = dir.resolve("in.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "base")
                .putUInt32("general.file_type", 0)
                .putString("drop.me", "x")
                .putFloat32Array("tokenizer.ggml.scores", new float[] {0f, -1f})
                .addTensor("m.weight", new long[] {6, 5}, m)
                .addTensor("v.weight", new long[] {3}, new float[] {1, 2, 3})
                .write(f);
        return f;
    }

    private static byte[] tensorBytes(GgufFile g, GgufTensorInfo t) throws IOException {
        byte[] b = new byte[(int) t.byteSize()];
        try (RandomAccessFile f = new RandomAccessFile(g.path().toFile(), "r")) {
            f.seek(g.dataOffset() + t.offset());
            f.readFully(b);
        }
        return b;
    }

    private static void assertSameTensors(GgufFile a, GgufFile b) throws IOException {
        assertEquals(a.tensors().size(), b.tensors().size());
        for (int i = 0; i < a.tensors().size(); i++) {
            GgufTensorInfo x = a.tensors().get(i);
            GgufTensorInfo y = b.tensors().get(i);
            assertEquals(x.name(), y.name());
            assertEquals(x.type(), y.type());
            assertArrayEquals(x.shape(), y.shape());
            assertEquals(0, y.offset() % b.alignment(), y.toString());
            assertArrayEquals(tensorBytes(a, x), tensorBytes(b, y), "tensor data of " + x.name());
        }
    }

    @Test
    void overridesReplaceInPlaceRemoveAndAppendKeepingEverythingElse() throws Exception {
        GgufFile in = GgufReader.read(sample());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("general.name", "agent");
        o.put("drop.me", null);
        o.put("general.file_type", 7); // an Integer for a UINT32 key keeps UINT32
        o.put("general.license", "apache-2.0");
        o.put("general.base_model.count", new GgufWriter.Typed(GgufValueType.UINT32, 1L));
        o.put("general.tags", List.of("mcp", "tools"));
        o.put("tokenizer.chat_template", "{{ messages }}");
        Path out = dir.resolve("out.gguf");
        GgufWriter.copy(in, out, o);

        GgufFile g = GgufReader.read(out);
        assertEquals(List.of("general.architecture", "general.name", "general.file_type", "tokenizer.ggml.scores",
                "general.license", "general.base_model.count", "general.tags", "tokenizer.chat_template"),
                List.copyOf(g.metadata().keySet()));
        assertEquals("agent", g.name().orElseThrow());
        assertEquals(7L, g.metadata().get("general.file_type"));
        assertEquals(GgufValueType.UINT32, g.type("general.file_type"));
        assertEquals("apache-2.0", g.getString("general.license").orElseThrow());
        assertEquals(GgufValueType.UINT32, g.type("general.base_model.count"));
        assertEquals(List.of("mcp", "tools"), g.getStringList("general.tags"));
        assertEquals("{{ messages }}", g.chatTemplate().orElseThrow());
        assertEquals(in.metadata().get("tokenizer.ggml.scores"), g.metadata().get("tokenizer.ggml.scores"));
        assertFalse(g.metadata().containsKey("drop.me"));
        assertNotEquals(in.dataOffset(), g.dataOffset()); // the header grew: offsets were recomputed
        assertSameTensors(in, g);
        assertArrayEquals(GgufReader.readFloats(in, "m.weight"), GgufReader.readFloats(g, "m.weight"));
    }

    @Test
    void everyValueTypeRoundTripsAndCopyingIsIdempotentAndDeterministic() throws Exception {
        GgufFile in = GgufReader.read(sample());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("t.u8", new GgufWriter.Typed(GgufValueType.UINT8, 255));
        o.put("t.i8", new GgufWriter.Typed(GgufValueType.INT8, -128));
        o.put("t.u16", new GgufWriter.Typed(GgufValueType.UINT16, 65535));
        o.put("t.i16", new GgufWriter.Typed(GgufValueType.INT16, -32768));
        o.put("t.i32", -5);
        o.put("t.i64", Long.MIN_VALUE);
        o.put("t.u64", new GgufWriter.Typed(GgufValueType.UINT64, 1L << 62));
        o.put("t.f32", 0.1f);
        o.put("t.f64", Math.PI);
        o.put("t.bool", false);
        o.put("t.nested", new GgufArray(GgufValueType.ARRAY, List.of(
                new GgufArray(GgufValueType.INT32, List.of(1, 2)), new GgufArray(GgufValueType.STRING, List.of("a")))));
        Path a = dir.resolve("a.gguf");
        GgufWriter.copy(in, a, o);
        GgufFile ga = GgufReader.read(a);
        assertEquals(255, ga.metadata().get("t.u8"));
        assertEquals(-128, ga.metadata().get("t.i8"));
        assertEquals(65535, ga.metadata().get("t.u16"));
        assertEquals(-32768, ga.metadata().get("t.i16"));
        assertEquals(-5, ga.metadata().get("t.i32"));
        assertEquals(GgufValueType.INT64, ga.type("t.i64"));
        assertEquals(Long.MIN_VALUE, ga.metadata().get("t.i64"));
        assertEquals(1L << 62, ga.metadata().get("t.u64"));
        assertEquals(0.1f, ga.metadata().get("t.f32"));
        assertEquals(Math.PI, ga.metadata().get("t.f64"));
        assertEquals(false, ga.metadata().get("t.bool"));
        assertEquals(o.get("t.nested"), ga.metadata().get("t.nested"));
        // a copy without overrides reproduces the file byte for byte, twice
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        GgufWriter.copy(ga, b, Map.of());
        GgufWriter.copy(ga, c, Map.of());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(c));
    }

    @Test
    void alignmentOverrideRealignsTheDataAndInPlaceCopyWorks() throws Exception {
        Path f = sample();
        GgufFile in = GgufReader.read(f);
        GgufWriter.copy(in, f, Map.of("general.alignment", new GgufWriter.Typed(GgufValueType.UINT32, 64L)));
        GgufFile g = GgufReader.read(f);
        assertEquals(64, g.alignment());
        assertEquals(0, g.dataOffset() % 64);
        assertEquals(128, g.tensor("v.weight").orElseThrow().offset()); // 120 bytes of m.weight padded to 64
        assertArrayEquals(new float[] {1, 2, 3}, GgufReader.readFloats(g, "v.weight"));
        assertEquals(in.tensors().size(), g.tensors().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgufWriter.copy(g,
                dir.resolve("bad.gguf"), Map.of("general.alignment", new GgufWriter.Typed(GgufValueType.UINT32, 48L))));
        assertTrue(e.getMessage().contains("general.alignment"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GgufWriter.copy(g, dir.resolve("bad.gguf"),
                Map.of("x", new Object())));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    /** A quantized model saved without its chat template and licence, restored: llama.cpp loads it, same output. */
    @Test
    void llamaCppLoadsACopiedQuantizedModelWithTheNewMetadataAndTheSameWeights() throws Exception {
        // llama_model_quantize (forge:gguf) keeps every key of its input, restored ones included
        Path f32 = dir.resolve("model-f32.gguf");
        GgufWriter.copy(GgufReader.read(TestModels.tinyPath()), f32, Map.of("general.license", "restored-before"));
        Path q8 = dir.resolve("model-q8_0.gguf");
        Quantizer.quantize(f32, q8, QuantFormat.Q8_0, 1);
        GgufFile quantized = GgufReader.read(q8);
        assertEquals("restored-before", quantized.getString("general.license").orElse(null));
        assertEquals(GgufReader.read(f32).chatTemplate(), quantized.chatTemplate());
        // what llama_model_save_to_file leaves: no chat template, no licence
        Map<String, Object> strip = new HashMap<>();
        strip.put("tokenizer.chat_template", null);
        strip.put("general.license", null);
        GgufWriter.copy(GgufReader.read(q8), q8, strip);
        GgufFile in = GgufReader.read(q8);
        assertTrue(in.chatTemplate().isEmpty());
        try (Model m = Model.load(q8)) {
            assertEquals(null, m.chatTemplate());
            assertEquals(null, m.meta("general.license"));
        }
        assertTrue(in.tensors().stream().anyMatch(t -> t.type() == GgmlType.Q8_0), in.describe());
        String template = "{%- for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{%- endfor %}";
        Map<String, Object> o = new HashMap<>();
        o.put("tokenizer.chat_template", template);
        o.put("general.license", "mit");
        Path out = dir.resolve("model-q8_0-meta.gguf");
        GgufWriter.copy(in, out, o);
        GgufFile g = GgufReader.read(out);
        assertEquals("mit", g.getString("general.license").orElseThrow());
        assertSameTensors(in, g);
        String prompt = "<|im_start|>user\nlist the files<|im_end|>\n<|im_start|>assistant\n";
        String before;
        try (Model m = Model.load(q8); Generator gen = new Generator(m, 256, 1)) {
            before = gen.generate(GenerationRequest.greedy(prompt, 12)).text();
        }
        try (Model m = Model.load(out); Generator gen = new Generator(m, 256, 1)) {
            assertEquals(template, m.chatTemplate());
            assertEquals("mit", m.meta("general.license"));
            assertEquals(in.parameterCount(), m.nParams());
            assertEquals(before, gen.generate(GenerationRequest.greedy(prompt, 12)).text());
        }
    }
}
