import dev.mcpforge.engine.*;
import dev.mcpforge.engine.llama.Model;
import java.nio.file.*;
import tools.jackson.databind.*;
public class CopyEval {
    public static void main(String[] a) throws Exception {
        NativeEngine e = NativeLoader.load();
        ObjectMapper m = new ObjectMapper();
        int n = 0, ok = 0, shown = 0; java.util.Map<String,int[]> by = new java.util.TreeMap<>();
        try (Model model = Model.load(e, Path.of(a[0]), false); Generator g = new Generator(model, 2048, 2)) {
            for (String line : Files.readAllLines(Path.of(a[1]))) {
                JsonNode d = m.readTree(line);
                String t = d.get("text").asString();
                int s = d.get("spans").get(0).get(0).asInt(), en = d.get("spans").get(0).get(1).asInt();
                String prompt = t.substring(0, s), want = t.substring(s, en).replace("<|im_end|>", "");
                String got = g.generate(GenerationRequest.greedy(prompt, 64).withStop(java.util.List.of("<|im_end|>"))).text();
                n++;
                String v = want.replaceAll(".*\"value\": \"|\"}.*", ""); String k = v.matches("[0-9]+") ? "num" : v.contains("/") ? "path" : "text"; int[] c = by.computeIfAbsent(k, x -> new int[2]); c[1]++; if (got.trim().equals(want.trim())) { ok++; c[0]++; } else if (shown++ < 8) System.out.println("want " + want + "\n got " + got);
                if (n >= Integer.parseInt(a[2])) break;
            }
        }
        System.out.println("exact " + ok + " of " + n); by.forEach((k, c) -> System.out.println("  " + k + " " + c[0] + "/" + c[1]));
    }
}
