package dev.mcpforge.engine;

import dev.mcpforge.engine.worker.WorkerClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void scratch() {
        try (WorkerClient w = WorkerClient.start(WorkerClient.Options.defaults())) {
            System.out.println(w.probe());
            System.out.println(w.load(Path.of("/tmp/b1model/tiny-f32.gguf"), 256, 2).path("description"));
            System.out.println(w.generate(Path.of("/tmp/b1model/tiny-f32.gguf"), 256, GenerationRequest.greedy("Hello", 10)));
            System.out.println(w.quantize(Path.of("/tmp/b1model/tiny-f32.gguf"), Path.of("/tmp/b1model/tiny-q8.gguf"), QuantFormat.Q8_0, 2, System.out::println));
            try { w.generate(Path.of("/tmp/b1model/nope.gguf"), 256, GenerationRequest.greedy("Hello", 10)); } catch (EngineException e) { System.out.println(e.kind() + " " + e.getMessage()); }
            try { w.call("abort", tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode(), null); } catch (EngineException e) { System.out.println(e.kind() + " " + e.getMessage()); }
        }
    }
}
