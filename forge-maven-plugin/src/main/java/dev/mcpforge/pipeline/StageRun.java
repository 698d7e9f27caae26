package dev.mcpforge.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of a pipeline stage against {@code state.json}: decides up front whether the stage is up to date (same
 * input fingerprint, outputs unchanged; {@code -Dforge.force} reruns), and records the outputs when the stage is done.
 * <pre>{@code
 * StageRun run = StageRun.begin(forgeDir, baseDir, "generate", fingerprint, force);
 * if (run.upToDate()) { log("forge:generate is " + run.reason()); return; }
 * ... work ...
 * run.done(List.of(train, eval), Map.of("samples", "2000"));
 * }</pre>
 */
public final class StageRun {

    private final PipelineState state;
    private final String stage;
    private final String inputHash;
    private final PipelineState.Decision decision;

    private StageRun(PipelineState state, String stage, String inputHash, PipelineState.Decision decision) {
        this.state = state;
        this.stage = stage;
        this.inputHash = inputHash;
        this.decision = decision;
    }

    public static StageRun begin(Path forgeDir, Path baseDir, String stage, Fingerprint inputs, boolean force) {
        PipelineState state = PipelineState.load(forgeDir, baseDir);
        String hash = inputs.build();
        return new StageRun(state, stage, hash, state.check(stage, hash, force));
    }

    public boolean upToDate() {
        return decision.upToDate();
    }

    /** Why the stage runs or is skipped, for the log. */
    public String reason() {
        return decision.reason();
    }

    public String inputHash() {
        return inputHash;
    }

    /** Records the finished stage with its outputs' hashes. */
    public void done(List<Path> outputs, Map<String, String> details) throws IOException {
        state.record(stage, inputHash, outputs, details);
    }
}
