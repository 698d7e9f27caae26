package dev.mcpforge.bundle;

import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tiny.TinyProfile;
import dev.mcpforge.tools.FileToolProvider;
import dev.mcpforge.tools.Toolset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/** Pipeline outputs a bundle is made of: the time server's real tools, a tiny GGUF, an eval set, a qc report. */
public final class BundleFixture {

    public static final Instant TIME = Instant.parse("2026-11-28T00:00:00Z");
    private static Path cachedModel;

    private BundleFixture() {
    }

    /** A tiny model, built once per test run (seeded: the same bytes every time). */
    public static synchronized Path model() throws IOException {
        if (cachedModel == null) {
            Path dir = Files.createTempDirectory("forge-bundle-model");
            String corpus = ("<|im_start|>user\nWhat time is it in Tokyo?<|im_end|>\n<|im_start|>assistant\n"
                    + "<tool_call>\n{\"name\": \"current_time\", \"arguments\": {\"timezone\": \"Asia/Tokyo\"}}\n"
                    + "</tool_call><|im_end|>\n").repeat(20);
            cachedModel = new TinyModelBuilder().profile(TinyProfile.NANO).seed(7).contextLength(256).vocabSize(300)
                    .corpus(corpus).chatTemplate(ChatTemplates.CHATML_TOOLS).build(dir.resolve("model.gguf")).path();
            dir.toFile().deleteOnExit();
        }
        return cachedModel;
    }

    /** Writes target/forge-like inputs under {@code root} and returns a request that bundles them. */
    public static BundleRequest inputs(Path root, String name) throws Exception {
        Path forge = root.resolve("forge");
        Files.createDirectories(forge.resolve("data"));
        Files.createDirectories(forge.resolve("reports"));
        Files.createDirectories(forge.resolve("model"));
        Toolset ts = FileToolProvider.read(Path.of("src/test/resources/mcp-tools/time-tools.json"), "time-tools.json");
        ts.write(forge.resolve("tools.json"));
        Files.copy(model(), forge.resolve("model/model-q8_0.gguf"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(forge.resolve("data/eval.jsonl"), String.join("\n",
                sample("e1", "standard", "current_time", "What time is it in Tokyo?",
                        "{\"timezone\":\"Asia/Tokyo\"}"),
                sample("e2", "standard", "relative_time", "How long ago was 2026-01-01 00:00:00?",
                        "{\"time\":\"2026-01-01 00:00:00\"}"),
                "{\"id\":\"e3\",\"source\":\"offline\",\"scenario\":\"no_tool\",\"tool_name\":null,\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"You are a time assistant.\"},"
                        + "{\"role\":\"user\",\"content\":\"Tell me a joke\"},"
                        + "{\"role\":\"assistant\",\"content\":\"I can only help with time questions.\"}]}")
                + "\n");
        Files.writeString(forge.resolve("data/train_clean.jsonl"), "{}\n");
        Files.writeString(forge.resolve("reports/qc.json"), "{\"total_samples\": 40, \"valid_samples\": 38, "
                + "\"tool_coverage\": {\"current_time\": 20, \"relative_time\": 18}, \"issues\": [{\"line\": 3}]}\n");
        return new BundleRequest(name, "1.0.0", "Answers time questions.", forge.resolve("tools.json"),
                forge.resolve("model/model-q8_0.gguf"), forge.resolve("data/eval.jsonl"),
                forge.resolve("data/train_clean.jsonl"), forge.resolve("reports"), null, 5, 0, 0.7, TIME,
                root.resolve("agent-bundle").resolve(name), root.resolve(name + "-1.0.0.zip"),
                root.resolve(name + "-1.0.0-reports.zip"), null, null);
    }

    private static String sample(String id, String scenario, String tool, String user, String args) {
        return "{\"id\":\"" + id + "\",\"source\":\"offline\",\"scenario\":\"" + scenario + "\",\"tool_name\":\""
                + tool + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a time assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"" + user + "\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"name\":\"" + tool + "\",\"arguments\":" + args + "}]},"
                + "{\"role\":\"tool\",\"name\":\"" + tool + "\",\"content\":\"ok\"},"
                + "{\"role\":\"assistant\",\"content\":\"Done.\"}]}";
    }
}
