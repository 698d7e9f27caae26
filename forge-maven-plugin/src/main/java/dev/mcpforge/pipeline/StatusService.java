package dev.mcpforge.pipeline;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code forge:status}: the stage table from {@code state.json}. "Up to date" here means the recorded outputs are
 * present and unchanged; whether the <em>inputs</em> changed is decided by each goal when it runs (it re-computes
 * its fingerprint), so a stage shown as up to date can still rerun after its configuration changed.
 */
public final class StatusService {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    public List<String> lines(Path forgeDir, Path baseDir) {
        PipelineState state = PipelineState.load(forgeDir, baseDir);
        List<String> out = new ArrayList<>();
        if (state.loadProblem().isPresent()) {
            out.add("Pipeline state " + state.loadProblem().get());
            out.add("Delete it (or run with -Dforge.force=true) to start clean.");
            return out;
        }
        if (!state.exists() || state.stages().isEmpty()) {
            out.add("No pipeline state yet: " + state.file() + " does not exist.");
            out.add("Run a stage first, e.g. mvn forge:inspect -Dforge.toolsFile=tools.json (or mvn package).");
            return out;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"stage", "inputs", "finished", "up to date", "outputs"});
        for (StageRecord r : state.stages()) {
            String outputs = r.outputs().isEmpty() ? "-"
                    : String.join(", ", r.outputs().stream().map(StageRecord.Output::path).toList());
            String ok = state.outputsProblem(r).map(p -> "no: " + p).orElse("yes");
            rows.add(new String[] {r.stage(), PipelineState.shortHash(r.inputHash()), TIME.format(r.finishedAt()), ok,
                    outputs});
        }
        int[] w = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        out.add("Pipeline state (" + state.file() + "):");
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < w.length; i++) {
                sb.append(row[i]).append(" ".repeat(w[i] - row[i].length() + 2));
            }
            sb.append(row[4]);
            out.add(sb.toString().stripTrailing());
        }
        for (StageRecord r : state.stages()) {
            if (!r.details().isEmpty()) {
                out.add("  " + r.stage() + ": " + r.details());
            }
        }
        out.add("(\"up to date\" checks the outputs; each goal also re-fingerprints its inputs when it runs. "
                + "-Dforge.force=true reruns a stage.)");
        return out;
    }
}
