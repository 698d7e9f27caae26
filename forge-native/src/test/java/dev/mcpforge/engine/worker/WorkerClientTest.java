package dev.mcpforge.engine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.EngineProbe;
import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.engine.GenerationResult;
import dev.mcpforge.engine.Generator;
import dev.mcpforge.engine.QuantFormat;
import dev.mcpforge.engine.Quantizer;
import dev.mcpforge.engine.TestModels;
import dev.mcpforge.engine.llama.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class WorkerClientTest {
    private static final String PROMPT = "<|im_start|>user\nread /tmp/a.txt<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    Path tmp;

    @Test
    void probeGenerateAndQuantizeThroughTheWorker() throws Exception {
        Path model = TestModels.tinyPath();
        GenerationRequest req = GenerationRequest.greedy(PROMPT, 12).withSampling(0.8f, 20, 0.9f, 99);
        GenerationResult local;
        try (Model m = Model.load(model); Generator g = new Generator(m, 256, 1)) {
            local = g.generate(req);
        }
        try (WorkerClient w = WorkerClient.start(WorkerClient.Options.defaults())) {
            EngineProbe p = w.probe();
            assertTrue(p.loaded(), p.error());
            assertEquals("v0.5.0", p.llamaRelease());
            assertFalse(p.cpuVariant().startsWith("unknown"));

            JsonNode info = w.load(model, 256, 1);
            assertEquals(TestModels.tiny().parameterCount(), info.path("nParams").asLong());
            assertEquals("llama", info.path("metadata").path("general.architecture").asString());

            GenerationResult remote = w.generate(model, 256, req);
            assertEquals(local.text(), remote.text(), "worker and in-process generation differ");
            assertEquals(local.generatedTokens(), remote.generatedTokens());

            List<String> progress = new ArrayList<>();
            Path out = tmp.resolve("model-q8_0.gguf");
            Quantizer.Result q = w.quantize(model, out, QuantFormat.Q8_0, 1, progress::add);
            assertTrue(Files.isRegularFile(out));
            assertEquals(Files.size(out), q.outputBytes());
            assertFalse(progress.isEmpty());

            EngineException e = assertThrows(EngineException.class,
                    () -> w.generate(tmp.resolve("missing.gguf"), 256, GenerationRequest.greedy("x", 1)));
            assertEquals(EngineException.Kind.MODEL_NOT_FOUND, e.kind());
            assertTrue(w.isAlive(), "a bad request must not kill the worker");
            assertEquals(local.text(), w.generate(model, 256, req).text());
        }
    }

    @Test
    void killedWorkerGivesACleanErrorWithExitStatus() throws Exception {
        WorkerClient w = WorkerClient.start(WorkerClient.Options.defaults());
        try {
            long pid = w.pid();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException ignored) {
                    return;
                }
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            });
            killer.start();
            var params = WorkerJson.MAPPER.createObjectNode().put("millis", 60_000);
            EngineException e = assertThrows(EngineException.class, () -> w.call("sleep", params, null));
            killer.join();
            assertEquals(EngineException.Kind.WORKER_DIED, e.kind());
            assertTrue(e.getMessage().contains("pid " + pid), e.getMessage());
            assertTrue(e.getMessage().contains("exit status 137") && e.getMessage().contains("SIGKILL"), e.getMessage());
            assertTrue(e.getMessage().contains("during 'sleep'"), e.getMessage());
            EngineException again = assertThrows(EngineException.class, w::probe);
            assertEquals(EngineException.Kind.WORKER_DIED, again.kind());
        } finally {
            w.close();
        }
    }

    @Test
    void badNativeLogLevelIsRejectedBeforeStarting() {
        WorkerClient.Options o = WorkerClient.Options.defaults();
        WorkerClient.Options bad = new WorkerClient.Options(o.javaExecutable(), o.classpath(), o.jvmArgs(), o.cacheDir(), "loud");
        EngineException e = assertThrows(EngineException.class, () -> WorkerClient.start(bad));
        assertEquals(EngineException.Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("-Dforge.nativeLog=loud"), e.getMessage());
    }

    @Test
    void nativeAbortKillsOnlyTheWorker() {
        try (WorkerClient w = WorkerClient.start(WorkerClient.Options.defaults())) {
            EngineException e = assertThrows(EngineException.class,
                    () -> w.call("abort", WorkerJson.MAPPER.createObjectNode(), null));
            assertEquals(EngineException.Kind.WORKER_DIED, e.kind());
            assertTrue(e.getMessage().contains("exit status 134") && e.getMessage().contains("SIGABRT"), e.getMessage());
            assertFalse(w.isAlive());
        }
    }
}
