import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.graph.GraphTrainer;
import dev.mcpforge.engine.train.TrainRequest;
import java.nio.file.Path;
import java.util.List;
public class CopyExp {
    public static void main(String[] a) {
        Path dir = Path.of(a[0]);
        TrainRequest r = new TrainRequest(Path.of(a[1]), dir.resolve("out.gguf"), dir.resolve("ckpt"),
            Path.of(a[2]), Path.of(a[3]), 2560, 256, 256, Integer.parseInt(a[4]), Integer.parseInt(a[5]), 0,
            Double.parseDouble(a[6]), 2e-5, 20, "cosine", 0, "adamw", 42, List.of(), "exp-" + System.nanoTime(), true, false, -1, 137,
            TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT).withSharedPrefix(a.length > 7 && Boolean.parseBoolean(a[7]), 0);
        NativeLoader.load();
        var res = new GraphTrainer(r, e -> { if (e.contains("epoch\"") && e.contains("evalLoss") || e.contains("info")) System.out.println(e); }).run();
        System.out.println(res.get("epochs"));
    }
}
