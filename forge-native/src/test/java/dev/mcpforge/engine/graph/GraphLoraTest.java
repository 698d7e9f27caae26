package dev.mcpforge.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on the graph: only the adapters train (the base stays bit-identical), the exported adapter GGUF loads with
 * llama_adapter_lora_init and gives llama.cpp the graph's logits, and merging gives the same logits without it.
 */
class GraphLoraTest {
    @Test
    void adaptersTrainExportToLlamaCppAndMerge(@TempDir Path tmp) throws Exception {
        Path base = GraphTestModels.qwen2();
        int t = 16;
        Random r = new Random(12);
        int[] text = GraphTestModels.randomTokens(r, t + 1);
        Path adapter = tmp.resolve("adapter.gguf");
        Path merged = tmp.resolve("merged.gguf");
        float[] graphLogits;
        try (GgmlRuntime rt = GgmlRuntime.open(1); GraphModel m = GraphModel.load(rt, base)) {
            List<String> targets = new ArrayList<>();
            for (int l = 0; l < m.hparams().nLayer(); l++) {
                for (String s : new String[] {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"}) {
                    targets.add("blk." + l + "." + s + ".weight");
                }
            }
            List<String> params = m.addLora(targets, 4, 8f, 3);
            List<float[]> before = new ArrayList<>();
            m.names().forEach(n -> before.add(m.read(n)));
            try (GraphSession s = new GraphSession(m, t, 1, params, 1)) {
                s.setBatch(List.of(Sequence.plain(text)));
                double first = Double.NaN;
                double loss = Double.NaN;
                for (int i = 0; i < 60; i++) {
                    s.resetGradients();
                    loss = s.accumulate();
                    first = i == 0 ? loss : first;
                    s.step(1e-2f, 0.9f, 0.999f, 1e-8f, 0f);
                }
                assertTrue(loss < first / 2, "LoRA loss " + first + " -> " + loss);
                graphLogits = s.logits();
            }
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), m.read(m.names().get(i)), m.names().get(i) + " is frozen under LoRA");
            }
            m.saveLoraAdapter(adapter);
            m.mergeLora();
            m.save(merged);
        }
        int[] in = Arrays.copyOf(text, t);
        float[] withAdapter = LlamaReference.logits(base, in, adapter);
        float[] fromMerged = LlamaReference.logits(merged, in);
        float[] plain = LlamaReference.logits(base, in);
        double scale = 0;
        for (float f : graphLogits) {
            scale = Math.max(scale, Math.abs(f));
        }
        assertTrue(maxDiff(graphLogits, withAdapter) < 1e-3 * scale, "adapter in llama.cpp: " + maxDiff(graphLogits, withAdapter));
        assertTrue(maxDiff(graphLogits, fromMerged) < 1e-3 * scale, "merged model: " + maxDiff(graphLogits, fromMerged));
        assertTrue(maxDiff(graphLogits, plain) > 1e-2 * scale, "the adapter changed nothing");
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
