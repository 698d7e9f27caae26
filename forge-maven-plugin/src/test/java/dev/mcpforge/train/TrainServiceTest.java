package dev.mcpforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.data.Fixtures;
import dev.mcpforge.data.GenerateRequest;
import dev.mcpforge.data.GenerateService;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.data.ScenarioWeights;
import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.engine.GenerationResult;
import dev.mcpforge.engine.Generator;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ParsedReply;
import dev.mcpforge.engine.chat.ToolCallSyntax;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.train.Trainer;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** forge:train end to end on the tiny model, through the engine worker (CPU, 1 thread). */
class TrainServiceTest {
    @TempDir
    Path tmp;

    static final TrainSettings.Overrides FAST = TrainSettings.Overrides.builder().epochs(3).learningRate(2e-3).contextLength(512).batchSize(128).microBatchSize(128).threads(1).seed(7L).build();
    /**
     * FAST with the profiles' context of 2,048 tokens (on the graph core a cap: no sample here is that long), and five
     * epochs: without a tool list in the prompt (forge.toolPrompt=auto) ~2.6 samples share a row, 14 optimizer steps
     * per epoch, and a model that cannot copy tool names from the prompt needs more of them on 36 samples (held-out
     * loss 3.74 after three epochs, 3.43 after four).
     */
    static final TrainSettings.Overrides WIDE = TrainSettings.Overrides.builder().epochs(5).learningRate(2e-3).contextLength(2048).batchSize(128).microBatchSize(128).threads(1).seed(7L).build();

    Path project(String name, int samples) throws IOException {
        Path dir = tmp.resolve(name);
        Path forge = dir.resolve("target/forge");
        Files.createDirectories(forge);
        Path tools = forge.resolve("tools.json");
        Fixtures.toolset("time-tools").write(tools);
        new GenerateService().generate(GenerateRequest.under(forge, tools, samples, 0.1, 11, ScenarioWeights.DEFAULT));
        Files.copy(forge.resolve("data/train.jsonl"), forge.resolve("data/train_clean.jsonl"));
        return dir;
    }

    TrainingRequest request(Path dir, TrainSettings.Overrides o) {
        return TrainingRequest.of(dir.resolve("target/forge"), dir, "tiny", TrainProfile.FAST_DEV, o);
    }

