package dev.mcpforge.tools;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A live MCP server over stdio, through the MCP Java SDK's client ({@link McpSyncClient}) on our own
 * {@link LineTransport} (which skips non-JSON stdout lines) and {@link ServerProcess} (scrubbed environment,
 * stderr into the log, process-tree shutdown).
 * <p>
 * Protocol: the SDK's initialize handshake (it offers {@code 2025-11-25} and accepts the older revisions a server
 * echoes), {@code tools/list} followed page by page through {@code nextCursor}, a fresh list when the server sent
 * {@code notifications/tools/list_changed} while listing, and {@code tools/call}. JSON-RPC errors on a call
 * ({@code -32602} unknown tool / invalid arguments, {@code -32603} the tool threw) come back as {@code isError}
 * results carrying the server's message.
 */
public final class McpToolProvider implements ToolProvider {

    static {
        // The SDK logs every handshake and every JSON-RPC error answer at INFO, which floods Maven's console
        // (-32602 answers are normal results here). Under Maven's (or any) simple slf4j logger this property,
        // read when a logger is created, quiets them unless the user chose a level himself.
        String sdkLevel = "org.slf4j.simpleLogger.log.io.modelcontextprotocol";
        if (System.getProperty(sdkLevel) == null) {
            System.setProperty(sdkLevel, "warn");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(McpToolProvider.class);
    /** Extra wait on top of the SDK's own request timeout, so that its TimeoutException wins normally. */
    private static final long BACKSTOP_MS = 2000;

    private final String label;
    private final Duration timeout;
    private final LineTransport transport;
    private final ServerProcess process; // null for an in-process server
    private final AutoCloseable onClose; // in-process server, or null
    private final ExecutorService calls;
    private McpSyncClient client;
    private McpSchema.InitializeResult init;
    private volatile boolean closed;

    private McpToolProvider(String label, Duration timeout, LineTransport transport, ServerProcess process,
                            AutoCloseable onClose) {
        this.label = label;
        this.timeout = timeout;
        this.transport = transport;
        this.process = process;
        this.onClose = onClose;
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mcp-call");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the server and performs the initialize handshake.
     *
     * @throws ToolException when the command does not exist, exits, hangs past the timeout or writes garbage;
     *                       the server's process tree is stopped before this is thrown
     */
    public static McpToolProvider start(ServerSpec spec) throws ToolException {
        ServerProcess p = ServerProcess.start(spec);
        LineTransport t = new LineTransport(spec.commandLine(), p.stdout(), p.stdin(), mapper());
        McpToolProvider provider = new McpToolProvider(spec.commandLine(), spec.timeout(), t, p, null);
        provider.initialize();
        return provider;
    }

    /**
     * Connects to a server that runs in this JVM (e.g. the stub server), through a pair of streams.
     *
     * @param fromServer what the server writes (its "stdout")
     * @param toServer   what the server reads (its "stdin"); closed on {@link #close()}
     * @param onClose    closed after the streams on {@link #close()} (the server itself), or null
     */
    public static McpToolProvider connect(String label, InputStream fromServer, OutputStream toServer,
                                          Duration timeout, AutoCloseable onClose) throws ToolException {
        LineTransport t = new LineTransport(label, fromServer, toServer, mapper());
        McpToolProvider provider = new McpToolProvider(label, timeout == null ? ServerSpec.DEFAULT_TIMEOUT : timeout,
                t, null, onClose);
        provider.initialize();
        return provider;
    }

    private static McpJsonMapper mapper() {
        return McpJsonDefaults.getMapper();
    }

    private void initialize() throws ToolException {
        try {
            client = McpClient.sync(transport)
                    .clientInfo(new McpSchema.Implementation("mcp-forge", "MCP-Forge", version()))
                    .capabilities(McpSchema.ClientCapabilities.builder().build())
                    .requestTimeout(timeout)
                    .initializationTimeout(timeout)
                    .toolsChangeConsumer(tools -> {
                        LOG.debug("MCP server '{}' changed its tool list ({} tools now)", label, tools.size());
                    })
                    .build();
            init = await("initialize", client::initialize);
            LOG.debug("MCP server '{}' initialized: {} {} protocol {}", label, init.serverInfo().name(),
                    init.serverInfo().version(), init.protocolVersion());
            if (init.capabilities() == null || init.capabilities().tools() == null) {
                LOG.warn("MCP server '{}' does not declare the 'tools' capability; listing anyway", label);
            }
        } catch (ToolException | RuntimeException e) {
            close();
            if (e instanceof ToolException te) {
                throw te;
            }
            throw new ToolException("MCP server '" + label + "' failed during initialize: " + message(e)
                    + context(), e);
        }
    }

    /** The protocol revision the server agreed to (e.g. {@code 2025-11-25}). */
    public String protocolVersion() {
        return init.protocolVersion();
    }

    /** The server's {@code serverInfo} as "name version". */
    public String serverInfo() {
        return init.serverInfo().name() + " " + init.serverInfo().version();
    }

    /** The server's process id, if it runs as a child process. */
    public OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    @Override
    public Toolset listTools() throws ToolException {
        ensureOpen();
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = transport.toolListChanges();
            List<ToolDefinition> all = new ArrayList<>();
            Set<String> cursors = new HashSet<>();
            String cursor = null;
            do {
                final String c = cursor;
                McpSchema.ListToolsResult page = await("tools/list", () -> client.listTools(c));
                all.addAll(toDefinitions(page, transport.rawToolsPage(c)));
                cursor = page.nextCursor();
                if (cursor != null && !cursors.add(cursor)) {
                    throw new ToolException("MCP server '" + label + "' returned the cursor '" + cursor
                            + "' twice while paging through tools/list; its pagination is broken");
                }
            } while (cursor != null);
            if (transport.toolListChanges() == before) {
                try {
                    return new Toolset(label, all);
                } catch (IllegalArgumentException e) {
                    throw new ToolException("MCP server '" + label + "' sent an unusable tool list: "
                            + e.getMessage(), e);
                }
            }
            LOG.debug("tool list of '{}' changed while listing; listing again", label);
        }
        throw new ToolException("MCP server '" + label + "' kept changing its tool list (notifications/tools/"
                + "list_changed) while it was being listed; try again once the server has settled");
    }

    /**
     * The page's tools as the server sent them (from the raw answer, so schemas and annotations keep every key
     * and its order); the SDK's typed records only when the raw answer does not match the page.
     */
    private List<ToolDefinition> toDefinitions(McpSchema.ListToolsResult page, Object raw) throws ToolException {
        List<McpSchema.Tool> typed = page.tools() == null ? List.of() : page.tools();
        List<ToolDefinition> out = new ArrayList<>();
        JsonNode rawTools = raw == null ? null : Json.MAPPER.valueToTree(raw).get("tools");
        if (rawTools != null && rawTools.isArray() && rawTools.size() == typed.size()) {
            for (int i = 0; i < typed.size(); i++) {
                JsonNode t = rawTools.get(i);
                if (!typed.get(i).name().equals(t.path("name").asString(null))) {
                    out.clear();
                    break;
                }
                try {
                    out.add(ToolDefinition.fromJson(t));
                } catch (IllegalArgumentException e) {
                    throw new ToolException("MCP server '" + label + "' sent an invalid tool: " + e.getMessage(), e);
                }
            }
            if (out.size() == typed.size()) {
                return out;
            }
        }
        LOG.debug("raw tools/list answer of '{}' not available; using the SDK's records", label);
        for (McpSchema.Tool t : typed) {
            if (t.inputSchema() == null) {
                throw new ToolException("MCP server '" + label + "': tool '" + t.name() + "' has no inputSchema");
            }
            out.add(new ToolDefinition(t.name(), t.title(), t.description(), toObject(t.inputSchema()),
                    t.outputSchema() == null ? null : toObject(t.outputSchema()),
                    t.annotations() == null ? null : toObject(t.annotations())));
        }
        return out;
    }

    /** Through the SDK mapper's JSON text, so that the tree equals what the server sent (key order included). */
    private static ObjectNode toObject(Object sdkValue) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(mapper().writeValueAsString(sdkValue));
        } catch (IOException e) {
            throw new IllegalStateException("cannot convert " + sdkValue, e);
        }
    }

