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
            out.add(TrainTexts.line(sb.toString(), List.of(new int[] {start, end}), List.of()));
        }
        return out;
    }

    private TrainRequest request(String name, String lossOn, int epochs, Path train, Path eval) {
        return TrainRequest.builder(TestModels.tinyPath(), tmp.resolve(name + ".gguf"), tmp.resolve("ck-" + name),
                train).evalTexts(eval).context(96).batch(96, 96).threads(1).epochs(epochs, 0).learningRate(2e-3, 2e-4)
                .warmupSteps(4).seed(7).specialTokens(List.of("<|im_start|>", "<|im_end|>")).runKey("test")
                .core(TrainRequest.CORE_GRAPH, lossOn).build();
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
        return TrainRequest.builder(model, tmp.resolve(out + ".gguf"), tmp.resolve(ck), train).evalTexts(eval)
                .context(96).batch(192, 96).threads(1).epochs(epochs, startEpoch).learningRate(2e-3, 2e-4)
                .warmupSteps(2).weightDecay(0.01).seed(7).specialTokens(List.of("<|im_start|>", "<|im_end|>"))
                .runKey("test").core(TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT).build();
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

        // a trial (forge.train.draws) stops after its epoch of the 3-epoch schedule, checkpointed, without a model;
        // resumed, it is the uninterrupted run
        ObjectNode trial = new GraphTrainer(resumable(TestModels.tinyPath(), "ck-trial", "trial", 0, 3, train, eval)
                .withStopAfterEpochs(1), e -> { }).run();
        assertEquals(1, trial.get("stoppedAfterEpoch").asInt(), trial.toString());
        assertEquals(1, trial.get("epochs").size());
        assertEquals(stepsPerEpoch, trial.get("steps").asLong());
        assertTrue(Files.notExists(tmp.resolve("trial.gguf")), "a trial writes no model");
        assertEquals(full.get("epochs").get(0).get("evalLoss").asDouble(), trial.get("epochs").get(0).get("evalLoss")
                .asDouble(), 0.0, "the trial's epoch is the full schedule's first");
        resume("ck-trial", "trial-resumed", 3, train, eval, new ArrayList<>());
        assertEquals(Trainer.sha256(tmp.resolve("full.gguf")), Trainer.sha256(tmp.resolve("trial-resumed.gguf")));
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
        TrainRequest r = TrainRequest.builder(TestModels.tinyPath(), tmp.resolve("l.gguf"), tmp.resolve("ck-l"), train)
                .evalTexts(eval).context(96).batch(96, 96).threads(1).epochs(2, 0).learningRate(1e-2, 1e-3)
                .warmupSteps(2).seed(7).specialTokens(List.of("<|im_start|>", "<|im_end|>")).runKey("test")
                .core(TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT)
                .lora(4, 8, List.of("attn_q", "attn_v", "ffn_up")).build();
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

    /**
     * Two-thirds of the lines call a tool ({@link #callLines}), a third answer without one; the texts mark the tool
     * names, so an answer line is a turn without calls.
     */
    static List<String> mixedLines(int n, long seed) {
        List<String> calls = callLines(n, seed);
        Random r = new Random(seed + 1);
        String[] chats = {"Thanks, that is all.", "Who wrote Hamlet?", "Say hello.", "What is two plus two?"};
        String[] answers = {"You are welcome.", "Shakespeare did.", "Hello!", "Four."};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 3 != 2) {
                out.add(calls.get(i));
                continue;
            }
            int k = r.nextInt(chats.length);
            StringBuilder sb = new StringBuilder("<|im_start|>system\nYou have file tools.<|im_end|>\n<|im_start|>user\n")
                    .append(chats[k]).append("<|im_end|>\n<|im_start|>assistant\n");
            int start = sb.length();
            sb.append(answers[k]).append("<|im_end|>");
            int end = sb.length();
            out.add(TrainTexts.line(sb.append('\n').toString(), List.of(new int[] {start, end}), List.of()));
        }
        return out;
    }

    @Test
    void heldOutTurnDecisionCountsTurnsThatOpenRightAndNameTheirToolsRight() throws Exception {
        Path train = Files.write(tmp.resolve("mixed-train.jsonl"), mixedLines(60, 21));
        Path eval = Files.write(tmp.resolve("mixed-eval.jsonl"), mixedLines(12, 22));
        ObjectNode res = new GraphTrainer(request("td", TrainRequest.LOSS_ASSISTANT, 2, train, eval), x -> { }).run();
        JsonNode last = res.get("epochs").get(1);
        assertEquals(12, last.get("evalTurns").asInt(), last.toString());
        assertEquals(8, last.get("evalToolCalls").asInt(), last.toString());
        double reported = last.get("evalTurnDecision").asDouble();

        // recount from the saved model: a call turn is right when the most likely token at its opening is the call
        // marker's first token and at every token of the name its token; an answer turn when its opening is not
        // the call marker's first token
        int right = 0;
        try (Model m = Model.load(tmp.resolve("td.gguf"));
             GgmlRuntime rt = GgmlRuntime.open(1); GraphModel gm = GraphModel.load(rt, tmp.resolve("td.gguf"));
             GraphSession session = new GraphSession(gm, 96, 1, null, 1)) {
            List<TrainTexts.Entry> entries = TrainTexts.read(eval);
            int marker = -1; // the token a call turn opens with, as the texts have it
            for (TrainTexts.Entry e : entries) {
                int[] ids = m.vocab().tokenize(e.text(), false, true);
                int at = opening(m, e, ids);
                if (!e.names().isEmpty()) {
                    marker = ids[at];
                }
            }
            for (TrainTexts.Entry e : entries) {
                int[] ids = m.vocab().tokenize(e.text(), false, true);
                session.setBatch(List.of(Sequence.plain(java.util.Arrays.copyOf(ids, 97))));
                float[] logits = session.logits();
                int vocab = logits.length / 96;
                int open = opening(m, e, ids);
                boolean ok = true;
                int bytes = 0;
                for (int i = 0; i < ids.length; i++) {
                    int len = m.vocab().piece(ids[i], true).length;
                    boolean inName = false;
                    if (!e.names().isEmpty()) {
                        int nameFrom = utf8(e.text(), e.names().get(0)[0]);
                        int nameTo = utf8(e.text(), e.names().get(0)[1]);
                        inName = bytes < nameTo && bytes + len > nameFrom;
                    }
                    if (i == open || inName) {
                        int best = 0;
                        for (int v = 1; v < vocab; v++) {
                            best = logits[(i - 1) * vocab + v] > logits[(i - 1) * vocab + best] ? v : best;
                        }
                        ok &= e.names().isEmpty() ? best != marker : best == ids[i];
                    }
                    bytes += len;
                }
                right += ok ? 1 : 0;
            }
        }
        assertEquals(right / 12.0, reported, 1e-9, "reported " + reported + ", recounted " + right + " of 12");
        assertTrue(right > 0 && right < 12, "the check must see both outcomes: " + right + " of 12 right");
    }

    /** The first token starting inside the sample's assistant span. */
    private static int opening(Model m, TrainTexts.Entry e, int[] ids) {
        int open = utf8(e.text(), e.spans().get(0)[0]);
        int bytes = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes >= open) {
                return i;
            }
            bytes += m.vocab().piece(ids[i], true).length;
        }
        return ids.length;
    }

    private static int utf8(String text, int chars) {
        return text.substring(0, chars).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** Requests for two tools, each line with its assistant span and the range of the called tool's name. */
    static List<String> callLines(int n, long seed) {
        String[] files = {"/tmp/notes.txt", "README.md", "data/config.json", "src/App.java"};
        String[][] asks = {{"read_file", "Please read %s"}, {"read_file", "What is in %s?"},
            {"delete_file", "Delete %s"}, {"delete_file", "Remove the file %s please"}, {null, "Handle %s"}};
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String f = files[r.nextInt(files.length)];
            String[] ask = asks[r.nextInt(asks.length)].clone();
            if (ask[0] == null) { // a request that does not say which tool: no model can always be right
                ask[0] = r.nextBoolean() ? "read_file" : "delete_file";
            }
            StringBuilder sb = new StringBuilder("<|im_start|>system\nYou have file tools.<|im_end|>\n<|im_start|>user\n")
                    .append(String.format(ask[1], f)).append("<|im_end|>\n<|im_start|>assistant\n");
            int start = sb.length();
            sb.append("<tool_call>\n{\"name\": \"");
            int name = sb.length();
            sb.append(ask[0]).append("\", \"arguments\": {\"path\": \"").append(f).append("\"}}\n</tool_call><|im_end|>");
            int end = sb.length();
            sb.append('\n');
            out.add(TrainTexts.line(sb.toString(), List.of(new int[] {start, end}),
                    List.of(new int[] {name, name + ask[0].length()})));
        }
        return out;
    }

    @Test
    void packingTracksWhichPositionsPredictEachCallsName() {
        // tokens 0..9; the assistant span is 4..9, the name tokens 5..6 (call 0) and 8 (call 1)
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        boolean[] assistant = new boolean[10];
        java.util.Arrays.fill(assistant, 4, 10, true);
        int[] call = {-1, -1, -1, -1, -1, 0, 0, -1, 1, -1};
        GraphTrainer.Tokenized s = new GraphTrainer.Tokenized(tokens, assistant, call);
        GraphTrainer.Packed p = GraphTrainer.pack(List.of(s, s), 24, 0, true);
        assertEquals(1, p.rows().size());
        assertEquals(List.of(2, 1, 2, 1), java.util.Arrays.stream(p.callTokens()).boxed().toList());
        int[] at = p.calls().get(0);
        // position i predicts token i+1: sample 1's name tokens 5, 6, 8 from positions 4, 5, 7; sample 2's from 14, 15, 17
        int[] expected = new int[24];
        java.util.Arrays.fill(expected, -1);
        expected[4] = 0;
        expected[5] = 0;
        expected[7] = 1;
        expected[14] = 2;
        expected[15] = 2;
        expected[17] = 3;
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(at));
        // a sample cut to its end (longer than the row) loses the positions of the names cut off
        GraphTrainer.Packed cut = GraphTrainer.pack(List.of(s), 6, 0, true);
        // kept tokens 3..9 at positions 0..6: name tokens 5, 6, 8 predicted from positions 1, 2, 4
        assertEquals("[-1, 0, 0, -1, 1, -1]", java.util.Arrays.toString(cut.calls().get(0)));

        // turns: each sample's assistant span opens at token 4 (value 5), predicted from positions 3 and 13, and
        // calls 0, 1 (sample 1) and 2, 3 (sample 2); an answer sample (names marked, none in it) is a turn without calls
        GraphTrainer.Tokenized answer = new GraphTrainer.Tokenized(tokens, assistant, new int[10]);
        java.util.Arrays.fill(answer.call(), -1);
        GraphTrainer.Packed q = GraphTrainer.pack(List.of(s, s, answer), 32, 0, true);
        GraphTrainer.Turns turns = q.turns();
        assertEquals("[5, 5, 5]", java.util.Arrays.toString(turns.label()));
        assertEquals("[true, true, false]", java.util.Arrays.toString(turns.call()));
        assertEquals("[[0, 1], [2, 3], []]", java.util.Arrays.deepToString(turns.callIds()));
        int[] opens = turns.at().get(0);
        assertEquals(0, opens[3]);
        assertEquals(1, opens[13]);
        assertEquals(2, opens[23]);
        assertEquals(3, java.util.Arrays.stream(opens).filter(x -> x >= 0).count());
        // without name marks (call == null) a sample has no turns: a call could not be told from an answer
        assertEquals(0, GraphTrainer.pack(List.of(new GraphTrainer.Tokenized(tokens, assistant)), 12, 0, true)
                .turns().label().length);
        // cut: the opening (token 4) stays, at position 0
        assertEquals(0, cut.turns().at().get(0)[0]);
        // the call marker is the most frequent opening of the call turns (a turn may open with a sentence first)
        GraphTrainer.Turns mixed = new GraphTrainer.Turns(List.of(), new int[] {7, 9, 7, 3, 9, 7},
                new boolean[] {true, true, true, false, false, true}, new int[6][]);
        assertEquals(7, GraphTrainer.callMarker(mixed));
        assertEquals(-1, GraphTrainer.callMarker(new GraphTrainer.Turns(List.of(), new int[] {3},
                new boolean[] {false}, new int[1][])));
    }

    @Test
    void heldOutToolChoiceIsTheTeacherForcedWholeNameAccuracyOfTheModel() throws Exception {
        Path train = Files.write(tmp.resolve("calls-train.jsonl"), callLines(60, 11));
        List<String> evalLines = callLines(12, 12);
        Path eval = Files.write(tmp.resolve("calls-eval.jsonl"), evalLines);
        List<String> events = new ArrayList<>();
        ObjectNode res = new GraphTrainer(request("tc", TrainRequest.LOSS_ASSISTANT, 2, train, eval), events::add).run();
        JsonNode last = res.get("epochs").get(1);
        assertEquals(12, last.get("evalToolCalls").asInt(), last.toString());
        double reported = last.get("evalToolChoice").asDouble();
        assertTrue(events.stream().anyMatch(e -> e.contains("\"evalToolChoice\"")), "the epoch event carries it");

        // recount from the saved model: per held-out sample, is the most likely next token right at every token of
        // the name (found from the token pieces' byte offsets)?
        int right = 0;
        try (Model m = Model.load(tmp.resolve("tc.gguf"));
             GgmlRuntime rt = GgmlRuntime.open(1); GraphModel gm = GraphModel.load(rt, tmp.resolve("tc.gguf"));
             GraphSession session = new GraphSession(gm, 96, 1, null, 1)) {
            for (TrainTexts.Entry e : TrainTexts.read(eval)) {
                int[] ids = m.vocab().tokenize(e.text(), false, true);
                int nameFrom = e.text().substring(0, e.names().get(0)[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                int nameTo = e.text().substring(0, e.names().get(0)[1]).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                session.setBatch(List.of(Sequence.plain(java.util.Arrays.copyOf(ids, 97))));
                float[] logits = session.logits();
                int vocab = logits.length / 96;
                boolean ok = true;
                int bytes = 0;
                for (int i = 0; i < ids.length; i++) {
                    int len = m.vocab().piece(ids[i], true).length;
                    if (bytes < nameTo && bytes + len > nameFrom) {
                        int best = 0;
                        for (int v = 1; v < vocab; v++) {
                            best = logits[(i - 1) * vocab + v] > logits[(i - 1) * vocab + best] ? v : best;
                        }
                        ok &= best == ids[i];
                    }
                    bytes += len;
                }
                right += ok ? 1 : 0;
            }
        }
        assertEquals(right / 12.0, reported, 1e-9, "reported " + reported + ", recounted " + right + " of 12");
        assertTrue(right > 0 && right < 12, "the check must see both outcomes: " + right + " of 12 right");
        // lines without name ranges: no tool choice is reported
        Path plainEval = Files.write(tmp.resolve("eval-nonames.jsonl"), lines(4, 13));
        ObjectNode none = new GraphTrainer(request("nn", TrainRequest.LOSS_ASSISTANT, 1, train, plainEval), x -> { }).run();
        assertTrue(!none.get("epochs").get(0).has("evalToolChoice"), none.get("epochs").toString());
    }
}
