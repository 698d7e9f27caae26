package dev.mcpforge.train;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.train.TrainRequest;
import dev.mcpforge.engine.train.Trainer;
import dev.mcpforge.pipeline.AtomicFiles;
import dev.mcpforge.tools.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code forge.train.draws}: N training runs that differ only in their seed (the tiny model's initial weights and the
 * shuffling; the data and its held-out split stay the same) each train the first {@code forge.train.drawEpochs}
 * epochs of the run's schedule. The draw whose held-out tool choice is best (then the lower held-out loss, then the
 * earlier draw) is kept: its checkpoint becomes the run's, and the run resumes from it to the last epoch, exactly as
 * an interrupted run resumes. So the kept model is the one that draw would have given alone.
 *
 * <p>Each draw checkpoints into its own directory under a run key of its own, so an interrupted build skips the draws
 * already done and resumes the one it was in; the choice is written beside the run's checkpoint ({@link #CHOICE_FILE})
 * so that a build interrupted after it resumes the kept draw without drawing again.
 */
final class Draws {
    private static final Logger LOG = LoggerFactory.getLogger(Draws.class);
    /** The choice, beside the kept draw's checkpoint in the run's checkpoint directory. */
    static final String CHOICE_FILE = "draw.json";
    static final String BY_TOOL_CHOICE = "held-out tool choice";
    static final String BY_LOSS = "held-out loss (the held-out split has no tool calls)";

    /** The kept draw (0-based), its seed, what decided, every draw's numbers, and a line for the log and notes. */
    record Choice(int draw, long seed, String chosenBy, ArrayNode runs, String line) {
    }

    private final TrainService.RunPlan plan;
    private final TrainSettings eff;
    private final TrainService.TinyBase tinyBase;
    private final Path dir;
    private final Path work;
    private final Path lossLog;

    /**
     * @param tinyBase builds the tiny model for a draw's seed (null: every draw starts from the plan's base model)
     * @param dir      the draws' checkpoint directories ({@code draw-1}, {@code draw-2}, ...)
     * @param lossLog  the run's per-step loss log: it gets the kept draw's lines
     */
    Draws(TrainService.RunPlan plan, TrainSettings eff, TrainService.TinyBase tinyBase, Path dir, Path work,
          Path lossLog) {
        this.plan = plan;
        this.eff = eff;
        this.tinyBase = tinyBase;
        this.dir = dir;
        this.work = work;
        this.lossLog = lossLog;
    }

    /** The run key of draw {@code d}: its checkpoints never pass for another draw's or the plain run's. */
    static String runKey(String inputHash, int d) {
        return inputHash + "#draw-" + (d + 1);
    }

