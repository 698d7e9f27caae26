package dev.mcpforge.engine.tiny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyShapeTest {
    @TempDir
    Path dir;

    @Test
    void profileNamesAndCustomSpecs() {
        assertEquals(TinyProfile.SMALL.shape(), TinyShape.parse(" Small "));
        assertEquals("small", TinyShape.parse("small").name());
        TinyShape deep = TinyShape.parse("6x256");
        assertEquals(new TinyShape("6x256/4", 6, 256, 768, 4), deep);       // heads of 64, n_ff 3 x width
        TinyShape h8 = TinyShape.parse("4 x 256 / 8");
        assertEquals(new TinyShape("4x256/8", 4, 256, 768, 8), h8);
        assertEquals(h8, TinyShape.parse(h8.name()));                      // the canonical name parses back
        assertEquals(TinyProfile.SMALL.parameterCount(2048, true), TinyShape.parse("4x256/8").parameterCount(2048, true));
        assertEquals(TinyProfile.SMALL.parameterCount(2048) + 2 * (4L * 256 * 256 + 3 * 256 * 768 + 2 * 256),
                deep.parameterCount(2048));
    }

    @Test
    void badShapesSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinyShape.parse("huge"));
        assertTrue(e.getMessage().contains("nano, small, base") && e.getMessage().contains("6x256"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TinyShape.parse("4x300"));
        assertTrue(e.getMessage().contains("multiple of 256"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TinyShape.parse("4x256/6"));
        assertTrue(e.getMessage().contains("6 heads do not split width 256"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TinyShape.parse("4x256/32"));   // head size 8
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TinyShape.parse("0x256"));
        assertTrue(e.getMessage().contains("layers must be"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TinyShape.parse(null));
    }

    @Test
    void aCustomShapeIsWrittenIntoTheModel() throws Exception {
        Path out = dir.resolve("m.gguf");
        TinyModelBuilder.Result r = new TinyModelBuilder().shape(TinyShape.parse("3x256/8")).seed(1).vocabSize(300)
                .corpus("hello world, tools and calls. ".repeat(40)).build(out);
        assertEquals(TinyShape.parse("3x256/8"), r.shape());
        GgufFile g = GgufReader.read(out);
        assertEquals(3L, g.getLong("llama.block_count").orElseThrow());
        assertEquals(8L, g.getLong("llama.attention.head_count").orElseThrow());
        assertEquals(32L, g.getLong("llama.rope.dimension_count").orElseThrow());
        assertEquals(768L, g.getLong("llama.feed_forward_length").orElseThrow());
        assertTrue(g.getString("general.description").orElseThrow().startsWith("MCP-Forge tiny 3x256/8 model"));
        assertEquals(r.parameterCount(), g.parameterCount());
        assertTrue(Files.size(out) > r.parameterCount() * 4);
    }
}
