package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.TestModels;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.train.TrainRequest;
import dev.mcpforge.engine.train.TrainTexts;
import dev.mcpforge.engine.train.Trainer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The graph core behind the worker's train op: same request/result surface as the llama-opt Trainer. */
class GraphTrainerTest {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    /** Conversations as JSON lines with the character span of the assistant turn. */
    static List<String> lines(int n, long seed) {
        return lines(n, seed, "You are a helpful assistant with file tools.");
    }

    /** The same conversations behind the given system turn. */
    static List<String> lines(int n, long seed, String system) {
        String[] files = {"/tmp/notes.txt", "/home/user/report.md", "src/main/App.java", "README.md", "data/config.json"};
        String[] asks = {"Please read the file %s", "What is in %s?", "Show me %s", "Open %s and tell me what it says"};
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String f = files[r.nextInt(files.length)];
            StringBuilder sb = new StringBuilder();
            sb.append("<|im_start|>system\n").append(system).append("<|im_end|>\n");
            sb.append("<|im_start|>user\n").append(String.format(asks[r.nextInt(asks.length)], f)).append("<|im_end|>\n");
            sb.append("<|im_start|>assistant\n");
            int start = sb.length();
            sb.append("<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"").append(f)
                    .append("\"}}\n</tool_call><|im_end|>");
            int end = sb.length();
            sb.append('\n');
            out.add(TrainTexts.line(sb.toString(), List.of(new int[] {start, end})));
        }
        return out;
    }

    private TrainRequest request(String name, String lossOn, int epochs, Path train, Path eval) {
        return new TrainRequest(TestModels.tinyPath(), tmp.resolve(name + ".gguf"), tmp.resolve("ck-" + name), train,
                eval, 96, 96, 96, 1, epochs, 0, 2e-3, 2e-4, 4, "cosine", 0.0, "adamw", 7,
                List.of("<|im_start|>", "<|im_end|>"), "test", true, false, -1, 137, TrainRequest.CORE_GRAPH, lossOn);
    }

    @Test
    void assistantLossFallsEveryTensorTrainsAndRunsAreReproducible() throws Exception {
        Path train = Files.write(tmp.resolve("train.jsonl"), lines(60, 1));
        Path eval = Files.write(tmp.resolve("eval.jsonl"), lines(12, 2));
        List<String> events = new ArrayList<>();
        ObjectNode res = new GraphTrainer(request("a", TrainRequest.LOSS_ASSISTANT, 2, train, eval), events::add).run();
        JsonNode epochs = res.get("epochs");
        assertEquals(2, epochs.size(), res.toString());
        double first = epochs.get(0).get("evalLoss").asDouble();
        double last = epochs.get(1).get("evalLoss").asDouble();
        double uniform = Math.log(GgufReader.read(TestModels.tinyPath()).vocabularySize());
        assertTrue(last < first && last < 0.5 * uniform, "eval loss " + epochs);
        assertTrue(epochs.get(1).get("evalAccuracy").asDouble() > epochs.get(0).get("evalAccuracy").asDouble()
                && epochs.get(1).get("trainAccuracy").asDouble() > 0.3, "accuracy " + epochs);
        assertEquals(GgufReader.read(TestModels.tinyPath()).tensors().size(), res.get("trainedTensors").size());
        assertTrue(res.get("frozenTensors").isEmpty());
        assertTrue(res.get("scoredTokens").asLong() < res.get("trainTokens").asLong() / 2, res.toString());
        assertTrue(events.stream().anyMatch(e -> e.contains("\"event\":\"step\"")));
        assertTrue(Files.isRegularFile(tmp.resolve("ck-a").resolve(Trainer.CHECKPOINT_MODEL)));
        // the saved model loads in llama.cpp and keeps the tokenizer and chat template metadata
        try (Model m = Model.load(tmp.resolve("a.gguf"))) {
            assertEquals(GgufReader.read(TestModels.tinyPath()).vocabularySize(), m.vocab().nTokens());
            assertTrue(m.chatTemplate() != null && !m.chatTemplate().isEmpty());
        }
        // same seed and threads: the same loss curve and byte-identical weights
        ObjectNode again = new GraphTrainer(request("b", TrainRequest.LOSS_ASSISTANT, 2, train, eval), e -> { }).run();
        for (int i = 0; i < 2; i++) {
            assertEquals(epochs.get(i).get("trainLoss").asDouble(), again.get("epochs").get(i).get("trainLoss").asDouble(), 0.0);
        }
        assertEquals(Trainer.sha256(tmp.resolve("a.gguf")), Trainer.sha256(tmp.resolve("b.gguf")));
    }

    /** Thrown by a progress consumer to stop a run right after a checkpoint (as a killed worker would). */
    static final class Stop extends RuntimeException {
    }

    /** Stops the run at its first epoch event: the epoch's checkpoint is already written then. */
    static void stopAfterFirstEpoch(String event) {
        if (event.contains("\"event\":\"epoch\"")) {
            throw new Stop();
        }
    }

