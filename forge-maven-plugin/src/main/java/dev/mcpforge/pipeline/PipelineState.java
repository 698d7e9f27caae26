package dev.mcpforge.pipeline;

import dev.mcpforge.tools.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline's memory: {@code target/forge/state.json}, one {@link StageRecord} per finished stage. Every goal
 * asks {@link #check} whether its work is up to date (same input fingerprint, outputs present and unchanged) and
 * calls {@link #record} when it has finished. The file is a cache: if it is unreadable the stages simply run again
 * (with a warning), nothing fails because of it. Writes are atomic (temp file + rename).
 */
public final class PipelineState {

    public static final String FILE_NAME = "state.json";
    public static final int FORMAT_VERSION = 1;

    /** Stages in lifecycle order, for display; unknown stages sort after these, by name. */
    public static final List<String> STAGE_ORDER = List.of("inspect", "generate", "qa", "train", "validate", "gguf",
            "bundle", "verify", "benchmark");

    private static final Logger LOG = LoggerFactory.getLogger(PipelineState.class);

    private final Path file;
    private final Path baseDir;
    private final Map<String, StageRecord> stages = new LinkedHashMap<>();
    private final String loadProblem;

    private PipelineState(Path file, Path baseDir, String loadProblem) {
        this.file = file;
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.loadProblem = loadProblem;
    }

    /**
     * Loads {@code forgeDir/state.json} (an empty state when it does not exist or cannot be read).
     *
     * @param forgeDir the pipeline's work directory ({@code target/forge})
     * @param baseDir  the project base directory; output paths are stored relative to it
     */
    public static PipelineState load(Path forgeDir, Path baseDir) {
        Path f = forgeDir.resolve(FILE_NAME);
        if (!Files.exists(f)) {
            return new PipelineState(f, baseDir, null);
        }
        try {
            JsonNode root = Json.MAPPER.readTree(Files.readString(f));
            PipelineState s = new PipelineState(f, baseDir, null);
            JsonNode arr = root.path("stages");
            if (!arr.isArray()) {
                throw new IllegalArgumentException("no \"stages\" array");
            }
            for (JsonNode n : arr) {
                StageRecord r = fromJson(n);
                s.stages.put(r.stage(), r);
            }
            return s;
        } catch (IOException | JacksonException | IllegalArgumentException | NullPointerException
                 | DateTimeParseException e) {
            String problem = f + " is unreadable (" + e.getMessage() + "); every stage will run again";
            LOG.warn(problem);
            return new PipelineState(f, baseDir, problem);
        }
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Why the file could not be read, or empty when it was fine (or absent). */
    public Optional<String> loadProblem() {
        return Optional.ofNullable(loadProblem);
    }

    public Optional<StageRecord> get(String stage) {
        return Optional.ofNullable(stages.get(stage));
    }

    /** All records, in lifecycle order. */
    public List<StageRecord> stages() {
        List<StageRecord> out = new ArrayList<>(stages.values());
        out.sort(Comparator.comparingInt((StageRecord r) -> {
            int i = STAGE_ORDER.indexOf(r.stage());
            return i < 0 ? STAGE_ORDER.size() : i;
        }).thenComparing(StageRecord::stage));
        return out;
    }

    /**
     * Whether {@code stage} can be skipped: same input fingerprint as recorded, and every recorded output still
     * present with the same content. {@code force} always reruns.
     */
    public Decision check(String stage, String inputHash, boolean force) {
        if (force) {
            return new Decision(false, "forced (-Dforge.force=true)");
        }
        StageRecord r = stages.get(stage);
        if (r == null) {
            return new Decision(false, "no earlier run recorded in " + file.getFileName());
        }
        if (!r.inputHash().equals(inputHash)) {
            return new Decision(false, "inputs or configuration changed since the last run");
        }
        Optional<String> outputs = outputsProblem(r);
        return outputs.map(p -> new Decision(false, p))
                .orElseGet(() -> new Decision(true, "up to date (inputs " + shortHash(inputHash) + ")"));
    }

    /** Empty when every output of {@code r} is present and unchanged; else what is wrong with the first bad one. */
    public Optional<String> outputsProblem(StageRecord r) {
        for (StageRecord.Output o : r.outputs()) {
            Path p = resolve(o.path());
            if (!Files.isRegularFile(p)) {
                return Optional.of("output " + o.path() + " is missing");
            }
            try {
                if (!Fingerprint.sha256Hex(p).equals(o.sha256())) {
                    return Optional.of("output " + o.path() + " was changed since the last run");
                }
            } catch (IOException e) {
                return Optional.of("output " + o.path() + " is unreadable: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Describes an output file as recorded: its path relative to the project and its current sha256. */
    public StageRecord.Output output(Path file) throws IOException {
        return new StageRecord.Output(relativize(file), Fingerprint.sha256Hex(file));
    }

    /** Records a finished stage and writes state.json atomically. */
    public void record(String stage, String inputHash, List<Path> outputs, Map<String, String> details)
            throws IOException {
        List<StageRecord.Output> outs = new ArrayList<>();
        for (Path p : outputs) {
            outs.add(output(p));
        }
        record(new StageRecord(stage, inputHash, outs, Instant.now(), details));
    }

    public void record(StageRecord r) throws IOException {
        stages.put(r.stage(), r);
        save();
    }

    private void save() throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        ArrayNode arr = root.putArray("stages");
        for (StageRecord r : stages()) {
            arr.add(toJson(r));
        }
        AtomicFiles.writeString(file, Json.PRETTY.writeValueAsString(root) + "\n");
    }

    String relativize(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (abs.startsWith(baseDir)) {
            return baseDir.relativize(abs).toString().replace('\\', '/');
        }
        return abs.toString();
    }

    Path resolve(String recorded) {
        Path p = Path.of(recorded);
        return p.isAbsolute() ? p : baseDir.resolve(p);
    }

    public static String shortHash(String hash) {
        if (hash == null) {
            return "-";
        }
        String h = hash.startsWith("sha256:") ? hash.substring("sha256:".length()) : hash;
        return h.length() > 12 ? h.substring(0, 12) : h;
    }

    static ObjectNode toJson(StageRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("stage", r.stage());
        n.put("inputHash", r.inputHash());
        ArrayNode outs = n.putArray("outputs");
        for (StageRecord.Output o : r.outputs()) {
            outs.addObject().put("path", o.path()).put("sha256", o.sha256());
        }
        n.put("finishedAt", r.finishedAt().toString());
        ObjectNode d = n.putObject("details");
        r.details().forEach(d::put);
        return n;
    }

    static StageRecord fromJson(JsonNode n) {
        List<StageRecord.Output> outs = new ArrayList<>();
        for (JsonNode o : n.path("outputs")) {
            outs.add(new StageRecord.Output(o.get("path").asString(), o.get("sha256").asString()));
        }
        Map<String, String> details = new LinkedHashMap<>();
        JsonNode d = n.path("details");
        for (String k : d.propertyNames()) {
            details.put(k, d.get(k).asString());
        }
        return new StageRecord(n.get("stage").asString(), n.get("inputHash").asString(), outs,
                Instant.parse(n.get("finishedAt").asString()), details);
    }

    /**
     * The answer of {@link #check}.
     *
     * @param upToDate true when the stage can be skipped
     * @param reason   why (for the log line)
     */
    public record Decision(boolean upToDate, String reason) {
    }
}
