package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The seed's {@code SynthesisPlan}: how many samples of which scenario for which tool. Counts are exact integers
 * (largest-remainder rounding), so a plan of 2000 with the default weights gives exactly 1200 / 300 / 200 / 200 /
 * 100. Tool shares follow {@code toolWeights} (balanced by default); no_tool samples belong to no tool.
 *
 * @param totalSamples training samples
 * @param evalSamples  held-out evaluation samples (generated with a different seed)
 * @param toolWeights  tool name → weight (any positive numbers; normalised), in toolset order
 * @param weights      scenario weights
 * @param seed         the random seed
 * @param toolsetHash  hash of the toolset the plan is for
 */
public record SynthesisPlan(int totalSamples, int evalSamples, Map<String, Double> toolWeights,
                            ScenarioWeights weights, long seed, String toolsetHash) {

    /** One planned sample: scenario and tool (null for no_tool). */
    public record Slot(Scenario scenario, String tool) {
    }

    public SynthesisPlan {
        if (totalSamples < 1) {
            throw new IllegalArgumentException("forge.samples must be at least 1, got " + totalSamples);
        }
        if (evalSamples < 0) {
            throw new IllegalArgumentException("the eval sample count must be >= 0, got " + evalSamples);
        }
        if (toolWeights.isEmpty()) {
            throw new IllegalArgumentException("the toolset has no tools: nothing to generate training data for;"
                    + " check tools.json (run forge:inspect against a server that lists at least one tool)");
        }
        toolWeights.forEach((k, v) -> {
            if (v == null || !(v >= 0)) {
                throw new IllegalArgumentException("tool weight for '" + k + "' must be >= 0, got " + v);
            }
        });
        if (toolWeights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new IllegalArgumentException("all tool weights are 0: give at least one tool a positive weight");
        }
        toolWeights = Collections.unmodifiableMap(new LinkedHashMap<>(toolWeights));
    }

    /** Balanced weights over the given tools, with optional overrides (unknown names are an error). */
    public static Map<String, Double> toolWeights(List<String> tools, Map<String, Double> overrides) {
        Map<String, Double> out = new LinkedHashMap<>();
        tools.forEach(t -> out.put(t, 1.0));
        if (overrides != null) {
            overrides.forEach((k, v) -> {
                if (!out.containsKey(k)) {
                    throw new IllegalArgumentException("forge.toolWeights names tool '" + k
                            + "', which is not in the toolset; known tools: " + tools);
                }
                out.put(k, v);
            });
        }
        return out;
    }

    /** Exact scenario counts for {@code n} samples. */
    public Map<Scenario, Integer> scenarioCounts(int n) {
        Map<Scenario, Double> shares = weights.normalised();
        List<Scenario> keys = List.of(Scenario.values());
        double[] w = new double[keys.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = shares.get(keys.get(i));
        }
        int[] c = largestRemainder(n, w, 0);
        Map<Scenario, Integer> out = new EnumMap<>(Scenario.class);
        for (int i = 0; i < c.length; i++) {
            out.put(keys.get(i), c[i]);
        }
        return out;
    }

    /** Tool counts for {@code n} samples of one scenario; ties rotate with {@code rotation} so no tool always loses. */
    public Map<String, Integer> toolCounts(int n, int rotation) {
        List<String> names = new ArrayList<>(toolWeights.keySet());
        double[] w = new double[names.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = toolWeights.get(names.get(i));
        }
        int[] c = largestRemainder(n, w, rotation);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < c.length; i++) {
            out.put(names.get(i), c[i]);
        }
        return out;
    }

    /** All slots of {@code n} samples, in a seeded random order. */
    public List<Slot> slots(int n, long shuffleSeed) {
        List<Slot> out = new ArrayList<>(n);
        int rotation = 0;
        for (Map.Entry<Scenario, Integer> e : scenarioCounts(n).entrySet()) {
            if (e.getKey() == Scenario.NO_TOOL) {
                for (int i = 0; i < e.getValue(); i++) {
                    out.add(new Slot(Scenario.NO_TOOL, null));
                }
                continue;
            }
            for (Map.Entry<String, Integer> t : toolCounts(e.getValue(), rotation).entrySet()) {
                for (int i = 0; i < t.getValue(); i++) {
                    out.add(new Slot(e.getKey(), t.getKey()));
                }
            }
            rotation += e.getValue();
        }
        Collections.shuffle(out, new Random(shuffleSeed));
        return out;
    }

    /** Hamilton / largest-remainder apportionment of {@code n} over weights {@code w}; ties by rotated index. */
    static int[] largestRemainder(int n, double[] w, int rotation) {
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        int[] c = new int[w.length];
        double[] rem = new double[w.length];
        int given = 0;
        for (int i = 0; i < w.length; i++) {
            double exact = n * w[i] / sum;
            c[i] = (int) Math.floor(exact + 1e-9);
            rem[i] = exact - c[i];
            given += c[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                order.add(i);
            }
        }
        int len = w.length;
        int rot = Math.floorMod(rotation, Math.max(1, len));
        order.sort((a, b) -> {
            int cmp = Double.compare(rem[b], rem[a]);
            if (Math.abs(rem[a] - rem[b]) > 1e-9 && cmp != 0) {
                return cmp;
            }
            return Integer.compare(Math.floorMod(a - rot, len), Math.floorMod(b - rot, len));
        });
        for (int k = 0; given < n && !order.isEmpty(); k++, given++) {
            c[order.get(k % order.size())]++;
        }
        return c;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("total_samples", totalSamples);
        n.put("eval_samples", evalSamples);
        n.put("seed", seed);
        n.put("toolset_hash", toolsetHash);
        ObjectNode sw = n.putObject("scenario_weights");
        weights.normalised().forEach((k, v) -> sw.put(k.id(), Math.round(v * 1e6) / 1e6));
        ObjectNode sc = n.putObject("scenario_counts");
        scenarioCounts(totalSamples).forEach((k, v) -> sc.put(k.id(), v));
        ObjectNode tw = n.putObject("tool_weights");
        double sum = toolWeights.values().stream().mapToDouble(Double::doubleValue).sum();
        toolWeights.forEach((k, v) -> tw.put(k, Math.round(v / sum * 1e6) / 1e6));
        ObjectNode tc = n.putObject("tool_counts");
        Map<String, Integer> perTool = new LinkedHashMap<>();
        toolWeights.keySet().forEach(t -> perTool.put(t, 0));
        for (Slot s : slots(totalSamples, seed)) {
            if (s.tool() != null) {
                perTool.merge(s.tool(), 1, Integer::sum);
            }
        }
        perTool.forEach(tc::put);
        return n;
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Json.PRETTY.writeValueAsString(toJson()) + "\n");
    }
}