    private TrainRequest resumable(Path model, String ck, String out, int startEpoch, int epochs, Path train, Path eval) {
        // two micro-batches per step (gradient accumulation), weight decay on: every part of the AdamW step is used
        return new TrainRequest(model, tmp.resolve(out + ".gguf"), tmp.resolve(ck), train, eval, 96, 192, 96, 1,
                epochs, startEpoch, 2e-3, 2e-4, 2, "cosine", 0.01, "adamw", 7, List.of("<|im_start|>", "<|im_end|>"),
                "test", true, false, -1, 137, TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT);
    }

    /** Runs epochs 1.. of a 3-epoch run from {@code ck}'s epoch-1 checkpoint, as forge:train resumes. */
    private ObjectNode resume(String ck, String out, int epochs, Path train, Path eval, List<String> events)
            throws Exception {
        Path from = Files.copy(tmp.resolve(ck).resolve(Trainer.CHECKPOINT_MODEL), tmp.resolve(out + "-resume-from.gguf"));
        return new GraphTrainer(resumable(from, ck, out, 1, epochs, train, eval), events::add).run();
    }

    @Test
    void resumingFromACheckpointRestoresTheAdamWStateAndReproducesTheUninterruptedRun() throws Exception {
        Path train = Files.write(tmp.resolve("train.jsonl"), lines(16, 3));
        Path eval = Files.write(tmp.resolve("eval.jsonl"), lines(4, 4));
        ObjectNode full = new GraphTrainer(resumable(TestModels.tinyPath(), "ck-full", "full", 0, 3, train, eval),
                e -> { }).run();
        assertThrows(Stop.class, () -> new GraphTrainer(resumable(TestModels.tinyPath(), "ck-cut", "cut", 0, 3, train,
                eval), GraphTrainerTest::stopAfterFirstEpoch).run());
        assertTrue(Files.notExists(tmp.resolve("cut.gguf")), "the interrupted run must not finish");
        // the epoch-1 checkpoint holds every trained tensor's moments and the step count, with its sha256
        Path ck = tmp.resolve("ck-cut");
        JsonNode opt = MAPPER.readTree(Files.readString(ck.resolve(Trainer.CHECKPOINT_STATE))).get("optimizer");
        long stepsPerEpoch = full.get("steps").asLong() / 3;
        assertTrue(opt.get("saved").asBoolean() && opt.get("iteration").asLong() == stepsPerEpoch && stepsPerEpoch > 1,
                opt + " / " + full.get("steps"));
        assertEquals(Trainer.sha256(ck.resolve(Trainer.CHECKPOINT_OPTIMIZER)), opt.get("sha256").asString());
        var moments = GgufReader.read(ck.resolve(Trainer.CHECKPOINT_OPTIMIZER));
        assertEquals(2 * full.get("trainedTensors").size(), moments.tensors().size());
        float maxV = 0;
        for (float x : GgufReader.readFloats(moments, "adam_v.token_embd.weight")) {
            maxV = Math.max(maxV, x);
        }
        assertTrue(maxV > 0, "second moments of token_embd are all zero");

        List<String> events = new ArrayList<>();
        ObjectNode resumed = resume("ck-cut", "resumed", 3, train, eval, events);
        assertEquals("restored", resumed.get("resume").get("optimizerState").asString(), resumed.get("resume").toString());
        assertTrue(events.stream().anyMatch(e -> e.contains("restored the AdamW moments")), events.toString());
        assertTrue(events.stream().noneMatch(e -> e.contains("\"event\":\"warn\"")), events.toString());
        // byte-identical weights and the same loss curve as the uninterrupted run
        assertEquals(Trainer.sha256(tmp.resolve("full.gguf")), Trainer.sha256(tmp.resolve("resumed.gguf")));
        assertEquals(full.get("steps").asLong(), resumed.get("steps").asLong());
        assertEquals(3, resumed.get("epochs").size(), resumed.toString());
        for (int i = 0; i < 3; i++) {
            for (String k : new String[] {"trainLoss", "evalLoss", "trainAccuracy", "learningRate"}) {
                assertEquals(full.get("epochs").get(i).get(k).asDouble(), resumed.get("epochs").get(i).get(k).asDouble(),
                        0.0, "epoch " + (i + 1) + " " + k);
            }
        }
    }

