package dev.mcpforge.pipeline;

import dev.mcpforge.tools.Toolset;

import java.nio.file.Path;

/**
 * What {@code forge:inspect} did.
 *
 * @param toolset  the tools (read back from tools.json when the stage was up to date)
 * @param output   the tools.json written (or kept)
 * @param skipped  true when nothing was redone because the inputs had not changed
 * @param reason   why it ran or was skipped (for the log)
 */
public record InspectResult(Toolset toolset, Path output, boolean skipped, String reason) {
}
