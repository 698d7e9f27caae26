package dev.mcpforge.tools;

import tools.jackson.databind.node.ObjectNode;

/**
 * A source of tools: a live MCP server, a file, or the deterministic stub. One interface for all,
 * as the seed's §4.2 asks.
 */
public interface ToolProvider extends AutoCloseable {

    /** All tools (every page), in the source's order. */
    Toolset listTools() throws ToolException;

    /**
     * Calls a tool. Tool-level failures come back as a result with {@code isError = true}; protocol-level
     * rejections (JSON-RPC -32602: unknown tool, invalid arguments) also come back as an {@code isError}
     * result whose text carries the server's message, so callers see one shape for "the call failed".
     *
     * @throws ToolException when the transport fails (server died, timeout)
     * @throws UnsupportedOperationException when {@link #supportsExecution()} is false
     */
    ToolCallResult callTool(String name, ObjectNode arguments) throws ToolException;

    /** Whether {@link #callTool} works (a live server or stub), or only listing (a file). */
    boolean supportsExecution();

    /** Releases the source; for a server: closes stdin, then SIGTERM, then SIGKILL on the whole process tree. */
    @Override
    void close();
}