    @Test
    void aCorruptOrMissingOptimizerFileResumesWithFreshMomentsAfterAWarning() throws Exception {
        Path train = Files.write(tmp.resolve("train.jsonl"), lines(12, 5));
        Path eval = Files.write(tmp.resolve("eval.jsonl"), lines(4, 6));
        assertThrows(Stop.class, () -> new GraphTrainer(resumable(TestModels.tinyPath(), "ck-bad", "bad", 0, 2, train,
                eval), GraphTrainerTest::stopAfterFirstEpoch).run());
        Path ck = tmp.resolve("ck-bad");
        Path ck2 = Files.createDirectories(tmp.resolve("ck-gone"));
        for (String f : new String[] {Trainer.CHECKPOINT_MODEL, Trainer.CHECKPOINT_STATE}) {
            Files.copy(ck.resolve(f), ck2.resolve(f));
        }
        Path opt = ck.resolve(Trainer.CHECKPOINT_OPTIMIZER);
        byte[] bytes = Files.readAllBytes(opt);
        Files.write(opt, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated

        for (String dir : new String[] {"ck-bad", "ck-gone"}) {
            List<String> events = new ArrayList<>();
            ObjectNode res = resume(dir, dir + "-out", 2, train, eval, events);
            assertTrue(events.stream().anyMatch(e -> e.contains("\"event\":\"warn\"") && e.contains(
                    "optimizer state missing/corrupt: resuming with fresh AdamW moments")), dir + ": " + events);
            assertEquals("fresh", res.get("resume").get("optimizerState").asString(), res.toString());
            assertEquals(2, res.get("epochs").size(), res.toString());
            assertTrue(Files.isRegularFile(tmp.resolve(dir + "-out.gguf")));
            // the step count restarted with the moments: the new checkpoint's AdamW state has one epoch of steps
            JsonNode st = MAPPER.readTree(Files.readString(tmp.resolve(dir).resolve(Trainer.CHECKPOINT_STATE)));
            assertEquals(st.get("step").asLong() / 2, st.get("optimizer").get("iteration").asLong(), st.toString());
        }
    }

    @Test
    void loraTrainsAdaptersOnlyAndWritesAMergedModelAndALlamaCppAdapter() throws Exception {
        Path train = Files.write(tmp.resolve("train.jsonl"), lines(30, 1));
        Path eval = Files.write(tmp.resolve("eval.jsonl"), lines(8, 2));
        TrainRequest r = new TrainRequest(TestModels.tinyPath(), tmp.resolve("l.gguf"), tmp.resolve("ck-l"), train, eval,
                96, 96, 96, 1, 2, 0, 1e-2, 1e-3, 2, "cosine", 0.0, "adamw", 7, List.of("<|im_start|>", "<|im_end|>"),
                "test", true, false, -1, 137, TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT, 4, 8,
                List.of("attn_q", "attn_v", "ffn_up"));
        ObjectNode res = new GraphTrainer(r, e -> { }).run();
        JsonNode epochs = res.get("epochs");
        assertTrue(epochs.get(1).get("evalLoss").asDouble() < epochs.get(0).get("evalLoss").asDouble(), res.toString());
        assertEquals(6, res.get("trainedTensors").size(), res.toString()); // 3 targets x 2 blocks
        assertTrue(res.get("trainedParameters").asLong() < res.get("modelParameters").asLong() / 10, res.toString());
        Path adapter = Path.of(res.get("lora").get("adapter").asString());
        assertEquals(GraphTrainer.adapterPath(tmp.resolve("l.gguf")), adapter);
        var base = GgufReader.read(TestModels.tinyPath());
        var out = GgufReader.read(tmp.resolve("l.gguf"));
        assertEquals(base.tensors().size(), out.tensors().size());
        for (var t : base.tensors()) {
            boolean target = t.name().contains("attn_q.") || t.name().contains("attn_v.") || t.name().contains("ffn_up.");
            boolean same = java.util.Arrays.equals(GgufReader.readFloats(base, t.name()), GgufReader.readFloats(out, t.name()));
            assertEquals(!target, same, t.name() + (target ? " should hold the merged adapter" : " should be frozen"));
        }
        // the adapter loads in llama.cpp on the base model
        try (Model m = Model.load(TestModels.tinyPath())) {
            Pointer a = Native.load(dev.mcpforge.engine.NativeLoader.load().libraryDir().resolve(GgmlRuntime.library(
                    dev.mcpforge.engine.NativeLoader.load().libraryDir(), "libllama")).toString(), LlamaReference.Logits.class)
                    .llama_adapter_lora_init(m.handle(), adapter.toString());
            assertTrue(a != null, "llama_adapter_lora_init rejected " + adapter);
        }
    }

    @Test
    void assistantTokensAreExactlyTheSpans() throws Exception {
        String line = lines(1, 5).get(0);
        TrainTexts.Entry e = TrainTexts.read(Files.write(tmp.resolve("one.jsonl"), List.of(line))).get(0);
        try (Model m = Model.load(TestModels.tinyPath())) {
            GraphTrainer.Tokenized t = GraphTrainer.tokenize(m.vocab(), e);
            List<Integer> sel = new ArrayList<>();
            for (int i = 0; i < t.tokens().length; i++) {
                if (t.assistant()[i]) {
                    sel.add(t.tokens()[i]);
                }
            }
            int[] ids = sel.stream().mapToInt(Integer::intValue).toArray();
            String assistant = e.text().substring(e.spans().get(0)[0], e.spans().get(0)[1]);
            assertEquals(assistant, m.vocab().detokenize(ids, false, true));
        }
    }

    @Test
    void plainStringLinesCannotTrainOnAssistantTokensOnly() throws Exception {
        Path train = Files.write(tmp.resolve("plain.jsonl"), List.of("\"<|im_start|>user\\nhi<|im_end|>\\n\""));
        EngineException e = assertThrows(EngineException.class,
                () -> new GraphTrainer(request("p", TrainRequest.LOSS_ASSISTANT, 1, train, null), x -> { }).run());
        assertTrue(e.getMessage().contains("lossOn=all"), e.getMessage());
    }
}