    /** Trains the draws (or finds an earlier choice), leaves the kept draw's checkpoint in {@code ckDir}. */
    Choice choose(Path ckDir) throws IOException {
        Choice earlier = earlierChoice(ckDir);
        if (earlier != null) {
            LOG.info("Draws: {} (chosen by an earlier build); resuming it", earlier.line());
            return earlier;
        }
        int n = eff.draws();
        LOG.info("Draws: {} runs of {} of {} epochs each (seeds {}..{}); the best held-out tool choice goes on", n,
                eff.drawEpochs(), eff.epochs(), eff.drawSeed(0), eff.drawSeed(n - 1));
        ArrayNode runs = Json.MAPPER.createArrayNode();
        List<JsonNode> last = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            last.add(train(d));
            ObjectNode o = runs.addObject();
            o.put("draw", d + 1);
            o.put("seed", eff.drawSeed(d));
            for (String k : List.of("evalToolChoice", "evalToolCalls", "evalTurnDecision", "evalTurns", "evalLoss",
                    "evalAccuracy", "trainLoss", "trainingSeconds")) {
                if (last.get(d).has(k)) {
                    o.set(k, last.get(d).get(k));
                }
            }
            LOG.info("Draw {}/{} (seed {}) after epoch {}: {}", d + 1, n, eff.drawSeed(d), eff.drawEpochs(),
                    describe(last.get(d)));
        }
        boolean byChoice = last.stream().anyMatch(e -> e.path("evalToolChoice").isNumber());
        int best = 0;
        for (int d = 1; d < n; d++) {
            if (better(last.get(d), last.get(best), byChoice)) {
                best = d;
            }
        }
        for (int d = 0; d < n; d++) {
            ((ObjectNode) runs.get(d)).put("kept", d == best);
        }
        List<String> others = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            if (d != best) {
                others.add(byChoice ? pct(last.get(d).path("evalToolChoice")) : num(last.get(d).path("evalLoss")));
            }
        }
        String line = String.format(Locale.ROOT, "kept draw %d of %d (seed %d): %s %s after %d epoch(s), against %s;"
                + " it trains on to epoch %d", best + 1, n, eff.drawSeed(best), byChoice ? "held-out tool choice"
                : "held-out loss", byChoice ? pct(last.get(best).path("evalToolChoice"))
                : num(last.get(best).path("evalLoss")), eff.drawEpochs(), String.join(" / ", others), eff.epochs());
        Choice c = new Choice(best, eff.drawSeed(best), byChoice ? BY_TOOL_CHOICE : BY_LOSS, runs, line);
        keep(c, ckDir);
        LOG.info("Draws: {}", line);
        return c;
    }

    /** Whether draw result {@code a} beats {@code b}: the higher tool choice (when compared), then the lower loss. */
    static boolean better(JsonNode a, JsonNode b, boolean byChoice) {
        if (byChoice) {
            double ca = a.path("evalToolChoice").asDouble(-1);
            double cb = b.path("evalToolChoice").asDouble(-1);
            if (ca != cb) {
                return ca > cb;
            }
        }
        double la = a.path("evalLoss").isNumber() ? a.get("evalLoss").asDouble() : Double.POSITIVE_INFINITY;
        double lb = b.path("evalLoss").isNumber() ? b.get("evalLoss").asDouble() : Double.POSITIVE_INFINITY;
        return la < lb;
    }

    /** Trains draw {@code d} to its last trial epoch (resuming its own checkpoint); returns that epoch's numbers. */
    private JsonNode train(int d) throws IOException {
        long seed = eff.drawSeed(d);
        Path dDir = dir.resolve("draw-" + (d + 1));
        String key = runKey(plan.inputHash(), d);
        int done = TrainService.resume(dDir, key, eff.epochs()).startEpoch();
        String prefix = "draw " + (d + 1) + "/" + eff.draws() + ": ";
        if (done >= eff.drawEpochs()) {
            LOG.info("{}its {} epoch(s) are done already (checkpoint in {})", prefix, eff.drawEpochs(), dDir);
        } else {
            Path start;
            if (done > 0) {
                start = work.resolve("draw-resume-from.gguf");
                Files.copy(dDir.resolve(Trainer.CHECKPOINT_MODEL), start, StandardCopyOption.REPLACE_EXISTING);
            } else if (tinyBase != null) {
                start = work.resolve("draw-base.gguf");
                tinyBase.build(seed, start);
            } else {
                start = plan.base();
            }
            LOG.info("{}seed {}, epochs {}..{} of {}", prefix, seed, done + 1, eff.drawEpochs(), eff.epochs());
            Files.createDirectories(dDir);
            TrainRequest tr = plan.request(eff, start, work.resolve("draw.gguf"), dDir, done, seed, key, -1,
                    eff.drawEpochs());
            try {
                plan.run(tr, new TrainService.ProgressLog(eff, dDir.resolve(TrainService.LOSS_LOG), done, prefix,
                        eff.drawEpochs()));
            } catch (EngineException e) {
                throw TrainService.failed(e, dDir);
            }
        }
        JsonNode state = Json.MAPPER.readTree(Files.readString(dDir.resolve(Trainer.CHECKPOINT_STATE)));
        double seconds = 0;
        for (JsonNode e : state.path("history")) {
            seconds += e.path("epoch").asInt() <= eff.drawEpochs() ? e.path("seconds").asDouble() : 0;
        }
        for (JsonNode e : state.path("history")) {
            if (e.path("epoch").asInt() == eff.drawEpochs()) {
                // the draw's numbers after its last trial epoch, with the time of all its trial epochs
                return ((ObjectNode) e.deepCopy()).put("trainingSeconds", seconds);
            }
        }
        throw new IllegalStateException("Draw " + (d + 1) + " finished without the numbers of epoch "
                + eff.drawEpochs() + " in " + dDir.resolve(Trainer.CHECKPOINT_STATE));
    }

    /** Makes the kept draw's checkpoint (model, optimizer state, state file, loss lines) the run's, with the choice. */
    private void keep(Choice c, Path ckDir) throws IOException {
        Path from = dir.resolve("draw-" + (c.draw() + 1));
        TrainService.deleteTree(ckDir);
        Files.createDirectories(ckDir);
        for (String f : List.of(Trainer.CHECKPOINT_MODEL, Trainer.CHECKPOINT_OPTIMIZER)) {
            if (Files.exists(from.resolve(f))) {
                Files.copy(from.resolve(f), ckDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (lossLog != null && Files.exists(from.resolve(TrainService.LOSS_LOG))) {
            Files.copy(from.resolve(TrainService.LOSS_LOG), lossLog, StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("runKey", plan.inputHash());
        o.put("draw", c.draw() + 1);
        o.put("seed", c.seed());
        o.put("chosenBy", c.chosenBy());
        o.put("line", c.line());
        o.set("runs", c.runs());
        AtomicFiles.writeString(ckDir.resolve(CHOICE_FILE), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(o) + "\n");
        // the state file last: until it is there, the run's checkpoint is not resumable
        Files.copy(from.resolve(Trainer.CHECKPOINT_STATE), ckDir.resolve(Trainer.CHECKPOINT_STATE),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The choice an earlier build of the same inputs made, when its kept checkpoint is still there. */
    private Choice earlierChoice(Path ckDir) {
        Path f = ckDir.resolve(CHOICE_FILE);
        if (!Files.isRegularFile(f) || !Files.isRegularFile(ckDir.resolve(Trainer.CHECKPOINT_STATE))) {
            return null;
        }
        try {
            JsonNode o = Json.MAPPER.readTree(Files.readString(f));
            if (!plan.inputHash().equals(o.path("runKey").asString("")) || o.path("draw").asInt() < 1
                    || o.path("draw").asInt() > eff.draws()) {
                return null;
            }
            int d = o.get("draw").asInt() - 1;
            return new Choice(d, eff.drawSeed(d), o.path("chosenBy").asString(BY_TOOL_CHOICE),
                    o.path("runs").isArray() ? (ArrayNode) o.get("runs") : Json.MAPPER.createArrayNode(),
                    o.path("line").asString("kept draw " + (d + 1)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Draws: the earlier choice {} is unreadable ({}); drawing again", f, e.getMessage());
            return null;
        }
    }

    /** "held-out loss 1.245, tool choice 73.8 % (48 of 65 held-out calls)": the epoch line's words. */
    private static String describe(JsonNode e) {
        String choice = TrainService.ProgressLog.toolChoice(e);
        return "held-out loss " + num(e.path("evalLoss")) + (choice.isEmpty() ? ", no held-out tool calls" : choice)
                + TrainService.ProgressLog.turnDecision(e);
    }

    private static String pct(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f %%", 100 * n.asDouble()) : "n/a";
    }

    /** A loss as the progress log writes it. */
    private static String num(JsonNode n) {
        return TrainService.ProgressLog.num(n);
    }
}
