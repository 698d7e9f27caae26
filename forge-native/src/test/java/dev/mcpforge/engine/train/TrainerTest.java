package dev.mcpforge.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.TestModels;
import dev.mcpforge.engine.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Training through llama.cpp's optimizer, in this JVM (the plugin runs it in the worker). */
class TrainerTest {
    @TempDir
    Path tmp;

    static List<String> conversations(int n, long seed) {
        String[] files = {"/tmp/notes.txt", "/home/user/report.md", "src/main/App.java", "README.md", "data/config.json"};
        String[] asks = {"Please read the file %s", "What is in %s?", "Show me %s", "Open %s and tell me what it says"};
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String f = files[r.nextInt(files.length)];
            StringBuilder sb = new StringBuilder();
            sb.append("<|im_start|>system\nYou are a helpful assistant with file tools.<|im_end|>\n");
            sb.append("<|im_start|>user\n").append(String.format(asks[r.nextInt(asks.length)], f)).append("<|im_end|>\n");
            sb.append("<|im_start|>assistant\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"")
                    .append(f).append("\"}}\n</tool_call><|im_end|>\n");
            out.add(sb.toString());
        }
        return out;
    }

    Path texts(String name, List<String> texts) throws IOException {
        Path p = tmp.resolve(name);
        List<String> lines = new ArrayList<>();
        for (String t : texts) {
            lines.add(TrainRequest.MAPPER.writeValueAsString(t));
        }
        Files.write(p, lines);
        return p;
    }

    TrainRequest request(Path train, Path eval, int batch, int ubatch, int epochs, double lr, String schedule,
                         String optimizer, boolean reset, boolean keep) {
        return TrainRequest.builder(TestModels.tinyPath(), tmp.resolve("out.gguf"), tmp.resolve("ckpt"), train)
                .evalTexts(eval).batch(batch, ubatch).threads(1).epochs(epochs, 0).learningRate(lr, lr / 10)
                .warmupSteps("cosine".equals(schedule) ? 10 : 0).schedule(schedule).optimizer(optimizer).seed(7)
                .specialTokens(List.of("<|im_start|>", "<|im_end|>")).runKey("test").resetGradients(reset)
                .keepEpochModels(keep).build();
    }

    @Test
    void evalLossFallsAndTheModelIsSavedWithCheckpoint() throws Exception {
        Path train = texts("train.jsonl", conversations(120, 1));
        Path eval = texts("eval.jsonl", conversations(24, 2));
        List<String> events = new ArrayList<>();
        ObjectNode res = new Trainer(request(train, eval, 128, 128, 3, 1e-3, "cosine", "adamw", true, false), e -> {
            events.add(e);
            System.out.println(e);
        }).run();
        JsonNode epochs = res.get("epochs");
        assertEquals(3, epochs.size());
        double first = epochs.get(0).get("evalLoss").asDouble();
        double last = epochs.get(2).get("evalLoss").asDouble();
        double uniform = Math.log(GgufReader.read(TestModels.tinyPath()).vocabularySize());
        assertTrue(last < 0.5 * uniform, "eval loss " + last + " vs uniform " + uniform + ": " + epochs);
        assertTrue(last < first, "eval loss did not fall: " + epochs);
        assertTrue(res.get("steps").asLong() > 100, res.toString());
        assertTrue(Files.size(tmp.resolve("out.gguf")) > 1000);
        assertTrue(Files.isRegularFile(tmp.resolve("ckpt").resolve(Trainer.CHECKPOINT_MODEL)));
        JsonNode st = TrainRequest.MAPPER.readTree(tmp.resolve("ckpt").resolve(Trainer.CHECKPOINT_STATE).toFile());
        assertEquals(3, st.get("epochsDone").asInt());
        assertEquals(Trainer.sha256(tmp.resolve("ckpt").resolve(Trainer.CHECKPOINT_MODEL)), st.get("modelSha256").asString());
        assertTrue(events.stream().anyMatch(e -> e.contains("\"event\":\"step\"")), "no step events");
        assertTrue(res.get("trainedTensors").toString().contains("ffn_up"));
        assertTrue(res.get("frozenTensors").toString().contains("token_embd"));
        assertTrue(res.get("frozenTensors").toString().contains("attn_k"));
        assertTrue(res.get("gradientAccumulatorsReset").asInt() > 0);
    }

    /**
     * The drift test of the gradient-accumulator workaround: with plain SGD at a small learning rate, two steps on the
     * same sequence must move the weights by (almost) the same amount. Without the reset the second step applies
     * g1+g2, about twice as much; the test checks both, so a broken reset (e.g. a changed struct offset) fails.
     */
    @Test
    void twoIdenticalStepsGiveIdenticalUpdates() throws Exception {
        Path train = texts("one.jsonl", conversations(3, 3));
        double fixed = updateRatio(train, true, "fixed");
        double buggy = updateRatio(train, false, "buggy");
        assertTrue(Math.abs(fixed - 1) < 0.1, "with the reset, update2/update1 = " + fixed);
        assertTrue(buggy > 1.6, "without the reset the second update should be about twice the first: " + buggy);
    }

