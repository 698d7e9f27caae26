package dev.mcpforge.engine;

import dev.mcpforge.engine.llama.LlamaLibrary;
import dev.mcpforge.engine.llama.LlamaModelQuantizeParams;
import dev.mcpforge.engine.llama.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code llama_model_quantize}: F32/F16 GGUF to Q8_0, Q4_K_M, or F32 (to make F16 bases trainable). */
public final class Quantizer {
    /** Sizes and wall time of one quantization. */
    public record Result(Path input, Path output, QuantFormat format, long inputBytes, long outputBytes, long millis) {
    }

    private Quantizer() {
    }

    /** @param threads 0 = available processors */
    public static Result quantize(Path input, Path output, QuantFormat format, int threads) {
        Model.checkGgufFile(input);
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The output " + output
                    + " is the input model: choose another -Dforge.output.");
        }
        NativeEngine engine = NativeLoader.load();
        LlamaLibrary l = engine.llama();
        LlamaModelQuantizeParams p = LlamaModelQuantizeParams.copyOf(l.llama_model_quantize_default_params());
        p.ftype = format.ftype();
        p.nthread = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        // converting to F32 dequantizes whatever the input holds; quantizing a quantized model again would lose
        // precision, so llama.cpp refuses that (reported below as a clear error)
        p.allow_requantize = (byte) (format == QuantFormat.F32 ? 1 : 0);
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        try {
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            NativeLogAccess.clearRecent();
            long t0 = System.nanoTime();
            int rc = l.llama_model_quantize(input.toAbsolutePath().toString(), tmp.toAbsolutePath().toString(), p);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (rc != 0) {
                if (NativeLogAccess.recentSummary("").contains("requantizing")) {
                    throw new EngineException(EngineException.Kind.INVALID_REQUEST, input + " is already quantized; "
                            + "converting it to " + format.id() + " would lose precision. Convert the F32 or F16 model "
                            + "instead (or convert this one to f32 first).");
                }
                throw new EngineException(EngineException.Kind.MODEL_INVALID, "llama.cpp could not quantize " + input
                        + " to " + format.id() + ": " + NativeLogAccess.recentSummary("the file is truncated, corrupt "
                        + "or of an unsupported architecture") + ". Rebuild the model file.");
            }
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new Result(input, output, format, Files.size(input), Files.size(output), ms);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.NATIVE_CALL, "Could not write " + output + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
