package dev.mcpforge.engine.graph;

import dev.mcpforge.engine.TestModels;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.train.TrainRequest;
import dev.mcpforge.engine.train.TrainTexts;
import dev.mcpforge.engine.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Not part of the suite (no Test suffix; run with -Dtest=GraphCoreComparison): the measurement in docs/notes/g8.md.
 * Trains the tiny test model on the same synthetic tool-call conversations with (a) llama-opt, (b) graph lossOn=all,
 * (c) graph lossOn=assistant, same epochs/schedule/threads/sequence shape, then scores every result on the same
 * held-out conversations with the graph's forward pass: mean loss and teacher-forced next-token accuracy on the
 * assistant tokens, and mean loss on all tokens.
 */
class GraphCoreComparison {
    @Test
    void compare() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "graph-comparison").toAbsolutePath());
        int nTrain = Integer.getInteger("cmp.train", 200);
        int epochs = Integer.getInteger("cmp.epochs", 3);
        int threads = Integer.getInteger("cmp.threads", 1);
        Path train = Files.write(dir.resolve("train.jsonl"), GraphTrainerTest.lines(nTrain, 1));
        Path eval = Files.write(dir.resolve("eval.jsonl"), GraphTrainerTest.lines(40, 2));
        List<String> rows = new ArrayList<>();
        for (String[] run : new String[][] {{"llama-opt", "all", "0"}, {"graph", "all", "0"}, {"graph", "assistant", "0"},
                {"graph", "assistant", "16"}}) {
            String name = run[0] + "-" + run[1] + "-r" + run[2];
            int rank = Integer.parseInt(run[2]);
            TrainRequest r = TrainRequest.builder(TestModels.tinyPath(), dir.resolve(name + ".gguf"),
                    dir.resolve("ck-" + name), train).evalTexts(eval).threads(threads).epochs(epochs, 0)
                    .learningRate(2e-3, 2e-4).warmupSteps(10).seed(7).specialTokens(List.of("<|im_start|>", "<|im_end|>"))
                    .runKey("cmp").core(run[0], run[1]).lora(rank, 2.0 * rank, rank == 0 ? List.of()
                            : List.of("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"))
                    .build();
            long t0 = System.nanoTime();
            ObjectNode res = run[0].equals("graph") ? new GraphTrainer(r, e -> { }).run() : new Trainer(r, e -> { }).run();
            double wall = (System.nanoTime() - t0) / 1e9;
            double tps = 0;
            for (JsonNode e : res.get("epochs")) {
                tps += e.get("tokensPerSecond").asDouble() / res.get("epochs").size();
            }
            double[] a = score(dir.resolve(name + ".gguf"), eval, true);
            double[] all = score(dir.resolve(name + ".gguf"), eval, false);
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.3f | %.3f | %.0f | %.0f |", run[0], run[1],
                    rank == 0 ? "full" : "LoRA r" + rank, res.get("steps").asLong(), a[0], a[1], all[0], tps, wall));
        }
        System.out.println("| core | lossOn | weights | steps | held-out loss (assistant tokens) | next-token accuracy (assistant) "
                + "| held-out loss (all tokens) | train tok/s | wall s |");
        rows.forEach(System.out::println);
    }

    /** {mean loss, next-token accuracy} over the scored positions of the eval texts. */
    static double[] score(Path gguf, Path evalFile, boolean assistantOnly) {
        List<GraphTrainer.Tokenized> samples = new ArrayList<>();
        int pad;
        try (Model m = Model.load(gguf)) {
            pad = m.vocab().eos();
            for (TrainTexts.Entry e : TrainTexts.read(evalFile)) {
                samples.add(GraphTrainer.tokenize(m.vocab(), e));
            }
        }
        GraphTrainer.Packed p = GraphTrainer.pack(samples, 256, pad, assistantOnly);
        double loss = 0;
        long n = 0;
        long correct = 0;
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, gguf);
             GraphSession s = new GraphSession(m, 256, 1, List.of(), 1)) {
            int v = m.hparams().nVocab();
            for (Sequence q : p.rows()) {
                s.setBatch(List.of(q));
                float[] logits = s.logits();
                for (int i = 0; i < 256; i++) {
                    if (!q.scored()[i]) {
                        continue;
                    }
                    int label = q.tokens()[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    int best = 0;
                    for (int j = 0; j < v; j++) {
                        if (logits[i * v + j] > max) {
                            max = logits[i * v + j];
                            best = j;
                        }
                    }
                    double z = 0;
                    for (int j = 0; j < v; j++) {
                        z += Math.exp(logits[i * v + j] - max);
                    }
                    loss += Math.log(z) + max - logits[i * v + label];
                    correct += best == label ? 1 : 0;
                    n++;
                }
            }
        }
        return new double[] {loss / n, (double) correct / n};
    }
}
