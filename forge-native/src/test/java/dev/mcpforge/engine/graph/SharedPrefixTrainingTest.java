package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.TestModels;
import dev.mcpforge.engine.train.TrainRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** GraphTrainer with shared-prefix packing: it applies, says so, trains fewer tokens, and the held-out loss falls. */
class SharedPrefixTrainingTest {
    @TempDir
    Path tmp;

    /** Tool-call conversations behind one long system turn (as a rendered tool list is). */
    static List<String> lines(int n, long seed) {
        return GraphTrainerTest.lines(n, seed, "You are a helpful assistant with file tools. Call a tool only when the "
                + "request needs one, with arguments copied exactly from the request; otherwise answer directly. "
                + "Tools: read_file(path) reads a file; list_directory(path) lists a directory.");
    }

    private TrainRequest request(String name, Path train, Path eval, boolean sp) {
        return TrainRequest.builder(TestModels.tinyPath(), tmp.resolve(name + ".gguf"), tmp.resolve("ck-" + name),
                train).evalTexts(eval).context(512).batch(96, 96).threads(1).epochs(2, 0).learningRate(2e-3, 2e-4)
                .warmupSteps(2).seed(7).specialTokens(List.of("<|im_start|>", "<|im_end|>")).runKey("test")
                .core(TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT).sharedPrefix(sp, 0).build();
    }

    @Test
    void sharedPrefixPackingTrainsFewerTokensAndTheHeldOutLossFalls() throws Exception {
        Path train = Files.write(tmp.resolve("train.jsonl"), lines(40, 1));
        Path eval = Files.write(tmp.resolve("eval.jsonl"), lines(8, 2));
        List<String> events = new ArrayList<>();
        ObjectNode res = new GraphTrainer(request("sp", train, eval, true), events::add).run();
        int prefix = res.get("sharedPrefixTokens").asInt();
        assertTrue(prefix >= SharedPrefix.MIN_TOKENS, res.toString());
        assertTrue(events.stream().anyMatch(e -> e.contains("shared prefix: " + prefix + " tokens, 40 samples in")),
                String.join("\n", events));
        assertTrue(res.get("trainTokens").asLong() < res.get("sampleTokens").asLong() * 0.7, res.toString());
        assertTrue(res.get("trainSequences").asInt() < 40, res.toString());
        JsonNode epochs = res.get("epochs");
        assertTrue(epochs.get(1).get("evalLoss").asDouble() < epochs.get(0).get("evalLoss").asDouble(), epochs.toString());
        // off: one sample per row as before, every token of every sample trained
        ObjectNode off = new GraphTrainer(request("off", train, eval, false), e -> { }).run();
        assertEquals(0, off.get("sharedPrefixTokens").asInt());
        assertEquals(res.get("sampleTokens").asLong(), off.get("trainTokens").asLong());
        // the same assistant targets are scored either way
        assertEquals(off.get("scoredTokens").asLong(), res.get("scoredTokens").asLong());
    }
}
