package dev.mcpforge.engine;

import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyProfile;
import dev.mcpforge.engine.tokenizer.TestCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One tiny F32 model per test JVM, built with b2's TinyModelBuilder (NANO profile, 512-token learned vocab). */
public final class TestModels {
    private static TinyModelBuilder.Result tiny;

    private TestModels() {
    }

    public static synchronized TinyModelBuilder.Result tiny() {
        if (tiny == null) {
            try {
                Path dir = Path.of("target", "test-models").toAbsolutePath();
                Files.createDirectories(dir);
                tiny = builder().build(dir.resolve("tiny-f32.gguf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }

    /** The settings of {@link #tiny()}, for a test that builds a variant of it (untied head unless changed). */
    public static TinyModelBuilder builder() {
        return new TinyModelBuilder().profile(TinyProfile.NANO).seed(1).contextLength(256).vocabSize(512)
                .corpus(TestCorpus.chatml(200));
    }

    public static Path tinyPath() {
        return tiny().path();
    }
}
