import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.graph.GraphTrainer;
import dev.mcpforge.engine.train.TrainRequest;
import java.nio.file.Path;
import java.util.List;
public class CopyExp {
    public static void main(String[] a) {
        Path dir = Path.of(a[0]);
        TrainRequest r = TrainRequest.builder(Path.of(a[1]), dir.resolve("out.gguf"), dir.resolve("ckpt"), Path.of(a[2]))
            .evalTexts(Path.of(a[3])).context(2560).threads(Integer.parseInt(a[4])).epochs(Integer.parseInt(a[5]), 0)
            .learningRate(Double.parseDouble(a[6]), 2e-5).warmupSteps(20).runKey("exp-" + System.nanoTime())
            .core(TrainRequest.CORE_GRAPH, TrainRequest.LOSS_ASSISTANT)
            .sharedPrefix(a.length > 7 && Boolean.parseBoolean(a[7]), 0).build();
        NativeLoader.load();
        var res = new GraphTrainer(r, e -> { if (e.contains("epoch\"") && e.contains("evalLoss") || e.contains("info")) System.out.println(e); }).run();
        System.out.println(res.get("epochs"));
    }
}