    private double updateRatio(Path train, boolean reset, String dir) throws Exception {
        TrainRequest base = request(train, null, 256, 256, 2, 1e-3, "constant", "sgd", reset, true);
        TrainRequest r = TrainRequest.builder(base.model(), tmp.resolve(dir + ".gguf"), tmp.resolve(dir), train)
                .context(base.nCtx()).threads(2).epochs(2, 0).learningRate(1e-3, 1e-3).schedule("constant")
                .optimizer("sgd").seed(7).specialTokens(base.specialTokens()).runKey("t").resetGradients(reset)
                .keepEpochModels(true).build();
        JsonNode res = new Trainer(r, e -> { }).run();
        assertEquals(2, res.get("steps").asLong(), res.toString());
        String t = "blk.0.ffn_up.weight";
        float[] w0 = GgufReader.readFloats(GgufReader.read(TestModels.tinyPath()), t);
        float[] w1 = GgufReader.readFloats(GgufReader.read(tmp.resolve(dir).resolve("epoch-1.gguf")), t);
        float[] w2 = GgufReader.readFloats(GgufReader.read(tmp.resolve(dir).resolve("epoch-2.gguf")), t);
        double d1 = 0;
        double d2 = 0;
        for (int i = 0; i < w0.length; i++) {
            d1 += (w1[i] - w0[i]) * (double) (w1[i] - w0[i]);
            d2 += (w2[i] - w1[i]) * (double) (w2[i] - w1[i]);
        }
        assertTrue(d1 > 0, "the first step changed nothing");
        return Math.sqrt(d2 / d1);
    }

    /** Determinism: the same data, seed, model and thread count give the same loss curve and the same bytes. */
    @Test
    void sameSeedGivesTheSameLossCurveAndBytes() throws Exception {
        Path train = texts("det.jsonl", conversations(12, 5));
        Path eval = texts("det-eval.jsonl", conversations(4, 6));
        List<String> sha = new ArrayList<>();
        List<String> curves = new ArrayList<>();
        for (String run : List.of("a", "b")) {
            TrainRequest r = TrainRequest.builder(TestModels.tinyPath(), tmp.resolve(run + ".gguf"),
                    tmp.resolve("ck-" + run), train).evalTexts(eval).batch(128, 128).threads(2).epochs(2, 0)
                    .learningRate(1e-3, 1e-4).warmupSteps(2).weightDecay(0.01).seed(99)
                    .specialTokens(List.of("<|im_start|>")).runKey("det").build();
            JsonNode res = new Trainer(r, e -> { }).run();
            StringBuilder c = new StringBuilder();
            res.get("epochs").forEach(e -> c.append(e.get("trainLoss").asDouble()).append('/')
                    .append(e.get("evalLoss").asDouble()).append(' '));
            curves.add(c.toString());
            sha.add(Trainer.sha256(tmp.resolve(run + ".gguf")));
        }
        assertEquals(curves.get(0), curves.get(1));
        assertEquals(sha.get(0), sha.get(1), "same seed and threads: byte-identical weights");
    }

    @Test
    void badInputIsRejectedWithAClearMessage() throws Exception {
        Path empty = texts("empty.jsonl", List.of());
        EngineException e = assertThrows(EngineException.class,
                () -> new Trainer(request(empty, null, 256, 256, 1, 1e-3, "constant", "adamw", true, false), x -> { }).run());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        Path train = texts("t.jsonl", conversations(2, 1));
        TrainRequest b = request(train, null, 256, 256, 1, 1e-3, "constant", "adamw", true, false);
        TrainRequest wrongVocab = TrainRequest.builder(b.model(), b.output(), b.checkpointDir(), train).threads(2)
                .learningRate(1e-3, 1e-4).schedule("constant").seed(1).specialTokens(List.of("<|start_header_id|>"))
                .build();
        e = assertThrows(EngineException.class, () -> new Trainer(wrongVocab, x -> { }).run());
        assertTrue(e.getMessage().contains("vocabulary does not match"), e.getMessage());

        TrainRequest badCtx = TrainRequest.builder(b.model(), b.output(), b.checkpointDir(), train).context(300)
                .batch(300, 300).threads(2).learningRate(1e-3, 1e-4).schedule("constant").seed(1).build();
        e = assertThrows(EngineException.class, () -> new Trainer(badCtx, x -> { }).run());
        assertTrue(e.getMessage().contains("multiple of 256"), e.getMessage());

        TrainRequest missing = TrainRequest.builder(tmp.resolve("nope.gguf"), b.output(), b.checkpointDir(), train)
                .threads(2).learningRate(1e-3, 1e-4).schedule("constant").seed(1).build();
        e = assertThrows(EngineException.class, () -> new Trainer(missing, x -> { }).run());
        assertEquals(EngineException.Kind.MODEL_NOT_FOUND, e.kind());
        assertFalse(Files.exists(b.output()));
    }

    @Test
    void packerTruncatesAndPads() {
        Packer.Packed p = Packer.pack(List.of(new int[] {1, 2, 3}, new int[] {4, 5}, new int[] {0, 0, 0, 0, 0, 0, 0, 7}, new int[] {6}), 4, 9);
        assertEquals(1, p.truncated());
        assertEquals(4, p.padTokens());
        assertEquals(3, p.windows().size());
        assertEquals(List.of(1, 2, 3, 4, 5), java.util.Arrays.stream(p.windows().get(0)).boxed().toList());
        assertEquals(List.of(0, 0, 0, 0, 7), java.util.Arrays.stream(p.windows().get(1)).boxed().toList());
        assertEquals(8, p.longest());
        assertEquals(List.of(6, 9, 9, 9, 9), java.util.Arrays.stream(p.windows().get(2)).boxed().toList());
    }
}