    @Test
    void trainsTinyEvalLossFallsUpToDateOnRerunAndGeneratesAToolCall() throws Exception {
        Path dir = project("p", 36);
        TrainService svc = new TrainService();
        // a context of 2,048 as in the profiles: on the graph core only a cap, the rows are as long as the longest sample
        TrainingResult r = svc.train(request(dir, WIDE));
        assertFalse(r.upToDate());
        JsonNode rep = r.reportJson();
        JsonNode epochs = rep.get("epochs");
        assertEquals(5, epochs.size(), rep.toString());
        double first = epochs.get(0).get("evalLoss").asDouble();
        double last = epochs.get(4).get("evalLoss").asDouble();
        int vocab = rep.path("baseModel").path("vocabulary").asInt();
        assertTrue(last < 0.5 * Math.log(vocab), "eval loss " + last + " vs uniform " + Math.log(vocab));
        assertTrue(last < first, "eval loss did not fall: " + epochs);
        assertTrue(rep.get("optimizerSteps").asLong() >= 30, rep.toString());
        assertEquals(64, rep.get("configSha256").asString().length());
        assertTrue(rep.get("peakRssBytes").asLong() > 0);
        // the memory estimate is sized by the packed rows (the longest sample), not by the context of 2,048 tokens,
        // so it stays near the measured peak (sized by the context it was ~7x the peak of the filesystem example)
        long estimate = rep.get("memoryEstimateBytes").asLong();
        long peak = rep.get("peakRssBytes").asLong();
        assertTrue(estimate < 2 * peak, "estimate " + estimate + " vs peak RSS " + peak);
        // the default core is the project's own graph: every tensor trains, the loss is on the assistant turns
        assertEquals("graph", rep.get("core").asString(), rep.toString());
        assertEquals("assistant", rep.get("lossOn").asString());
        assertTrue(rep.get("trainedTensors").toString().contains("token_embd") && rep.get("frozenTensors").isEmpty(),
                rep.toString());
        // ... so the tiny model's output head is token_embd itself
        assertFalse(rep.get("trainedTensors").toString().contains("\"output.weight\""), rep.toString());
        assertEquals("tied to token_embd", rep.path("baseModel").path("outputHead").asString(), rep.toString());
        assertEquals("random", rep.path("baseModel").path("init").asString(), rep.toString());
        assertTrue(rep.get("dataset").get("scored").asString().contains("assistant turns only"));
        assertEquals("the graph core trains every tensor: nothing is frozen", rep.get("frozenWhy").asString());
        assertTrue(rep.get("dataset").get("scoredTokens").asLong() < rep.get("dataset").get("trainTokens").asLong());
        assertTrue(Files.readString(r.chart()).contains("<polyline"));
        assertTrue(Files.isRegularFile(r.model()));
        assertFalse(Files.exists(dir.resolve("target/forge/checkpoints/train")), "checkpoints are removed after success");
        // llama_model_save_to_file drops the chat template: put back from the base model, with the base recorded
        GgufFile trained = GgufReader.read(r.model());
        // forge.toolPrompt=auto on the tiny model: no tool list, in the template and so in every later stage
        assertEquals(dev.mcpforge.engine.chat.ChatTemplates.CHATML_IMPLICIT_TOOLS, trained.chatTemplate().orElse(null));
        assertEquals("chatml-implicit", rep.path("baseModel").path("chatFormat").asString(), rep.toString());
        assertEquals("none", rep.path("config").path("toolPrompt").asString(), rep.toString());
        String rows = Files.readString(dir.resolve("target/forge/train/train-texts.jsonl"));
        assertTrue(!rows.contains("<tools>") && !rows.contains("\\ncurrent_time\\n")
                && rows.contains("\\\"name\\\": \\\"current_time\\\"")
                && !rows.contains("\\\"parameters\\\""), "no tool list in the rows, the calls as they are");
        // each held-out text carries the ranges of its called tools' names, on which every epoch measures the tool
        // choice
        int named = 0;
        for (String line : Files.readAllLines(dir.resolve("target/forge/train/eval-texts.jsonl"))) {
            JsonNode l = Json.MAPPER.readTree(line);
            for (JsonNode n : l.path("names")) {
                String name = l.get("text").asString().substring(n.get(0).asInt(), n.get(1).asInt());
                assertTrue(ts0(dir).contains(name), name + " is not a tool");
                named++;
            }
        }
        JsonNode lastEpoch = epochs.get(4);
        assertTrue(named > 0 && lastEpoch.path("evalToolCalls").asInt() == named, named + " / " + lastEpoch);
        double choice = lastEpoch.path("evalToolChoice").asDouble(-1);
        assertTrue(choice >= 0 && choice <= 1, lastEpoch.toString());
        // ... and the turn decision over the held-out assistant turns, answers after tool results included
        assertTrue(lastEpoch.path("evalTurns").asInt() > 0, lastEpoch.toString());
        double decision = lastEpoch.path("evalTurnDecision").asDouble(-1);
        assertTrue(decision >= 0 && decision <= 1, lastEpoch.toString());
        assertEquals(rep.path("baseModel").path("name").asString(), trained.getString("general.base_model.0.name")
                .orElse(null));
        assertEquals(1L, trained.getLong("general.base_model.count").orElse(0L));
        // the graph core's writer keeps the base's keys itself; llama-opt's saver drops them and they are restored
        assertTrue(rep.get("restoredMetadata").toString().contains("general.base_model.0.name"), rep.toString());

        TrainingResult again = svc.train(request(dir, WIDE));
        assertTrue(again.upToDate(), again.message());

        // the fine-tuned model answers a training prompt with a parseable call (grammar-constrained decoding)
        Toolset ts = GenerateService.readTools(dir.resolve("target/forge/tools.json"));
        Sample s = SampleJsonl.readAll(dir.resolve("target/forge/data/train_clean.jsonl"), new ArrayList<>()).stream()
                .filter(x -> x.toolName() != null).findFirst().orElseThrow();
        List<ChatMessage> convo = new ArrayList<>();
        for (ChatMessage m : TrainService.toChat(s)) {
            convo.add(m);
            if (m.role() == ChatMessage.Role.USER) {
                break;
            }
        }
        ChatFormat f = ChatFormat.forModel(trained);
        assertEquals(ChatFormat.chatmlImplicitTools(), f);
        GenerationRequest g = GenerationRequest.chat(f, convo, ts.toolsJson(), 400)
                .withGrammar(callGrammar(f.toolCallSyntax(), ts.names()));
        GenerationResult out;
        try (Model m = Model.load(r.model()); Generator gen = new Generator(m, 1024, 1)) {
            out = gen.generate(g);
        }
        ParsedReply p = f.parse(out.text());
        assertTrue(p.hasToolCalls(), "no parseable call in: " + out.text() + " / " + p);
        assertTrue(ts.names().contains(p.toolCalls().get(0).name()), p.toString());
        assertTrue(p.toolCalls().get(0).arguments().isObject(), p.toString());
    }

