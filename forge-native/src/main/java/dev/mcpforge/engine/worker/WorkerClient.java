package dev.mcpforge.engine.worker;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.EngineProbe;
import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.engine.GenerationResult;
import dev.mcpforge.engine.NativeLoader;
import dev.mcpforge.engine.NativeLog;
import dev.mcpforge.engine.QuantFormat;
import dev.mcpforge.engine.Quantizer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs native work in a forked JVM ({@link WorkerMain}) so that a native abort or out-of-memory kills the worker, not
 * the caller. One request at a time (methods are synchronized). When the worker dies, the pending and all later calls
 * throw {@link EngineException} of kind {@code WORKER_DIED} with the exit status and the worker's last stderr lines.
 *
 * <pre>
 * try (WorkerClient w = WorkerClient.start(WorkerClient.Options.defaults())) {
 *     EngineProbe p = w.probe();
 *     GenerationResult r = w.generate(modelPath, 0, GenerationRequest.greedy(prompt, 64));
 *     Quantizer.Result q = w.quantize(in, out, QuantFormat.Q8_0, 0);
 * }
 * </pre>
 */
public final class WorkerClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerClient.class);
    private static final int STDERR_LINES = 30;
    private static final JsonNode EOF = WorkerJson.MAPPER.createObjectNode().put("type", "eof");

    /**
     * How to start the worker.
     *
     * @param javaExecutable the java binary (default: this JVM's)
     * @param classpath      jars/directories of forge-native, JNA, Jackson and slf4j (default: found from this JVM)
     * @param jvmArgs        extra JVM options (e.g. -Xmx4g)
     * @param cacheDir       cache root for the native libraries (null: the worker's default)
     * @param nativeLog      -Dforge.nativeLog value for the worker (null: this JVM's)
     */
    public record Options(String javaExecutable, List<String> classpath, List<String> jvmArgs, Path cacheDir,
                          String nativeLog) {
        public Options {
            classpath = List.copyOf(classpath);
            jvmArgs = List.copyOf(jvmArgs);
        }

        public static Options defaults() {
            return new Options(Path.of(System.getProperty("java.home"), "bin", "java").toString(), defaultClasspath(),
                    List.of(), System.getProperty(NativeLoader.CACHE_PROPERTY) == null ? null
                    : Path.of(System.getProperty(NativeLoader.CACHE_PROPERTY)), System.getProperty(NativeLog.PROPERTY));
        }

        public Options withCacheDir(Path dir) {
            return new Options(javaExecutable, classpath, jvmArgs, dir, nativeLog);
        }

        public Options withJvmArgs(List<String> args) {
            return new Options(javaExecutable, classpath, args, cacheDir, nativeLog);
        }
    }

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private int nextId = 1;
    private EngineException dead;

    private WorkerClient(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread out = new Thread(this::pumpStdout, "forge-worker-stdout-" + process.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(this::pumpStderr, "forge-worker-stderr-" + process.pid());
        err.setDaemon(true);
        err.start();
    }

    /** Starts a worker and waits for its ready message. */
    public static WorkerClient start(Options options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(options.javaExecutable());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djna.nosys=true");
        if (options.cacheDir() != null) {
            cmd.add("-D" + NativeLoader.CACHE_PROPERTY + "=" + options.cacheDir().toAbsolutePath());
        }
        if (options.nativeLog() != null) {
            NativeLog.validate(options.nativeLog());
            cmd.add("-D" + NativeLog.PROPERTY + "=" + options.nativeLog());
        }
        cmd.addAll(options.jvmArgs());
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, options.classpath()));
        cmd.add(WorkerMain.class.getName());
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.WORKER_DIED, "Could not start the engine worker ("
                    + options.javaExecutable() + "): " + e.getMessage(), e);
        }
        WorkerClient c = new WorkerClient(p);
        JsonNode ready = c.next("start", 120);
        if (!"ready".equals(ready.path("type").asString(""))) {
            c.close();
            throw new EngineException(EngineException.Kind.WORKER_DIED, "The engine worker sent " + ready
                    + " instead of its ready message");
        }
        LOG.debug("engine worker started, pid {}", p.pid());
        return c;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Engine status for forge:doctor (never throws for a missing engine: see {@link EngineProbe#error()}). */
    public EngineProbe probe() {
        return WorkerJson.MAPPER.treeToValue(call("probe", WorkerJson.MAPPER.createObjectNode(), null), EngineProbe.class);
    }

    /**
     * Loads a model in the worker (kept for later generate calls on the same path/context) and returns its
     * description: path, description, nParams, sizeBytes, nCtxTrain, nCtx, nVocab, chatTemplate, metadata.
     */
    public JsonNode load(Path model, int nCtx, int threads) {
        ObjectNode p = WorkerJson.MAPPER.createObjectNode();
        p.put("model", model.toAbsolutePath().toString());
        p.put("nCtx", nCtx);
        p.put("threads", threads);
        return call("load", p, null);
    }

    /** Generates on {@code model} (loaded once and kept) with context size {@code nCtx} (0 = model's). */
    public GenerationResult generate(Path model, int nCtx, GenerationRequest req) {
        ObjectNode p = WorkerJson.MAPPER.valueToTree(req);
        p.put("model", model.toAbsolutePath().toString());
        p.put("nCtx", nCtx);
        return WorkerJson.MAPPER.treeToValue(call("generate", p, null), GenerationResult.class);
    }

    /** Quantizes {@code input} to {@code output}; progress messages go to {@code progress} (may be null). */
    public Quantizer.Result quantize(Path input, Path output, QuantFormat format, int threads, Consumer<String> progress) {
        ObjectNode p = WorkerJson.MAPPER.createObjectNode();
        p.put("input", input.toAbsolutePath().toString());
        p.put("output", output.toAbsolutePath().toString());
        p.put("format", format.id());
        p.put("threads", threads);
        JsonNode r = call("quantize", p, progress);
        return new Quantizer.Result(Path.of(r.path("input").asString()), Path.of(r.path("output").asString()),
                QuantFormat.parse(r.path("format").asString()), r.path("inputBytes").asLong(),
                r.path("outputBytes").asLong(), r.path("millis").asLong());
    }

    /**
     * Sends one request and waits for its result. Throws {@link EngineException} with the worker's error kind, or
     * {@code WORKER_DIED} when the worker exits first.
     */
    public synchronized JsonNode call(String op, ObjectNode params, Consumer<String> progress) {
        if (dead != null) {
            throw dead;
        }
        int id = nextId++;
        ObjectNode req = params.deepCopy();
        req.put("id", id);
        req.put("op", op);
        try {
            stdin.write(WorkerJson.MAPPER.writeValueAsString(req));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw died(op);
        }
        while (true) {
            JsonNode m = next(op, 0);
            String type = m.path("type").asString("");
            if ("log".equals(type)) {
                String level = m.path("level").asString("info");
                String text = m.path("message").asString("");
                if ("error".equals(level) || "warn".equals(level)) {
                    LOG.warn("llama.cpp: {}", text);
                } else {
                    LOG.info("llama.cpp: {}", text);
                }
                continue;
            }
            if (m.path("id").asInt(-1) != id) {
                continue;
            }
            switch (type) {
                case "progress":
                    if (progress != null) {
                        progress.accept(m.path("message").asString(""));
                    } else {
                        LOG.debug("worker: {}", m.path("message").asString(""));
                    }
                    break;
                case "result":
                    return m.path("result");
                case "error":
                    EngineException.Kind kind;
                    try {
                        kind = EngineException.Kind.valueOf(m.path("kind").asString("NATIVE_CALL"));
                    } catch (IllegalArgumentException e) {
                        kind = EngineException.Kind.NATIVE_CALL;
                    }
                    throw new EngineException(kind, m.path("message").asString("worker error"));
                default:
                    LOG.debug("worker sent unexpected message {}", m);
            }
        }
    }

    /** Next protocol message; on EOF (worker gone) throws WORKER_DIED. timeoutSeconds 0 = wait forever. */
    private JsonNode next(String op, int timeoutSeconds) {
        JsonNode m;
        try {
            m = timeoutSeconds > 0 ? messages.poll(timeoutSeconds, TimeUnit.SECONDS) : messages.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EngineException(EngineException.Kind.WORKER_DIED, "Interrupted while waiting for the engine worker", e);
        }
        if (m == null) {
            process.destroyForcibly();
            throw died(op + " (no answer within " + timeoutSeconds + " s)");
        }
        if (m == EOF) {
            messages.add(EOF); // later calls see it too
            throw died(op);
        }
        return m;
    }

    private EngineException died(String op) {
        if (dead != null) {
            return dead;
        }
        Integer status = null;
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                status = process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String how;
        if (status == null) {
            how = "stopped answering";
        } else if (status > 128) {
            int sig = status - 128;
            how = "died with exit status " + status + " (signal " + sig + (sig == 6 ? ", SIGABRT: a native assertion "
                    + "failed" : sig == 9 ? ", SIGKILL: killed, e.g. by the out-of-memory killer" : "") + ")";
        } else {
            how = "exited with status " + status;
        }
        List<String> tail;
        synchronized (stderrTail) {
            tail = new ArrayList<>(stderrTail);
        }
        dead = new EngineException(EngineException.Kind.WORKER_DIED, "The engine worker (pid " + process.pid() + ") "
                + how + " during '" + op + "'." + (tail.isEmpty() ? " It wrote nothing to stderr."
                : " Last stderr lines:\n  " + String.join("\n  ", tail)));
        return dead;
    }

    /** The last lines the worker wrote to stderr (native messages, JVM errors). */
    public List<String> stderrTail() {
        synchronized (stderrTail) {
            return new ArrayList<>(stderrTail);
        }
    }

    private void pumpStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                try {
                    messages.add(WorkerJson.MAPPER.readTree(line));
                } catch (RuntimeException e) {
                    LOG.warn("engine worker wrote a non-protocol line: {}", line);
                }
            }
        } catch (IOException e) {
            LOG.debug("worker stdout closed: {}", e.toString());
        } finally {
            messages.add(EOF);
        }
    }

    private void pumpStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                LOG.debug("worker stderr: {}", line);
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    while (stderrTail.size() > STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("worker stderr closed: {}", e.toString());
        }
    }

    /** Asks the worker to shut down; kills it if it does not exit within 10 s. */
    @Override
    public synchronized void close() {
        if (process.isAlive() && dead == null) {
            try {
                call("shutdown", WorkerJson.MAPPER.createObjectNode(), null);
            } catch (EngineException e) {
                LOG.debug("worker shutdown: {}", e.getMessage());
            }
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The class path the worker needs, from the code sources of forge-native, JNA, Jackson and slf4j as loaded in this
     * JVM (works in a Maven plugin class realm and under surefire).
     */
    public static List<String> defaultClasspath() {
        Set<String> cp = new LinkedHashSet<>();
        String[] anchors = {
            "dev.mcpforge.engine.worker.WorkerMain", "com.sun.jna.Native", "tools.jackson.databind.ObjectMapper",
            "tools.jackson.core.JsonParser", "com.fasterxml.jackson.annotation.JsonProperty", "org.slf4j.LoggerFactory",
            // optional: a plain slf4j provider when the caller has one (tests); a Maven realm has none -> NOP
            "org.slf4j.simple.SimpleServiceProvider",
        };
        for (String name : anchors) {
            try {
                CodeSource cs = Class.forName(name, false, WorkerClient.class.getClassLoader())
                        .getProtectionDomain().getCodeSource();
                if (cs != null && cs.getLocation() != null) {
                    cp.add(Path.of(cs.getLocation().toURI()).toString());
                }
            } catch (ClassNotFoundException | URISyntaxException | SecurityException e) {
                LOG.debug("worker class path: {} not found ({})", name, e.toString());
            }
        }
        return new ArrayList<>(cp);
    }
}
