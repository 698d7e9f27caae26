package dev.mcpforge.tools;

import dev.mcpforge.tools.stub.Fixtures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decorates a provider and records every {@code tools/call} (its name, arguments and result, {@code isError}
 * results included) into a fixtures file that the stub server replays ({@link Fixtures} format). Existing
 * entries of the file are kept; a call with the same tool and canonical arguments replaces its old entry. The
 * file is rewritten after each call, so an interrupted run keeps what it recorded. Transport failures
 * (ToolException) are not recorded.
 */
public final class RecordingToolProvider implements ToolProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingToolProvider.class);

    private final ToolProvider delegate;
    private final Path file;
    private final Fixtures fixtures;

    /**
     * @param delegate the live provider (must support execution)
     * @param file     the fixtures file (JSON Lines); created if missing, merged into if present
     * @throws ToolException when the existing file is malformed
     */
    public RecordingToolProvider(ToolProvider delegate, Path file) throws ToolException {
        this.delegate = delegate;
        this.file = file;
        this.fixtures = Files.exists(file) ? Fixtures.load(file) : new Fixtures();
    }

    @Override
    public Toolset listTools() throws ToolException {
        return delegate.listTools();
    }

    @Override
    public ToolCallResult callTool(String name, ObjectNode arguments) throws ToolException {
        ToolCallResult r = delegate.callTool(name, arguments);
        fixtures.put(new Fixtures.Entry(name, arguments, r));
        try {
            fixtures.write(file);
        } catch (IOException e) {
            throw new ToolException("cannot write the fixtures file " + file + ": " + e.getMessage()
                    + "; check -Dforge.record points to a writable path", e);
        }
        LOG.debug("recorded tools/call '{}' into {}", name, file);
        return r;
    }

    /** How many calls the file holds now. */
    public int recorded() {
        return fixtures.size();
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean supportsExecution() {
        return delegate.supportsExecution();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
