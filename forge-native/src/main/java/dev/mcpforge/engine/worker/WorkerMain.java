package dev.mcpforge.engine.worker;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.EngineProbe;
import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.engine.GenerationResult;
import dev.mcpforge.engine.Generator;
import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.NativeLog;
import dev.mcpforge.engine.QuantFormat;
import dev.mcpforge.engine.Quantizer;
import dev.mcpforge.engine.llama.Model;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine worker process: reads JSON-lines requests on stdin, answers on the original stdout.
 *
 * <p>Native code (llama.cpp, ggml) may print to stdout; that would corrupt the protocol. So at start the worker opens
 * its own handle on the stdout pipe ({@code /proc/self/fd/1}), then points file descriptor 1 at stderr with
 * {@code dup2} and {@code System.out} at {@code System.err}: afterwards only the protocol writer reaches the pipe.
 *
 * <p>Protocol (one JSON object per line): request {@code {"id":n,"op":"...",...}}; answers carry the same id and a
 * {@code type}: {@code log} (native log line), {@code progress}, then exactly one {@code result} or {@code error}
 * ({@code kind} = {@link EngineException.Kind}, {@code message}). On start the worker sends
 * {@code {"type":"ready","pid":...}}. Ops: probe, load, generate, quantize, train (progress messages are JSON events, see Trainer), shutdown, and for tests sleep/abort.
 */
public final class WorkerMain {

    interface LibC extends Library {
        int dup2(int oldfd, int newfd);

        void abort();
    }

    private final PrintStream protocol;
    private Model model;
    private Generator generator;
    private String modelKey;
    private int currentId;

    private WorkerMain(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) throws IOException {
        OutputStream raw = new FileOutputStream("/proc/self/fd/1");
        LibC libc = Native.load("c", LibC.class);
        if (libc.dup2(2, 1) < 0) {
            System.err.println("forge worker: dup2(2, 1) failed; native stdout output could corrupt the protocol");
        }
        System.setOut(System.err);
        PrintStream protocol = new PrintStream(raw, false, StandardCharsets.UTF_8);
        WorkerMain w = new WorkerMain(protocol);
        NativeLog.setSink((level, line) -> w.log(level, line));
        w.run(libc);
    }

    private synchronized void send(ObjectNode msg) {
        protocol.println(WorkerJson.MAPPER.writeValueAsString(msg));
        protocol.flush();
    }

    private void log(int level, String line) {
        ObjectNode m = WorkerJson.MAPPER.createObjectNode();
        m.put("id", currentId);
        m.put("type", "log");
        m.put("level", level >= 4 ? "error" : level == 3 ? "warn" : level == 2 ? "info" : "debug");
        m.put("message", line);
        send(m);
    }

