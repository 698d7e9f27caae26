package dev.mcpforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forge:gguf end to end on a tiny F32 model: runs the real quantizer in a worker process. */
class GgufMojoTest {
    @TempDir
    static Path dir;
    static Path f32;

    @BeforeAll
    static void buildModel() throws Exception {
        StringBuilder corpus = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            corpus.append("<|im_start|>user\nlist the files in /tmp/dir").append(i)
                    .append("<|im_end|>\n<|im_start|>assistant\nHere they are: a.txt, b.txt<|im_end|>\n");
        }
        f32 = new TinyModelBuilder().profile(TinyProfile.NANO).seed(3).contextLength(256).vocabSize(384)
                .corpus(corpus.toString()).build(dir.resolve("model").resolve("model-f32.gguf")).path();
    }

    private static GgufMojo mojo(Path model, String format, Path output) {
        GgufMojo m = new GgufMojo();
        m.model = model.toFile();
        m.format = format;
        m.output = output == null ? null : output.toFile();
        m.threads = 1;
        return m;
    }

    @Test
    void writesQ4KmNextToTheInputByDefaultAndItLoads() throws Exception {
        mojo(f32, "q4_k_m", null).execute();
        Path out = f32.resolveSibling("model-q4_k_m.gguf");
        assertTrue(Files.isRegularFile(out), "no " + out);
        assertTrue(Files.size(out) < Files.size(f32) / 3);
        GgufFile g = GgufReader.read(out);
        assertEquals("llama", g.architecture());
        assertEquals(15L, g.getLong("general.file_type").orElseThrow()); // LLAMA_FTYPE_MOSTLY_Q4_K_M
        assertEquals(GgufReader.read(f32).parameterCount(), g.parameterCount());
    }

    @Test
    void explicitOutputAndDefaultFormat() throws Exception {
        Path out = dir.resolve("out").resolve("tiny-q8.gguf");
        GgufMojo m = mojo(f32, "q8_0", out);
        m.execute();
        assertEquals(7L, GgufReader.read(out).getLong("general.file_type").orElseThrow()); // Q8_0
    }

    @Test
    void badInputFailsTheBuildWithAClearMessage() throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo(f32, "q5_1", null).execute());
        assertTrue(e.getMessage().contains("-Dforge.format") && e.getMessage().contains("q4_k_m"), e.getMessage());

        Path missing = dir.resolve("nothing.gguf");
        e = assertThrows(MojoFailureException.class, () -> mojo(missing, "q8_0", null).execute());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());

        byte[] all = Files.readAllBytes(f32);
        Path truncated = dir.resolve("truncated").resolve("model-f32.gguf");
        Files.createDirectories(truncated.getParent());
        Files.write(truncated, Arrays.copyOf(all, all.length - 4096));
        e = assertThrows(MojoFailureException.class, () -> mojo(truncated, "q8_0", null).execute());
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("corrupted or incomplete"),
                e.getMessage());
        assertFalse(Files.exists(truncated.resolveSibling("model-q8_0.gguf")));
    }

    @Test
    void skipDoesNothing() throws Exception {
        GgufMojo m = mojo(dir.resolve("nothing.gguf"), "q8_0", null);
        m.skipGguf = true;
        m.execute();
        m = mojo(dir.resolve("nothing.gguf"), "bogus", null);
        m.skip = true;
        m.execute();
        assertFalse(Files.exists(dir.resolve("model-q8_0.gguf")));
    }
}
