package dev.mcpforge.pipeline;

import dev.mcpforge.tools.ServerSpec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code forge:inspect} was asked to do. Exactly one of {@code toolsFile} and {@code server} is set.
 *
 * @param toolsFile      a tools file to import (tools.json, YAML, OpenAI tools/functions), or null
 * @param toolsFileLabel how the tools file is named in tools.json's {@code source} (e.g. relative to the project)
 * @param server         the MCP server to list, or null
 * @param output         where to write tools.json
 * @param forgeDir       the pipeline work directory (state.json lives here)
 * @param baseDir        the project base directory (paths in state.json are relative to it)
 * @param record         where to record call fixtures from a live server, or null (see {@link InspectService})
 * @param force          rerun even when up to date
 * @param pluginVersion  part of the fingerprint: a new plugin may write tools.json differently
 */
public record InspectRequest(Path toolsFile, String toolsFileLabel, ServerSpec server, Path output, Path forgeDir,
                             Path baseDir, Path record, boolean force, String pluginVersion) {

    public InspectRequest {
        if ((toolsFile == null) == (server == null)) {
            throw new IllegalArgumentException("exactly one of toolsFile and server must be set");
        }
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(forgeDir, "forgeDir");
        Objects.requireNonNull(baseDir, "baseDir");
        if (toolsFile != null && toolsFileLabel == null) {
            toolsFileLabel = toolsFile.toString();
        }
    }
}