    private void run(LibC libc) throws IOException {
        ObjectNode ready = WorkerJson.MAPPER.createObjectNode();
        ready.put("type", "ready");
        ready.put("pid", ProcessHandle.current().pid());
        send(ready);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode req;
            try {
                req = WorkerJson.MAPPER.readTree(line);
            } catch (RuntimeException e) {
                sendError(0, EngineException.Kind.INVALID_REQUEST, "not a JSON request: " + e.getMessage());
                continue;
            }
            currentId = req.path("id").asInt(0);
            String op = req.path("op").asString("");
            try {
                JsonNode result;
                switch (op) {
                    case "probe": result = WorkerJson.MAPPER.valueToTree(EngineProbe.probe()); break;
                    case "load": result = load(req); break;
                    case "generate": result = generate(req); break;
                    case "quantize": result = quantize(req); break;
                    case "train":
                        closeModel(); // training loads its own writable copy of the weights
                        dev.mcpforge.engine.train.TrainRequest tr = dev.mcpforge.engine.train.TrainRequest.fromJson(req);
                        result = dev.mcpforge.engine.train.TrainRequest.CORE_GRAPH.equals(tr.core())
                                ? new dev.mcpforge.engine.graph.GraphTrainer(tr, this::progress).run()
                                : new dev.mcpforge.engine.train.Trainer(tr, this::progress).run();
                        break;
                    case "sleep":
                        Thread.sleep(req.path("millis").asLong(1000));
                        result = WorkerJson.MAPPER.createObjectNode();
                        break;
                    case "abort":
                        libc.abort(); // test hook: what a GGML_ASSERT does
                        result = null;
                        break;
                    case "shutdown":
                        closeModel();
                        sendResult(currentId, WorkerJson.MAPPER.createObjectNode());
                        return;
                    default:
                        throw new EngineException(EngineException.Kind.INVALID_REQUEST, "unknown worker op '" + op + "'");
                }
                sendResult(currentId, result);
            } catch (EngineException e) {
                sendError(currentId, e.kind(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                sendError(currentId, EngineException.Kind.NATIVE_CALL, "worker failed: " + e);
                e.printStackTrace(System.err);
            }
        }
        closeModel();
    }

    private void sendResult(int id, JsonNode result) {
        ObjectNode m = WorkerJson.MAPPER.createObjectNode();
        m.put("id", id);
        m.put("type", "result");
        m.set("result", result);
        send(m);
    }

    private void sendError(int id, EngineException.Kind kind, String message) {
        ObjectNode m = WorkerJson.MAPPER.createObjectNode();
        m.put("id", id);
        m.put("type", "error");
        m.put("kind", kind.name());
        m.put("message", message);
        send(m);
    }

    private void progress(String message) {
        ObjectNode m = WorkerJson.MAPPER.createObjectNode();
        m.put("id", currentId);
        m.put("type", "progress");
        m.put("message", message);
        send(m);
    }

    /** Loads (or keeps) the model the request names, with a generator of the requested context size. */
    private Generator ensureModel(JsonNode req) {
        String path = req.path("model").asString(null);
        if (path == null) {
            if (generator == null) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "no model loaded: send 'load' first or name 'model'");
            }
            return generator;
        }
        Path p = Path.of(path);
        int nCtx = req.path("nCtx").asInt(0);
        int threads = req.path("threads").asInt(0);
        String key;
        try {
            key = p.toAbsolutePath() + "|" + (Files.exists(p) ? Files.getLastModifiedTime(p).toMillis() + "|" + Files.size(p) : "")
                    + "|" + nCtx + "|" + threads;
        } catch (IOException e) {
            key = p.toAbsolutePath().toString();
        }
        if (generator != null && key.equals(modelKey)) {
            return generator;
        }
        closeModel();
        NativeLoader.load();
        progress("loading model " + p);
        model = Model.load(p);
        try {
            generator = new Generator(model, nCtx, threads);
        } catch (RuntimeException e) {
            closeModel();
            throw e;
        }
        modelKey = key;
        return generator;
    }

    private void closeModel() {
        if (generator != null) {
            generator.close();
            generator = null;
        }
        if (model != null) {
            model.close();
            model = null;
        }
        modelKey = null;
    }

    private JsonNode load(JsonNode req) {
        Generator g = ensureModel(req);
        Model m = g.model();
        ObjectNode r = WorkerJson.MAPPER.createObjectNode();
        r.put("path", m.path().toAbsolutePath().toString());
        r.put("description", m.description());
        r.put("nParams", m.nParams());
        r.put("sizeBytes", m.sizeBytes());
        r.put("nCtxTrain", m.nCtxTrain());
        r.put("nCtx", g.nCtx());
        r.put("nVocab", m.vocab().nTokens());
        r.put("chatTemplate", m.chatTemplate());
        r.set("metadata", WorkerJson.MAPPER.valueToTree(m.metadata()));
        return r;
    }

    /** Also reads {@code prefixCache} (default true): reuse the KV cache of the prefix shared with the last request. */
    private JsonNode generate(JsonNode req) {
        Generator g = ensureModel(req);
        List<String> stop = new ArrayList<>();
        req.path("stop").forEach(s -> stop.add(s.asString()));
        GenerationRequest gr = new GenerationRequest(req.path("prompt").asString(""), req.path("maxTokens").asInt(128),
                (float) req.path("temperature").asDouble(0), req.path("topK").asInt(0),
                (float) req.path("topP").asDouble(1), req.path("seed").asInt(0), stop,
                req.path("grammar").isString() ? req.path("grammar").asString() : null,
                req.path("addSpecial").asBoolean(true), req.path("parseSpecial").asBoolean(true));
        g.prefixCache(req.path("prefixCache").asBoolean(true));
        GenerationResult res = g.generate(gr);
        return WorkerJson.MAPPER.valueToTree(res);
    }

    private JsonNode quantize(JsonNode req) {
        Path in = Path.of(req.path("input").asString());
        Path out = Path.of(req.path("output").asString());
        QuantFormat f = QuantFormat.parse(req.path("format").asString("q8_0"));
        progress("quantizing " + in + " to " + f.id());
        Quantizer.Result r = Quantizer.quantize(in, out, f, req.path("threads").asInt(0));
        ObjectNode o = WorkerJson.MAPPER.createObjectNode();
        o.put("input", r.input().toAbsolutePath().toString());
        o.put("output", r.output().toAbsolutePath().toString());
        o.put("format", r.format().id());
        o.put("inputBytes", r.inputBytes());
        o.put("outputBytes", r.outputBytes());
        o.put("millis", r.millis());
        return o;
    }
}