    @Override
    public ToolCallResult callTool(String name, ObjectNode arguments) throws ToolException {
        ensureOpen();
        @SuppressWarnings("unchecked")
        Map<String, Object> args = arguments == null ? Map.of() : Json.MAPPER.convertValue(arguments, Map.class);
        McpSchema.CallToolRequest req = McpSchema.CallToolRequest.builder().name(name).arguments(args).build();
        try {
            String key = LineTransport.callKey(name, Json.MAPPER.valueToTree(args));
            McpSchema.CallToolResult r = await("tools/call '" + name + "'", () -> client.callTool(req));
            // as the server sent it (the SDK's content records may drop or reorder fields), else the SDK's view
            Object raw = transport.takeRawCallResult(key);
            JsonNode json = raw != null ? Json.MAPPER.valueToTree(raw)
                    : Json.MAPPER.readTree(mapper().writeValueAsString(r));
            return ToolCallResult.fromJson(json);
        } catch (McpError e) {
            McpSchema.JSONRPCResponse.JSONRPCError err = e.getJsonRpcError();
            int code = err == null || err.code() == null ? 0 : err.code();
            if (code == McpSchema.ErrorCodes.INVALID_PARAMS || code == McpSchema.ErrorCodes.INTERNAL_ERROR) {
                String text = "MCP error " + code + ": " + err.message()
                        + (err.data() == null ? "" : " (" + err.data() + ")");
                LOG.debug("tools/call '{}' on '{}' rejected: {}", name, label, text);
                return ToolCallResult.text(text, true);
            }
            throw new ToolException("MCP server '" + label + "' rejected tools/call '" + name + "': "
                    + message(e), e);
        } catch (IOException e) {
            throw new ToolException("cannot read the result of tools/call '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public boolean supportsExecution() {
        return true;
    }

    /**
     * Runs one SDK call, racing it against the server's exit and a timeout. McpError (a JSON-RPC error answer)
     * is rethrown as is; everything else becomes a ToolException that says what happened.
     */
    private <T> T await(String what, Callable<T> call) throws ToolException {
        CompletableFuture<T> f = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, calls);
        CompletableFuture<?> ended = process != null
                ? CompletableFuture.anyOf(process.onExit(), transport.eof()) : transport.eof();
        try {
            CompletableFuture.anyOf(f, ended).get(timeout.toMillis() + BACKSTOP_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(what + " on MCP server '" + label + "' was interrupted", e);
        } catch (ExecutionException | TimeoutException ignored) {
            // inspected below
        }
        if (!f.isDone() && ended.isDone()) {
            // a reply may have been in flight when the stream ended
            try {
                f.get(200, TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // inspected below
            }
        }
        if (f.isDone()) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException(what + " was interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                McpError mcp = find(cause, McpError.class);
                if (mcp != null) {
                    throw mcp;
                }
                if (find(cause, TimeoutException.class) != null) {
                    throw timedOut(what, cause);
                }
                // a server that exits at once can fail the request (e.g. a broken pipe on its stdin) before its
                // stdout's end is seen: if the process is gone, say that it exited (exit code, stderr) instead
                if (ended.isDone() || (process != null && process.exitsWithin(java.time.Duration.ofSeconds(2)))) {
                    throw ended(what, cause);
                }
                throw new ToolException(what + " on MCP server '" + label + "' failed: " + message(cause)
                        + context(), cause);
            }
        }
        f.cancel(true);
        if (ended.isDone()) {
            throw ended(what, null);
        }
        throw timedOut(what, null);
    }

    private ToolException timedOut(String what, Throwable cause) {
        boolean starting = init == null;
        StringBuilder sb = new StringBuilder("MCP server '").append(label).append("' did not answer ").append(what)
                .append(" within ").append(timeout.toSeconds()).append(" s");
        if (starting) {
            sb.append(" and was stopped (its whole process tree was killed)");
        }
        sb.append('.');
        if (transport.noiseLines() > 0 && transport.jsonMessages() == 0) {
            sb.append(" It wrote only non-JSON-RPC output to stdout (").append(transport.noiseLines())
                    .append(" lines), for example:").append(transport.noiseSample())
                    .append("\n  Is this an MCP server speaking stdio? An MCP server must write JSON-RPC messages on "
                            + "stdout and its logs on stderr.");
        } else if (starting) {
            sb.append(" Check that the command starts an MCP server speaking stdio; if it is just slow to start, "
                    + "raise -Dforge.timeout (seconds).");
        } else {
            sb.append(" Raise -Dforge.timeout (seconds) if the tool is just slow.");
        }
        if (process != null) {
            sb.append("\n  ").append(process.describeStderr());
        }
        return new ToolException(sb.toString(), cause);
    }

    private ToolException ended(String what, Throwable cause) {
        StringBuilder sb = new StringBuilder("MCP server '").append(label).append("' ");
        if (process != null && process.exitsWithin(java.time.Duration.ofSeconds(2))) {
            sb.append("exited with exit code ").append(process.exitValue());
        } else {
            sb.append("closed its stdout");
        }
        sb.append(init == null ? " at once, before answering " : " during ").append(what).append('.');
        if (transport.noiseLines() > 0) {
            sb.append(" It wrote non-JSON-RPC output to stdout:").append(transport.noiseSample());
        }
        if (process != null) {
            sb.append("\n  ").append(process.describeStderr());
            sb.append("\n  Run the command by hand to see why it stops: ").append(label);
        }
        return new ToolException(sb.toString(), cause);
    }

    private String context() {
        return process == null ? "" : "\n  " + process.describeStderr();
    }

    private static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == t ? m : t.getMessage() + " (" + m + ")";
    }

    private static <E extends Throwable> E find(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private void ensureOpen() throws ToolException {
        if (closed) {
            throw new ToolException("MCP server '" + label + "' connection is closed");
        }
    }

    private static String version() {
        String v = McpToolProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Closes stdin, then SIGTERM, then SIGKILL on the whole process tree. Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        transport.closeNow();
        if (process != null) {
            process.stop();
        }
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                LOG.debug("closing in-process server '{}' failed: {}", label, e.toString());
            }
        }
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the MCP client of '{}' failed: {}", label, e.toString());
            }
        }
        calls.shutdownNow();
    }
}
