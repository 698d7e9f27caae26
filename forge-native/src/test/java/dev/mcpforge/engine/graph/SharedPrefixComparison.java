package dev.mcpforge.engine.graph;

import dev.mcpforge.engine.train.TrainRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Not part of the suite (no Test suffix; run with -Dtest=SharedPrefixComparison): the measurement in docs/notes/sp.md.
 * Trains the same base model on the same rendered texts ({@code -Dcmp.dir} holding train-texts.jsonl,
 * eval-texts.jsonl and base-tiny.gguf, as forge:train leaves them in target/forge) without shared-prefix packing and
 * with it at several row budgets ({@code -Dcmp.rows=4096,2560}, or {@code -Dcmp.only=off:2,2560:8} with epochs per
 * run), constant learning rate, 1 thread,
 * and prints the held-out loss after each epoch against the wall time, to compare quality per wall-second.
 */
class SharedPrefixComparison {
    @Test
    void compare() throws Exception {
        Path dir = Path.of(System.getProperty("cmp.dir"));
        Path out = Files.createDirectories(Path.of("target", "sp-comparison").toAbsolutePath());
        int epochs = Integer.getInteger("cmp.epochs", 2);
        int ctx = Integer.getInteger("cmp.ctx", 4096);
        List<String> runs = new ArrayList<>(List.of("off"));
        for (String s : System.getProperty("cmp.rows", ctx + ",2560").split(",")) {
            runs.add(s.trim());
        }
        if (System.getProperty("cmp.only") != null) {
            runs = List.of(System.getProperty("cmp.only").split(","));
        }
        List<String> table = new ArrayList<>();
        for (String spec : runs) {
            // "<rows>" or "<rows>:<epochs>" ("off" = without shared-prefix packing)
            String run = spec.split(":")[0];
            int runEpochs = spec.contains(":") ? Integer.parseInt(spec.split(":")[1]) : epochs;
            boolean sp = !run.equals("off");
            TrainRequest r = TrainRequest.builder(dir.resolve("base-tiny.gguf"), out.resolve(run + ".gguf"),
                    out.resolve("ck-" + run), dir.resolve("train-texts.jsonl")).evalTexts(dir.resolve("eval-texts.jsonl"))
                    .context(ctx).threads(1).epochs(runEpochs, 0).learningRate(1e-3, 1e-3).warmupSteps(10)
                    .schedule("constant").specialTokens(List.of("<|im_start|>", "<|im_end|>")).runKey("cmp")
                    .core(TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT)
                    .sharedPrefix(sp, sp ? Integer.parseInt(run) : 0).build();
            long t0 = System.nanoTime();
            ObjectNode res = new GraphTrainer(r, e -> {
                if (e.contains("\"info\"") || e.contains("\"epoch\"") && !e.contains("\"step\":") ) {
                    System.out.println(run + ": " + e);
                } else if (e.contains("\"event\":\"epoch\"")) {
                    System.out.println(run + ": " + e);
                }
            }).run();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cum = 0;
            for (JsonNode e : res.get("epochs")) {
                cum += e.get("seconds").asDouble();
                table.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %.4f | %.4f |", run,
                        res.get("sequenceLength").asInt(), e.get("epoch").asInt(), e.get("step").asLong(), cum,
                        e.get("trainLoss").asDouble(), e.get("evalLoss").asDouble()));
            }
            table.add(String.format(Locale.ROOT, "| %s | total wall %.0f s, %d rows, %d tokens/epoch (%d unpacked) |",
                    run, wall, res.get("trainSequences").asInt(), res.get("trainTokens").asLong(),
                    res.get("sampleTokens").asLong()));
            System.out.println("| run | row | epoch | steps | train s (cumulative) | train loss | eval loss |");
            table.forEach(System.out::println);
        }
    }
}