    /** GBNF: exactly one call of a known tool with a small flat JSON object of arguments, in the format's syntax. */
    static String callGrammar(ToolCallSyntax syn, List<String> names) {
        return "root ::= " + lit(syn.prefix()) + " name " + lit(syn.afterName()) + " obj " + lit(syn.suffix()) + "\n"
                + "name ::= " + names.stream().map(TrainServiceTest::lit).collect(Collectors.joining(" | ")) + "\n"
                // bounded (at most 4 flat pairs, strings of at most 32 characters), so that a barely trained model
                // cannot loop inside a string past the token limit: the output always completes
                + "obj ::= \"{\" ws ( pair ( ws \",\" ws pair ){0,3} )? ws \"}\"\n"
                + "pair ::= str ws \":\" ws val\n"
                + "val ::= str | num | \"true\" | \"false\" | \"null\"\n"
                + "str ::= \"\\\"\" ( [^\"\\\\\\n] | \"\\\\\" [\"\\\\/bfnrt] ){0,32} \"\\\"\"\n"
                + "num ::= \"-\"? [0-9]{1,12} ( \".\" [0-9]{1,6} )?\n"
                + "ws ::= [ ]?\n";
    }

    static String lit(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Test
    void killedMidEpochResumesFromTheCheckpoint() throws Exception {
        Path dir = project("k", 40);
        TrainService svc = new TrainService();
        // halt the worker (exit 143, like a Ctrl-C'd JVM) 2 steps into the second epoch
        TrainingRequest first = request(dir, FAST);
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                () -> svc.train(first.withTestExit(-2, 143)));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        Path ck = dir.resolve("target/forge/checkpoints/train");
        JsonNode st = Json.MAPPER.readTree(ck.resolve(Trainer.CHECKPOINT_STATE).toFile());
        assertEquals(1, st.get("epochsDone").asInt());
        assertTrue(st.get("optimizer").get("saved").asBoolean() && Files.isRegularFile(ck.resolve(
                Trainer.CHECKPOINT_OPTIMIZER)), "the graph core checkpoints its AdamW state: " + st);
        assertFalse(Files.exists(dir.resolve("target/forge/model/model-f32.gguf")));

        TrainingResult r = svc.train(first);
        assertEquals(1, r.reportJson().get("resumedFromEpoch").asInt());
        // training.json says what the resume restored
        assertEquals("restored", r.reportJson().get("resume").get("optimizerState").asString(), r.reportJson().toString());
        assertTrue(r.reportJson().get("notes").toString().contains("AdamW moments and step count restored"),
                r.reportJson().get("notes").toString());
        assertEquals(3, r.reportJson().get("epochs").size(), "the resumed report has the whole curve");
        assertTrue(Files.isRegularFile(r.model()));
    }

