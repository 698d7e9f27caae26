package dev.mcpforge.pipeline;

import dev.mcpforge.tools.FileToolProvider;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.McpToolProvider;
import dev.mcpforge.tools.RecordingToolProvider;
import dev.mcpforge.tools.SchemaCheck;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code forge:inspect}: provider → {@code tools/list} → schema check → {@code tools.json} → stage record.
 * <ul>
 *   <li>From a tools file the stage is skipped when the file's content and the configuration are unchanged and
 *       tools.json is still as written (see {@link PipelineState#check}).</li>
 *   <li>A live server is listed every time: its tools can change without any visible input changing. tools.json
 *       is only rewritten when its bytes change, so later stages (which fingerprint tools.json) stay up to
 *       date when the server still serves the same tools.</li>
 * </ul>
 */
public final class InspectService {

    public static final String STAGE = "inspect";

    private static final Logger LOG = LoggerFactory.getLogger(InspectService.class);

    /** How a live server is opened; the default starts it with {@link McpToolProvider}. */
    @FunctionalInterface
    public interface ServerOpener {
        ToolProvider open(ServerSpec spec, Path recordDir) throws ToolException;
    }

    /**
     * The default opener: starts the server; with a record path, every {@code tools/call} made through the
     * provider is also recorded into that fixtures file (JSONL, see {@code dev.mcpforge.tools.stub.Fixtures}),
     * which the stub server replays later.
     */
    public static final ServerOpener DEFAULT_OPENER = (spec, recordFile) -> {
        McpToolProvider live = McpToolProvider.start(spec);
        if (recordFile == null) {
            return live;
        }
        try {
            return new RecordingToolProvider(live, recordFile);
        } catch (ToolException | RuntimeException e) {
            live.close();
            throw e;
        }
    };

    private final ServerOpener opener;

    public InspectService() {
        this(DEFAULT_OPENER);
    }

    public InspectService(ServerOpener opener) {
        this.opener = opener;
    }

    /**
     * Runs the stage.
     *
     * @throws ToolException what the user must fix (bad file, invalid schema, server failure)
     * @throws IOException   when tools.json or state.json cannot be written
     */
    public InspectResult run(InspectRequest req) throws ToolException, IOException {
        PipelineState state = PipelineState.load(req.forgeDir(), req.baseDir());
        Fingerprint fp = Fingerprint.builder()
                .config("pluginVersion", req.pluginVersion())
                .config("output", state.relativize(req.output()));
        if (req.toolsFile() != null) {
            fp.file("toolsFile", req.toolsFile()).config("toolsFileLabel", req.toolsFileLabel());
            String inputHash = fp.build();
            PipelineState.Decision d = state.check(STAGE, inputHash, req.force());
            if (d.upToDate()) {
                try {
                    Toolset existing = FileToolProvider.read(req.output(), req.toolsFileLabel());
                    LOG.info("forge:inspect is {}; -Dforge.force=true reruns it", d.reason());
                    return new InspectResult(existing, req.output(), true, d.reason());
                } catch (ToolException e) {
                    LOG.info("forge:inspect reruns: the existing {} cannot be read back ({})", req.output(),
                            e.getMessage());
                }
            } else {
                LOG.info("forge:inspect runs: {}", d.reason());
            }
            Toolset ts;
            try (ToolProvider p = FileToolProvider.open(req.toolsFile(), req.toolsFileLabel())) {
                ts = p.listTools();
            }
            return finish(req, state, inputHash, ts, "imported from " + req.toolsFileLabel());
        }
        ServerSpec spec = req.server();
        LOG.info("forge:inspect lists the tools of a live server every time (its tools can change without notice; "
                + "the up-to-date check applies to -Dforge.toolsFile only)");
        LOG.info("Connecting to MCP server: {}", spec.commandLine());
        fp.config("server.command", String.join("\u0000", spec.command()))
                .config("server.env", new TreeMap<>(spec.env()).toString())
                .config("server.workingDirectory", spec.workingDirectory())
                .config("server.timeout", spec.timeout());
        Toolset ts;
        try (ToolProvider p = opener.open(spec, req.record())) {
            ts = p.listTools();
        }
        if (ts.tools().isEmpty()) {
            throw new ToolException("the MCP server " + spec.commandLine() + " lists no tools; a model needs at "
                    + "least one tool (check the server's arguments, e.g. which toolsets it enables)");
        }
        fp.config("toolsetHash", ts.hash());
        return finish(req, state, fp.build(), ts, "listed from the live server");
    }

    private InspectResult finish(InspectRequest req, PipelineState state, String inputHash, Toolset ts, String how)
            throws ToolException, IOException {
        SchemaCheck.check(ts);
        byte[] bytes = (Json.PRETTY.writeValueAsString(ts.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        Path out = req.output();
        if (Files.isRegularFile(out) && Arrays.equals(Files.readAllBytes(out), bytes)) {
            LOG.debug("{} unchanged", out);
        } else {
            AtomicFiles.write(out, bytes);
        }
        state.record(STAGE, inputHash, List.of(out), Map.of(
                "toolsetHash", ts.hash(),
                "tools", Integer.toString(ts.tools().size()),
                "source", ts.source()));
        return new InspectResult(ts, out, false, how);
    }
}
