package dev.mcpforge.data;

import dev.mcpforge.data.teacher.ChatCompletions;
import dev.mcpforge.data.teacher.TeacherException;
import dev.mcpforge.data.teacher.TeacherParaphraser;
import dev.mcpforge.data.teacher.TeacherSeeder;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code forge:generate} as a plain service: reads tools.json, builds the {@link SynthesisPlan}, writes the plan,
 * the training set and a held-out eval set (different seed; no eval prompt is a near-duplicate of a training
 * prompt). Same inputs and seed give byte-identical files.
 */
public final class GenerateService {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateService.class);
    /** Eval samples use this seed offset so they differ from training samples. */
    static final long EVAL_SEED_SALT = 0x5EEDEA1L;

    private final ToolProvider executor;
    private final ExecutionPolicy policy;
    private final ChatCompletions teacherClient;

    /** @param executor provider used to execute calls (real results), or null to synthesise results */
    public GenerateService(ToolProvider executor) {
        this(executor, ExecutionPolicy.ALL);
    }

    /**
     * @param executor provider used to execute calls (real results), or null to synthesise results
     * @param policy   which tools the executor may run; the others get synthetic results
     */
    public GenerateService(ToolProvider executor, ExecutionPolicy policy) {
        this(executor, policy, null);
    }

    /**
     * @param teacherClient the teacher endpoint (used when the request says {@code forge.teacher=openai}); built by
     *                      {@link dev.mcpforge.data.teacher.TeacherLoader} from the resolved openai-java jars
     */
    public GenerateService(ToolProvider executor, ExecutionPolicy policy, ChatCompletions teacherClient) {
        this.executor = executor;
        this.policy = policy == null ? ExecutionPolicy.ALL : policy;
        this.teacherClient = teacherClient;
    }

    public GenerateService() {
        this(null);
    }

    /** Reads a tools.json file with a clear message for a missing or malformed file. */
    public static Toolset readTools(Path toolsFile) throws IOException {
        String text;
        try {
            text = Files.readString(toolsFile);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("tools file " + toolsFile + " does not exist: run forge:inspect first"
                    + " or point -Dforge.tools at a tools.json");
        }
        try {
            return Toolset.fromJson(Json.MAPPER.readTree(text), toolsFile.toString());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tools file " + toolsFile + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    public SynthesisPlan plan(GenerateRequest req, Toolset toolset) {
        if (toolset.tools().isEmpty()) {
            throw new IllegalArgumentException("the toolset in " + req.toolsFile() + " has no tools: nothing to"
                    + " generate training data for; check that the MCP server lists at least one tool");
        }
        int eval = (int) Math.round(req.samples() * req.evalRatio());
        return new SynthesisPlan(req.samples(), eval, SynthesisPlan.toolWeights(toolset.names(),
                withRetiredTools(req.toolWeights(), toolset)), req.weights(), req.seed(), toolset.hash());
    }

    /**
     * The weight overrides plus weight 0 for each deprecated tool ({@link ToolDefinition#deprecated()}) that they do
     * not name: a model should call the replacement the server points to, and near-identical samples labelled with
     * the old and the new tool (server-filesystem's {@code read_file} and {@code read_text_file}) would teach it to
     * pick between them at random. Naming the tool in {@code forge.toolWeights} trains it again. Nothing is retired
     * when that would leave no tool with a positive weight.
     */
    static Map<String, Double> withRetiredTools(Map<String, Double> overrides, Toolset toolset) {
        List<String> retired = toolset.tools().stream().filter(ToolDefinition::deprecated).map(ToolDefinition::name)
                .filter(n -> !overrides.containsKey(n)).toList();
        if (retired.isEmpty()) {
            return overrides;
        }
        Map<String, Double> out = new LinkedHashMap<>(overrides);
        retired.forEach(n -> out.put(n, 0.0));
        boolean anyLeft = toolset.names().stream().anyMatch(n -> out.getOrDefault(n, 1.0) > 0);
        if (!anyLeft) {
            return overrides;
        }
        LOG.info("Deprecated tool(s) {} get no samples: their descriptions point to a replacement, and the model"
                + " should call that one (train them anyway with -Dforge.toolWeights={}=1)", retired, retired.get(0));
        return out;
    }

    public GenerateResult generate(GenerateRequest req) throws IOException {
        long start = System.nanoTime();
        Toolset toolset = readTools(req.toolsFile());
        SynthesisPlan plan = plan(req, toolset);
        if (!"offline".equals(req.teacher()) && !"openai".equals(req.teacher())) {
            throw new IllegalArgumentException("forge.teacher must be 'offline' or 'openai', got '" + req.teacher() + "'");
        }
        SchemaValidator validator = new SchemaValidator();
        OfflineSynthesizer synth = new OfflineSynthesizer(toolset, executor, policy::allows, validator);
        synth.checkTools();
        Teacher teacher = null;
        if ("openai".equals(req.teacher())) {
            if (req.teacherConfig() == null) {
                throw new IllegalArgumentException("forge.teacher=openai needs -Dforge.teacher.baseUrl and"
                        + " -Dforge.teacher.model");
            }
            req.teacherConfig().validate();
            if (teacherClient == null) {
                throw new IllegalStateException("forge.teacher=openai but no teacher client was loaded");
            }
            teacher = new Teacher(teacherClient, new TeacherSeeder(teacherClient, toolset, synth, validator),
                    new TeacherParaphraser(teacherClient), req.teacherConfig().maxRequests());
            LOG.info("Teacher {} at {} seeds standard, edge and no-tool samples (budget {} requests); the offline"
                    + " synthesizer fills the rest", req.teacherConfig().model(), req.teacherConfig().baseUrl(),
                    req.teacherConfig().maxRequests());
        }
        plan.write(req.planFile());
        LOG.info("Synthesis plan: {} training + {} eval samples over {} tools, seed {}, scenarios {} -> {}",
                plan.totalSamples(), plan.evalSamples(), toolset.tools().size(), plan.seed(),
                plan.scenarioCounts(plan.totalSamples()), req.planFile());
        if (synth.executes()) {
            LOG.info("Tools are executed: standard and edge samples use real results");
        }
        NearDuplicates seen = new NearDuplicates(0.95);
        List<SynthesisPlan.Slot> trainSlots = plan.slots(plan.totalSamples(), plan.seed());
        if (teacher != null) {
            teacher.seeder().plan(trainSlots);
        }
        int train = write(req.trainFile(), "train", trainSlots, plan.seed(), synth,
                seen, "training", true, teacher);
        long evalSeed = plan.seed() ^ EVAL_SEED_SALT;
        int eval = write(req.evalFile(), "eval", plan.slots(plan.evalSamples(), evalSeed), evalSeed, synth, seen,
                "eval", true, null);
        long ms = (System.nanoTime() - start) / 1_000_000;
        Map<String, Integer> counters = synth.counters();
        if (teacher != null) {
            counters.putAll(teacher.counters());
        }
        if (train < plan.totalSamples()) {
            LOG.warn("Only {} of {} planned training samples were written: {} slots yielded only near-duplicates"
                    + " and {} failed execution; the toolset's variety is exhausted at this size: lower forge.samples"
                    + " or add a teacher", train, plan.totalSamples(), counters.get("dropped_duplicates"),
                    counters.get("dropped_execution"));
        }
        LOG.info("Wrote {} training samples to {} and {} eval samples to {} in {} ms ({})", train, req.trainFile(),
                eval, req.evalFile(), ms, counters);
        return new GenerateResult(req.trainFile(), req.evalFile(), req.planFile(), train, eval, counters, ms);
    }

    private static int write(Path file, String prefix, List<SynthesisPlan.Slot> slots, long seed,
                             OfflineSynthesizer synth, NearDuplicates seen, String what, boolean strict,
                             Teacher teacher) throws IOException {
        int n = slots.size();
        int step = Math.max(1, n / 10);
        try (SampleJsonl.Writer w = new SampleJsonl.Writer(file)) {
            for (int i = 0; i < n; i++) {
                // a dropped slot (failed execution, or a duplicate in strict mode) is retried with fresh draws,
                // so that the scenario and tool counts of the plan hold
                Sample s = null;
                if (teacher != null) {
                    try {
                        s = teacher.seeder().seed(slots.get(i), String.format("%s-%06d", prefix, w.count() + 1),
                                seed * 1_000_003L + i, seen);
                    } catch (TeacherException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                }
                boolean offline = s == null;
                for (int retry = 0; retry < 4 && s == null; retry++) {
                    s = synth.generate(slots.get(i), String.format("%s-%06d", prefix, w.count() + 1),
                            seed * 1_000_003L + i + retry * 7_919_000_001L, seen, strict);
                }
                if (s != null && offline && teacher != null && teacher.mayParaphrase()) {
                    try {
                        s = teacher.paraphraser().improve(s);
                    } catch (TeacherException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                }
                if (s != null) {
                    w.write(s);
                }
                if ((i + 1) % step == 0 && n >= 500) {
                    LOG.info("  {}: {}/{} samples", what, i + 1, n);
                }
            }
            return (int) w.count();
        }
    }

    /** The teacher's two uses: seeds first, then paraphrases of offline samples while the budget lasts. */
    private record Teacher(ChatCompletions client, TeacherSeeder seeder, TeacherParaphraser paraphraser,
                           int maxRequests) {
        /** Paraphrasing spends only the budget that seeding of the remaining slots will not need. */
        boolean mayParaphrase() {
            return client.requests() + seeder.pendingRequests() < maxRequests;
        }

        Map<String, Integer> counters() {
            Map<String, Integer> m = new java.util.LinkedHashMap<>();
            m.put("teacher_requests", client.requests());
            m.putAll(seeder.counters());
            m.putAll(paraphraser.counters());
            m.merge("teacher_errors", seeder.counters().get("teacher_errors"), Integer::sum);
            m.put("teacher_samples", m.get("teacher_seeded") + m.get("teacher_paraphrased"));
            m.put("teacher_rejected", m.get("teacher_invalid_json") + m.get("teacher_rejected_schema")
                    + m.get("teacher_rejected_verbatim") + m.get("teacher_rejected_other")
                    + m.get("teacher_rejected_paraphrase"));
            return m;
        }
    }
}