    @Test
    void outOfMemoryShrinksTheBatchUpFrontAndAfterAKill() throws Exception {
        Path dir = project("m", 24);
        // the llama-opt core: its micro-batch is a slice of a sequence, so halving it saves memory
        TrainSettings.Overrides o = TrainSettings.Overrides.builder().epochs(1).learningRate(2e-3).contextLength(512).batchSize(128).microBatchSize(128).threads(1).seed(7L).core("llama-opt").build();
        TrainService svc = new TrainService();
        TrainingRequest base = request(dir, o);
        // not enough memory even at the smallest micro-batch: a clear message with the estimate, before any training
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> svc.train(base.withMemoryLimit(1L << 20)));
        assertTrue(e.getMessage().contains("Not enough memory") && e.getMessage().contains("fast_dev")
                && e.getMessage().contains("estimate is"), e.getMessage());
        // a limit between the estimates of micro-batch 64 and 128: the service picks 64 before starting
        long at128 = estimateFor(dir, o, 128);
        long at64 = estimateFor(dir, o, 64);
        assertTrue(at64 < at128);
        // then the worker is killed like the OOM killer does (exit 137) at its first step: 64 -> 32, resumed
        TrainingResult r = svc.train(base.withMemoryLimit((at64 + at128) / 2).withTestExit(1, 137));
        JsonNode rep = r.reportJson();
        assertEquals(128, rep.get("config").get("ubatch").asInt());
        assertEquals(32, rep.get("effectiveConfig").get("ubatch").asInt(), rep.toString());
        assertEquals(1, rep.get("recoveries").size());
        assertEquals(64, rep.get("recoveries").get(0).get("fromUbatch").asInt());
        assertTrue(rep.get("notes").toString().contains("reduced micro-batch 128 -> 64"), rep.get("notes").toString());
        // llama.cpp's optimizer leaves token_embd frozen: the tiny model keeps a separate, trainable output head
        assertEquals("untied", rep.path("baseModel").path("outputHead").asString(), rep.toString());
        assertEquals("random", rep.path("baseModel").path("init").asString(), rep.toString());
    }

    @Test
    void theCopyInitReachesTheTinyBaseModelAndTheReport() throws Exception {
        Path dir = project("copy", 24);
        TrainingResult r = new TrainService().train(request(dir, TrainSettings.Overrides.builder().epochs(1).learningRate(2e-3)
                .contextLength(512).batchSize(128).microBatchSize(128).threads(1).seed(7L).copyInit(1.0).build()));
        JsonNode rep = r.reportJson();
        assertTrue(rep.path("baseModel").path("init").asString().startsWith("copy init 1.0"), rep.toString());
        assertEquals(1.0, rep.path("config").path("copyInit").asDouble(), rep.toString());
        assertTrue(GgufReader.read(Path.of(rep.path("baseModel").path("path").asString()))
                .getString("general.description").orElseThrow().contains("copy init 1.0"));
    }

    private static long estimateFor(Path dir, TrainSettings.Overrides o, int ubatch) throws IOException {
        TrainSettings s = TrainSettings.resolve(TrainProfile.FAST_DEV, "tiny", o).withUbatch(ubatch);
        return TrainService.estimate(dev.mcpforge.engine.gguf.GgufReader.read(
                dir.resolve("target/forge/model/base-tiny.gguf")), s, s.contextLength()).total();
    }

    @Test
    void rowLengthBoundsTheLongestSampleInBytesWithoutTheTinyTokenizer() {
        assertEquals(16, TrainService.rowLength(null, List.of("abc"), List.of(), 0));
        // UTF-8 bytes, not characters: 10 x 'é' is 20 bytes; the held-out texts count too
        assertEquals(32, TrainService.rowLength(null, List.of("\u00e9".repeat(10)), List.of("x".repeat(17)), 0));
        assertEquals(48, TrainService.rowLength(null, List.of("abc"), List.of("y".repeat(33)), 0));
        // a longer shared-prefix row asked for with forge.train.rowTokens
        assertEquals(96, TrainService.rowLength(null, List.of("abc"), List.of(), 96));
    }

    @Test
    void badInputFailsWithClearMessages() throws Exception {
        Path dir = project("b", 12);
        TrainService svc = new TrainService();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> svc.train(TrainingRequest.of(
                dir.resolve("target/forge"), dir, tmp.resolve("missing.gguf").toString(), TrainProfile.FAST_DEV, FAST)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Path notGguf = tmp.resolve("bad.gguf");
        Files.writeString(notGguf, "not a model");
        e = assertThrows(IllegalArgumentException.class, () -> svc.train(TrainingRequest.of(dir.resolve("target/forge"),
                dir, notGguf.toString(), TrainProfile.FAST_DEV, FAST)));
        assertTrue(e.getMessage().contains("not a readable GGUF"), e.getMessage());

        Files.writeString(dir.resolve("target/forge/data/train_clean.jsonl"), "");
        e = assertThrows(IllegalArgumentException.class, () -> svc.train(request(dir, FAST)));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TrainProfile.parse("huge"));
        assertTrue(e.getMessage().contains("fast_dev"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().contextLength(512).batchSize(100).core("llama-opt").build()));
        assertTrue(e.getMessage().contains("must divide"), e.getMessage());
        // llama-opt: a context that is no multiple of 256 is rounded up (llama.cpp pads it anyway); the graph core
        // has no KV cache and keeps it
        assertEquals(512, TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().contextLength(300).core("llama-opt").build()).contextLength());
        assertEquals(300, TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().contextLength(300).build()).contextLength());
        e = assertThrows(IllegalArgumentException.class, () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().core("llama-opt").lossOn("assistant").build()));
        assertTrue(e.getMessage().contains("needs the graph core"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().core("fast").build()));
        assertTrue(e.getMessage().contains("graph or llama-opt"), e.getMessage());
    }

    @Test
    void corruptedOrForeignCheckpointsAreIgnored() throws Exception {
        Path ck = tmp.resolve("ck");
        Files.createDirectories(ck);
        Files.writeString(ck.resolve(Trainer.CHECKPOINT_STATE), "{not json");
        assertEquals(0, TrainService.resume(ck, "abc", 3).startEpoch());
        assertFalse(Files.exists(ck), "a corrupted checkpoint is removed");

        Files.createDirectories(ck);
        Files.writeString(ck.resolve(Trainer.CHECKPOINT_MODEL), "model bytes");
        String sha = Trainer.sha256(ck.resolve(Trainer.CHECKPOINT_MODEL));
        Files.writeString(ck.resolve(Trainer.CHECKPOINT_STATE), "{\"runKey\":\"abc\",\"epochsDone\":2,\"modelSha256\":\""
                + sha + "\"}");
        assertEquals(2, TrainService.resume(ck, "abc", 3).startEpoch());
        assertEquals(0, TrainService.resume(ck, "other-inputs", 3).startEpoch());
        assertFalse(Files.exists(ck));

        Files.createDirectories(ck);
        Files.writeString(ck.resolve(Trainer.CHECKPOINT_MODEL), "truncated");
        Files.writeString(ck.resolve(Trainer.CHECKPOINT_STATE), "{\"runKey\":\"abc\",\"epochsDone\":2,\"modelSha256\":\""
                + sha + "\"}");
        assertEquals(0, TrainService.resume(ck, "abc", 3).startEpoch());
    }

    private static List<String> ts0(Path dir) throws Exception {
        return GenerateService.readTools(dir.resolve("target/forge/tools.json")).names();
    }

    @Test
    void drawsTrainEachSeedForTheTrialEpochsKeepTheBestToolChoiceAndResumeIt() throws Exception {
        Path dir = project("d", 40);
        TrainService svc = new TrainService();
        long seed = 10L;
        TrainSettings.Overrides drawn = TrainSettings.Overrides.builder().epochs(3).learningRate(2e-3)
                .contextLength(512).batchSize(128).microBatchSize(128).threads(1).seed(seed).draws(3).drawEpochs(1)
                .build();
        TrainingRequest req = request(dir, drawn);
        // halted 2 steps into the kept draw's second epoch, after the draws: the next build keeps the choice
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                () -> svc.train(req.withTestExit(-2, 143)));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        Path ck = dir.resolve("target/forge/checkpoints/train");
        JsonNode choice = Json.MAPPER.readTree(ck.resolve(Draws.CHOICE_FILE).toFile());
        JsonNode runs = choice.get("runs");
        assertEquals(3, runs.size(), choice.toString());
        // each draw is its own seed, measured on the same held-out calls after its one trial epoch
        int calls = runs.get(0).path("evalToolCalls").asInt();
        assertTrue(calls > 0, runs.toString());
        int kept = -1;
        for (int d = 0; d < 3; d++) {
            assertEquals(seed + d, runs.get(d).get("seed").asLong());
            assertEquals(calls, runs.get(d).path("evalToolCalls").asInt(), runs.toString());
            if (runs.get(d).get("kept").asBoolean()) {
                kept = d;
            }
        }
        assertEquals(choice.get("draw").asInt() - 1, kept, choice.toString());
        // with seed 10 a later draw wins (by held-out loss: after one epoch none names a tool yet), so the base model on
        // record must be the kept draw's own, not the seed's
        assertTrue(kept > 0, runs.toString());
        for (int d = 0; d < 3; d++) {
            assertTrue(d == kept || !Draws.better(runs.get(d), runs.get(kept), true), "draw " + (d + 1)
                    + " beats the kept one: " + runs);
        }

        TrainingResult r = svc.train(req);
        JsonNode rep = r.reportJson();
        assertEquals(kept + 1, rep.path("draws").path("kept").asInt(), rep.path("draws").toString());
        assertEquals(seed + kept, rep.path("draws").path("seed").asLong());
        assertEquals(Draws.BY_TOOL_CHOICE, rep.path("draws").path("chosenBy").asString());
        assertEquals(1, rep.get("resumedFromEpoch").asInt(), "the kept draw resumed after its epoch 1");
        JsonNode epochs = rep.get("epochs");
        assertEquals(3, epochs.size(), rep.toString());
        // the run's first epoch is the kept draw's trial epoch
        assertEquals(runs.get(kept).get("evalLoss").asDouble(), epochs.get(0).get("evalLoss").asDouble(), 0.0);
        assertEquals(runs.get(kept).get("evalToolChoice").asDouble(), epochs.get(0).get("evalToolChoice").asDouble(), 0.0);
        assertTrue(rep.get("notes").toString().contains("kept draw " + (kept + 1) + " of 3"), rep.get("notes").toString());
        // the kept draw's own initial weights are the base model on record
        assertEquals(kept == 0 ? null : (Object) (seed + kept), rep.path("baseModel").has("seed")
                ? (Object) rep.path("baseModel").get("seed").asLong() : null, rep.path("baseModel").toString());
        assertEquals(dev.mcpforge.pipeline.Fingerprint.sha256Hex(dir.resolve("target/forge/model/base-tiny.gguf")),
                rep.path("baseModel").path("sha256").asString(), "the base model file on record");
        assertFalse(Files.exists(ck) || Files.exists(dir.resolve("target/forge/checkpoints/train-draws")),
                "checkpoints of the run and of the draws are removed after success");
        assertTrue(svc.train(req).upToDate());

        // the same draws without the interruption give the same model, byte for byte
        Path dir2 = project("d2", 40);
        TrainingResult straight = svc.train(request(dir2, drawn));
        assertEquals(Trainer.sha256(r.model()), Trainer.sha256(straight.model()));
        for (int d = 0; d < 3; d++) {
            for (String k : List.of("evalToolChoice", "evalLoss", "trainLoss", "kept")) {
                assertEquals(rep.path("draws").path("runs").get(d).get(k), straight.reportJson().path("draws").path("runs")
                        .get(d).get(k), "draw " + (d + 1) + " " + k);
            }
        }
    }
}
