package dev.mcpforge.tools.stub;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.McpToolProvider;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.Toolset;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic stub: a real MCP server (the SDK's server side, stdio transport) that serves a given
 * {@link Toolset} and answers {@code tools/call} from recorded {@link Fixtures}. Unrecorded calls get an
 * {@code isError} result saying so; unknown tools get the SDK's JSON-RPC -32602. The SDK's own schema validation
 * (of arguments and of structuredContent) is off, so a recorded call replays the live server's answer as it was.
 * <p>
 * Run it in-process with {@link #connectInProcess} or as a subprocess with {@link StubServerMain}.
 */
public final class StubServer implements AutoCloseable {

    public static final String NAME = "mcp-forge-stub";

    private final McpSyncServer server;

    private StubServer(McpSyncServer server) {
        this.server = server;
    }

    /** Serves {@code tools} over the given streams (the server reads {@code in} and writes {@code out}). */
    public static StubServer start(Toolset tools, Fixtures fixtures, InputStream in, OutputStream out)
            throws ToolException {
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        Fixtures fx = fixtures == null ? new Fixtures() : fixtures;
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        for (ToolDefinition t : tools.tools()) {
            McpSchema.Tool tool;
            try {
                tool = mapper.readValue(Json.MAPPER.writeValueAsString(t.toJson()), McpSchema.Tool.class);
            } catch (IOException e) {
                throw new ToolException("stub server: cannot serve tool '" + t.name() + "': " + e.getMessage(), e);
            }
            specs.add(McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                    .callHandler((exchange, req) -> answer(mapper, fx, req)).build());
        }
        try {
            McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(mapper, in, out))
                    .serverInfo(NAME, "1.0.0")
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                    .strictToolNameValidation(false)
                    .validateToolInputs(false)
                    .jsonSchemaValidator(new ReplayValidator(mapper))
                    .tools(specs)
                    .build();
            return new StubServer(server);
        } catch (RuntimeException e) {
            throw new ToolException("stub server: cannot start with the tools of " + tools.source() + ": "
                    + e.getMessage(), e);
        }
    }

    private static McpSchema.CallToolResult answer(McpJsonMapper mapper, Fixtures fx, McpSchema.CallToolRequest req) {
        JsonNode args = Json.MAPPER.valueToTree(req.arguments());
        ToolCallResult r = fx.answer(req.name(), args);
        try {
            return mapper.readValue(Json.MAPPER.writeValueAsString(r.toJson()), McpSchema.CallToolResult.class);
        } catch (IOException e) {
            throw new IllegalStateException("fixture result for '" + req.name() + "' is not a CallToolResult: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Starts the stub in this JVM, connected to an {@link McpToolProvider} through in-memory pipes; closing
     * the provider closes the server.
     */
    public static McpToolProvider connectInProcess(Toolset tools, Fixtures fixtures, Duration timeout)
            throws ToolException {
        try {
            Pipe toServer = Pipe.open();
            Pipe toClient = Pipe.open();
            StubServer server = start(tools, fixtures, Channels.newInputStream(toServer.source()),
                    Channels.newOutputStream(toClient.sink()));
            return McpToolProvider.connect(NAME + " (in-process)", Channels.newInputStream(toClient.source()),
                    Channels.newOutputStream(toServer.sink()), timeout, () -> {
                        server.close();
                        toClient.sink().close();
                        toServer.source().close();
                    });
        } catch (IOException e) {
            throw new ToolException("stub server: cannot open in-memory pipes: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts every schema and every value: the stub replays what the live server answered, and the SDK server
     * would otherwise replace a recorded result whose structuredContent misses its outputSchema.
     */
    private record ReplayValidator(McpJsonMapper mapper) implements JsonSchemaValidator {
        @Override
        public ValidationResponse validate(java.util.Map<String, Object> schema, Object content) {
            try {
                return ValidationResponse.asValid(content == null ? null : mapper.writeValueAsString(content));
            } catch (IOException e) {
                return ValidationResponse.asValid(null);
            }
        }

        @Override
        public ValidationResponse validateSchema(java.util.Map<String, Object> schema) {
            return ValidationResponse.asValid(null);
        }
    }

    @Override
    public void close() {
        server.closeGracefully();
    }
}
