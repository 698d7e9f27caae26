package dev.mcpforge.engine;

import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.worker.WorkerClient;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The service behind {@code forge:gguf}: converts a GGUF model to q8_0 / q4_k_m / f32 through an engine worker
 * process (a native abort kills the worker, not the caller).
 */
public final class QuantizeService {

    /**
     * @param model   input GGUF
     * @param format  output format
     * @param output  output file; null = next to the input, {@code model-<format>.gguf}
     * @param threads 0 = available processors
     */
    public record Request(Path model, QuantFormat format, Path output, int threads) {
        /** The effective output path. */
        public Path outputPath() {
            if (output != null) {
                return output;
            }
            Path abs = model.toAbsolutePath();
            return abs.resolveSibling("model-" + format.id() + ".gguf");
        }
    }

    private final WorkerClient.Options workerOptions;

    public QuantizeService(WorkerClient.Options workerOptions) {
        this.workerOptions = workerOptions;
    }

    /** Validates the request, quantizes in a worker, returns sizes and time. */
    public Quantizer.Result run(Request req, Consumer<String> progress) {
        Model.checkGgufFile(req.model());
        Path out = req.outputPath();
        if (out.toAbsolutePath().normalize().equals(req.model().toAbsolutePath().normalize())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The output " + out + " is the input model "
                    + "itself: choose another -Dforge.output.");
        }
        try (WorkerClient w = WorkerClient.start(workerOptions)) {
            return w.quantize(req.model(), out, req.format(), req.threads(), progress);
        }
    }

    /** "73.1 MB" style size. */
    public static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
