package dev.mcpforge.tools.stub;

import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import tools.jackson.databind.node.ObjectNode;

/**
 * The deterministic stub as a plain in-process {@link ToolProvider} (no MCP, no threads): lists the given
 * tools and answers calls from recorded {@link Fixtures}. An unknown tool or an unrecorded call gives an
 * {@code isError} result. Use {@link StubServer} when a real MCP server is needed.
 */
public final class StubToolProvider implements ToolProvider {

    private final Toolset tools;
    private final Fixtures fixtures;

    public StubToolProvider(Toolset tools, Fixtures fixtures) {
        this.tools = tools;
        this.fixtures = fixtures == null ? new Fixtures() : fixtures;
    }

    @Override
    public Toolset listTools() {
        return tools;
    }

    @Override
    public ToolCallResult callTool(String name, ObjectNode arguments) {
        if (tools.find(name).isEmpty()) {
            return ToolCallResult.text("stub MCP server: unknown tool '" + name + "'; known tools: "
                    + tools.names(), true);
        }
        return fixtures.answer(name, arguments);
    }

    @Override
    public boolean supportsExecution() {
        return true;
    }

    @Override
    public void close() {
    }
}
