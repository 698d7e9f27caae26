import dev.mcpforge.engine.gguf.*;
import dev.mcpforge.engine.tokenizer.*;
import dev.mcpforge.engine.graph.*;
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.*;
/**
 * Teacher-forced tool-name accuracy (docs/benchmarks.md, "The tool decision is underfit"): for each training text
 * whose first assistant turn is a tool call, the graph core's forward pass over the whole text, and whether the most
 * likely next token at each token of the tool's name is that token. Prints the share of calls whose first name token
 * and whose whole name are right, and the whole-name count per tool. Experiment code, not part of the build.
 *
 * <p>Arguments: model.gguf texts.jsonl [max calls]; texts.jsonl is forge:train's train/train-texts.jsonl or
 * train/eval-texts.jsonl (the rendered samples with their assistant spans).
 */
public class TF {
  public static void main(String[] a) throws Exception {
    Path model = Path.of(a[0]);
    SpmTokenizer t = new SpmTokenizer(Vocabulary.fromGguf(GgufReader.read(model)));
    ObjectMapper om = new ObjectMapper();
    int max = a.length > 2 ? Integer.parseInt(a[2]) : 200;
    int T = 512, n = 0, ok = 0, okFull = 0;
    Map<String,int[]> per = new TreeMap<>();
    try (GgmlRuntime rt = GgmlRuntime.open(2); GraphModel m = GraphModel.load(rt, model);
         GraphSession s = new GraphSession(m, T, 1, null, 1)) {
      for (String line : Files.readAllLines(Path.of(a[1]))) {
        JsonNode d = om.readTree(line);
        String text = d.path("text").asText();
        String marker = "<|im_start|>assistant\n<tool_call>\n{\"name\": \"";
        int at = text.indexOf(marker);
        if (at < 0) continue;
        int nameStart = at + marker.length();
        String name = text.substring(nameStart, text.indexOf('"', nameStart));
        int[] ids = t.encode(text, false, true);
        if (ids.length > T) continue;
        // token offsets
        int pos = 0, first = -1, last = -1;
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int nameStartB = text.substring(0, nameStart).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        int nameEndB = nameStartB + name.length();
        for (int i = 0; i < ids.length; i++) {
          int len = t.pieceBytes(ids[i], true).length;
          if (pos >= nameStartB && pos < nameEndB) { if (first < 0) first = i; last = i; }
          pos += len;
        }
        if (first <= 0) continue;
        int[] toks = Arrays.copyOf(ids, T + 1);
        s.setBatch(List.of(Sequence.plain(toks)));
        float[] lg = s.logits();
        int V = lg.length / T;
        boolean allOk = true; boolean firstOk = false;
        for (int i = first; i <= last; i++) {
          int p = i - 1, best = 0;
          for (int v = 1; v < V; v++) if (lg[p * V + v] > lg[p * V + best]) best = v;
          if (best != ids[i]) allOk = false;
          if (i == first) firstOk = best == ids[i];
        }
        n++; if (firstOk) ok++; if (allOk) okFull++;
        per.computeIfAbsent(name, k -> new int[2]); per.get(name)[0]++; if (allOk) per.get(name)[1]++;
        if (n >= max) break;
      }
    }
    System.out.printf("%d calls: first name token %.1f%%, whole name %.1f%%%n", n, 100.0*ok/n, 100.0*okFull/n);
    per.forEach((k,v) -> System.out.printf("  %-28s %d/%d%n", k, v[1], v[0]));
  }
}
