package dev.mcpforge.tools;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The MCP stdio transport (newline-delimited JSON-RPC) over any pair of streams: a child process's stdout/stdin,
 * or pipes to an in-process server.
 * <p>
 * Hand-written because the SDK's {@code StdioClientTransport} stops reading for good at the first stdout line
 * that is not a JSON-RPC message (real servers print banners there). This one skips such lines, logs them and
 * keeps a sample for error messages ("the server wrote only garbage").
 */
final class LineTransport implements McpClientTransport {

    private static final Logger LOG = LoggerFactory.getLogger(LineTransport.class);
    private static final int SAMPLE_LINES = 5;
    private static final int MAX_SAMPLE = 200;

    private final String label;
    private final InputStream in;
    private final OutputStream out;
    private final McpJsonMapper mapper;
    private final Scheduler writer;
    private final CompletableFuture<Void> eof = new CompletableFuture<>();
    private final List<String> noiseSample = new ArrayList<>();
    private final AtomicInteger noiseLines = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong toolListChanges = new java.util.concurrent.atomic.AtomicLong();
    /** Ids of our tools/list requests in flight, with their cursor ("" for the first page). */
    private final java.util.Map<Object, String> toolListRequests = new java.util.concurrent.ConcurrentHashMap<>();
    /** The raw result of the latest tools/list answer per cursor, exactly as the server sent it. */
    private final java.util.Map<String, Object> rawToolPages = new java.util.concurrent.ConcurrentHashMap<>();
    /** Ids of our tools/call requests in flight, with their {@link #callKey}. */
    private final java.util.Map<Object, String> callRequests = new java.util.concurrent.ConcurrentHashMap<>();
    /** Raw tools/call results by {@link #callKey}, until the caller takes them. */
    private final java.util.Map<String, Object> rawCallResults = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closing;

    LineTransport(String label, InputStream in, OutputStream out, McpJsonMapper mapper) {
        this.label = label;
        this.in = in;
        this.out = out;
        this.mapper = mapper;
        this.writer = Schedulers.fromExecutorService(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mcp-out");
            t.setDaemon(true);
            return t;
        }), "mcp-out");
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return Mono.fromRunnable(() -> {
            Thread reader = new Thread(() -> readLoop(handler), "mcp-in");
            reader.setDaemon(true);
            reader.start();
        });
    }

    private void readLoop(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String t = line.strip();
                if (t.isEmpty()) {
                    continue;
                }
                JSONRPCMessage msg = null;
                if (t.startsWith("{")) {
                    try {
                        msg = McpSchema.deserializeJsonRpcMessage(mapper, t);
                    } catch (Exception e) {
                        LOG.debug("not a JSON-RPC message: {}", e.toString());
                    }
                }
                if (msg == null) {
                    noise(line);
                    continue;
                }
                messages.incrementAndGet();
                if (msg instanceof McpSchema.JSONRPCResponse resp && resp.result() != null) {
                    String cursor = toolListRequests.remove(resp.id());
                    if (cursor != null) {
                        rawToolPages.put(cursor, resp.result());
                    }
                    String call = callRequests.remove(resp.id());
                    if (call != null) {
                        rawCallResults.put(call, resp.result());
                    }
                } else if (msg instanceof McpSchema.JSONRPCResponse resp) {
                    toolListRequests.remove(resp.id());
                    callRequests.remove(resp.id());
                }
                if (msg instanceof McpSchema.JSONRPCNotification n
                        && McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED.equals(n.method())) {
                    // counted here, in stream order, so a lister knows a change arrived before its reply
                    toolListChanges.incrementAndGet();
                }
                handler.apply(Mono.just(msg)).subscribe(x -> { }, err ->
                        LOG.debug("handling a message from '{}' failed: {}", label, err.toString()));
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.debug("reading from MCP server '{}' failed: {}", label, e.toString());
            }
        } finally {
            eof.complete(null);
        }
    }

    private void noise(String line) {
        int n = noiseLines.incrementAndGet();
        String shown = line.length() > MAX_SAMPLE ? line.substring(0, MAX_SAMPLE) + "…" : line;
        synchronized (noiseSample) {
            if (noiseSample.size() < SAMPLE_LINES) {
                noiseSample.add(shown);
            }
        }
        if (n <= SAMPLE_LINES) {
            LOG.warn("MCP server '{}' wrote a line to stdout that is not JSON-RPC (skipped; servers should log to "
                    + "stderr): {}", label, shown);
        } else {
            LOG.debug("skipped non-JSON-RPC stdout line from '{}': {}", label, shown);
        }
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return Mono.<Void>fromRunnable(() -> {
            if (closing) {
                return;
            }
            if (message instanceof McpSchema.JSONRPCRequest req && McpSchema.METHOD_TOOLS_LIST.equals(req.method())) {
                toolListRequests.put(req.id(), cursorOf(req.params()));
            } else if (message instanceof McpSchema.JSONRPCRequest req
                    && McpSchema.METHOD_TOOLS_CALL.equals(req.method()) && req.params() != null) {
                java.util.Map<?, ?> p = mapper.convertValue(req.params(), java.util.Map.class);
                callRequests.put(req.id(), callKey(String.valueOf(p.get("name")),
                        Json.MAPPER.valueToTree(p.get("arguments"))));
            }
            try {
                // Jackson escapes newlines inside strings, so one message is one line
                byte[] json = mapper.writeValueAsBytes(message);
                synchronized (out) {
                    out.write(json);
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot write to MCP server '" + label + "' (it closed its stdin "
                        + "or exited): " + e.getMessage(), e);
            }
        }).subscribeOn(writer);
    }

    /** Stops sending and closes the output stream (the server sees EOF on stdin). */
    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::closeNow);
    }

    void closeNow() {
        closing = true;
        try {
            synchronized (out) {
                out.close();
            }
        } catch (IOException ignored) {
            // already closed by the other side
        }
        writer.dispose();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }

    /** Completes when the server's output ends (it exited or closed stdout). */
    CompletableFuture<Void> eof() {
        return eof;
    }

    private String cursorOf(Object params) {
        if (params == null) {
            return "";
        }
        Object c = mapper.convertValue(params, java.util.Map.class).get("cursor");
        return c == null ? "" : c.toString();
    }

    /**
     * The {@code result} of the latest tools/list answer for this cursor (null for the first page) as the server
     * sent it (maps in the server's key order), or null. The SDK's typed records drop unknown fields and reorder
     * annotation keys; tools.json must hold what the server sent.
     */
    Object rawToolsPage(String cursor) {
        return rawToolPages.get(cursor == null ? "" : cursor);
    }

    /** Identifies a call by tool name and canonical arguments. */
    static String callKey(String tool, tools.jackson.databind.JsonNode arguments) {
        return tool + '\u0000' + Json.canonical(arguments == null || arguments.isNull()
                ? Json.MAPPER.createObjectNode() : arguments);
    }

    /** Takes the raw {@code result} of the latest answered tools/call with this {@link #callKey}, or null. */
    Object takeRawCallResult(String key) {
        return rawCallResults.remove(key);
    }

    /** How many {@code notifications/tools/list_changed} arrived so far. */
    long toolListChanges() {
        return toolListChanges.get();
    }

    int noiseLines() {
        return noiseLines.get();
    }

    int jsonMessages() {
        return messages.get();
    }

    /** Up to 5 of the skipped lines, quoted, for error messages. */
    String noiseSample() {
        synchronized (noiseSample) {
            StringBuilder sb = new StringBuilder();
            for (String s : noiseSample) {
                sb.append("\n    «").append(s).append('»');
            }
            return sb.toString();
        }
    }
}
