package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The offline, schema-driven synthesizer ({@code forge.teacher=offline}): turns a planned slot (scenario, tool)
 * into one conversation. Deterministic: a sample depends only on the seed, its index and the samples before it
 * (through the duplicate index). When a {@link ToolProvider} that can execute is given, standard and edge calls
 * are really executed and the real result is used (APIGen's execution check); a call that fails is redrawn and,
 * after three failures, the slot is dropped and counted.
 */
public final class OfflineSynthesizer {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineSynthesizer.class);

    /** The system prompt of every sample; the chat format adds the tool definitions. */
    public static final String SYSTEM_PROMPT = "You are a helpful assistant with access to tools. Call a tool only"
            + " when the request needs one, with arguments copied exactly from the request; otherwise answer"
            + " directly. If a tool fails, explain what happened.";

    private static final int DEDUP_ATTEMPTS = 30;
    private static final List<String> NO_TOOL_POST = List.of("", "", "", " Thanks!", " Thank you.", " Cheers.",
            " Just curious.", " No rush.", " Keep it short, please.");

    private final Toolset toolset;
    private final ToolProvider executor;
    private final java.util.function.Predicate<ToolDefinition> executable;
    private final ArgumentSampler sampler;
    private final ResultSynthesizer results;
    private final Map<String, ToolVocabulary> vocab = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private final List<GeneralPool.OutOfScope> outOfScope = new ArrayList<>();
    /** Tools whose requests name their object in full (siblings share the everyday wording). */
    private final Set<String> qualified;
    /** Tools whose description starts a sibling's: their requests are not worded from it. */
    private final Set<String> sharedPurpose;

    /**
     * @param executor a provider that can run the tools (live server or stub), or null to synthesise results
     */
    public OfflineSynthesizer(Toolset toolset, ToolProvider executor, SchemaValidator validator) {
        this(toolset, executor, t -> true, validator);
    }

    /**
     * @param executable which tools may really be executed (the others get synthetic results); data generation
     *                   must not run destructive tools against a user's live server unless told to
     */
    public OfflineSynthesizer(Toolset toolset, ToolProvider executor,
                              java.util.function.Predicate<ToolDefinition> executable, SchemaValidator validator) {
        this.executable = executable;
        this.toolset = toolset;
        this.executor = executor != null && executor.supportsExecution() ? executor : null;
        this.sampler = new ArgumentSampler(validator);
        this.results = new ResultSynthesizer(sampler);
        this.qualified = NaturalRequests.mustQualify(toolset.tools());
        this.sharedPurpose = NaturalRequests.sharedPurpose(toolset.tools());
        Set<String> domain = new java.util.HashSet<>();
        for (ToolDefinition t : toolset.tools()) {
            ToolVocabulary v = ToolVocabulary.of(t);
            vocab.put(t.name(), v);
            domain.addAll(v.words());
        }
        for (GeneralPool.OutOfScope o : GeneralPool.OUT_OF_SCOPE) {
            boolean clash = false;
            for (String k : o.keywords().split(" ")) {
                clash |= domain.contains(k);
            }
            if (!clash) {
                outOfScope.add(o);
            }
        }
        for (String k : List.of("executed", "execution_errors", "dropped_execution", "duplicate_retries",
                "accepted_duplicates", "dropped_duplicates")) {
            counters.put(k, 0);
        }
    }

    /** Checks every tool can be sampled; throws {@link UnsatisfiableSchemaException} naming the first that cannot. */
    public void checkTools() {
        for (ToolDefinition t : toolset.tools()) {
            sampler.sample(t, new Random(1), ArgumentSampler.Mode.TYPICAL, 0.5);
        }
    }

    /** Counts of executions, execution errors, drops and duplicate retries so far. */
    public Map<String, Integer> counters() {
        return new LinkedHashMap<>(counters);
    }

    public boolean executes() {
        return executor != null;
    }

    /**
     * One sample for {@code slot}, or null when it had to be dropped (execution kept failing).
     *
     * @param seed   the sample's own seed (derive it from the run seed and the sample index)
     * @param unique duplicate index: the sample's user text is added to it; null to skip the check
     * @param strict when true a sample that stays a duplicate is dropped (null), else it is kept (QA drops it)
     */
    public Sample generate(SynthesisPlan.Slot slot, String id, long seed, NearDuplicates unique, boolean strict) {
        Sample last = null;
        for (int attempt = 0; attempt < DEDUP_ATTEMPTS; attempt++) {
            Random r = new Random(NearDuplicates.mix(seed * 31 + attempt));
            Sample s = build(slot, id, r);
            if (s == null) {
                return null;
            }
            last = s;
            if (unique == null || unique.add(s.userText())) {
                return s;
            }
            counters.merge("duplicate_retries", 1, Integer::sum);
        }
        if (strict) {
            counters.merge("dropped_duplicates", 1, Integer::sum);
            return null;
        }
        counters.merge("accepted_duplicates", 1, Integer::sum);
        return last;
    }

    private Sample build(SynthesisPlan.Slot slot, String id, Random r) {
        return switch (slot.scenario()) {
            case NO_TOOL -> noTool(id, r);
            case STANDARD -> toolSample(id, Scenario.STANDARD, tool(slot), r);
            case EDGE -> toolSample(id, Scenario.EDGE, tool(slot), r);
            case ERROR -> error(id, tool(slot), r);
            case AMBIGUOUS -> ambiguous(id, tool(slot), r);
        };
    }

    private ToolDefinition tool(SynthesisPlan.Slot slot) {
        return toolset.find(slot.tool()).orElseThrow(() -> new IllegalArgumentException("unknown tool " + slot.tool()));
    }

    private static String source() {
        return "offline";
    }

    private Sample noTool(String id, Random r) {
        int kind = r.nextInt(10);
        String q;
        String a;
        if (kind < 6 || outOfScope.isEmpty() && kind < 8) {
            GeneralPool.QA qa = r.nextInt(3) == 0 ? GeneralPool.generated(r) : ValuePools.pick(GeneralPool.GENERAL, r);
            q = prefixed(ValuePools.pick(List.of("", "", "Hey, ", "Quick question: ", "Random one: ", "Hi! ",
                    "Off topic, but ", "Hello. ", "Just curious: ", "OK, ", "Before we start, ", "Question for you: ",
                    "Hmm, "), r), qa.question()) + ValuePools.pick(NO_TOOL_POST, r);
            a = qa.answer();
        } else if (kind < 8) {
            GeneralPool.OutOfScope o = ValuePools.pick(outOfScope, r);
            q = prefixed(ValuePools.pick(List.of("", "", "Please ", "Can you help? ", "Hey, ", "Hi! ", "Quick one: ",
                    "I need a favour. ", "OK, "), r), o.request()) + ValuePools.pick(NO_TOOL_POST, r);
            List<String> can = new ArrayList<>();
            List<ToolVocabulary> all = new ArrayList<>(vocab.values());
            for (int i = 0; i < Math.min(2, all.size()); i++) {
                can.add(all.get(r.nextInt(all.size())).action());
            }
            a = "I can't " + o.task() + ": none of my tools does that. I can help with things like "
                    + Phrasing.join(can.stream().distinct().toList()) + ".";
        } else {
            // near the toolset's domain, answerable from the tool descriptions without calling anything
            ToolVocabulary v = ValuePools.pick(new ArrayList<>(vocab.values()), r);
            q = ValuePools.pick(List.of("Without running anything, what is " + v.tool() + " for?",
                    "Just explain, don't run it: what does the " + v.tool() + " tool do?",
                    "Before we start, what can " + v.tool() + " be used for?",
                    "No need to call anything. What would " + v.tool() + " do?"), r);
            a = v.purpose().isBlank() ? "The " + v.tool() + " tool lets me " + v.action() + "."
                    : "The " + v.tool() + " tool is used to " + v.purpose() + ". Tell me when you want me to run it.";
        }

        return new Sample(id, source(), Scenario.NO_TOOL.id(), null,
                List.of(Message.system(SYSTEM_PROMPT), Message.user(Phrasing.capitalize(q)), Message.assistant(a)));
    }

    /** Prefix + text, lower-casing the text's first letter after "Hey, ", "Please ", "Quick one: " (not "I"). */
    static String prefixed(String prefix, String text) {
        boolean lower = prefix.endsWith(", ") || prefix.endsWith(": ") || prefix.equals("Please ");
        if (!lower || text.length() < 2 || text.startsWith("I ") || text.startsWith("I'")) {
            return prefix + text;
        }
        return prefix + Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private Sample toolSample(String id, Scenario scenario, ToolDefinition tool, Random r) {
        ToolVocabulary v = vocab.get(tool.name());
        ArgumentSampler.Mode mode = scenario == Scenario.EDGE ? ArgumentSampler.Mode.BOUNDARY : ArgumentSampler.Mode.TYPICAL;
        for (int attempt = 0; attempt < 3; attempt++) {
            ObjectNode args = sampler.sample(tool, r, mode, 0.35);
            ToolCallResult res = execute(tool, v, args, r);
            if (res == null) {
                continue;
            }
            String user = Phrasing.request(v, tool.inputSchema().get("properties"), args,
                    qualified.contains(tool.name()), !sharedPurpose.contains(tool.name()), r);
            return new Sample(id, source(), scenario.id(), tool.name(), List.of(
                    Message.system(SYSTEM_PROMPT), Message.user(user),
                    Message.assistantCall(null, new ToolCall(tool.name(), args)),
                    Message.tool(tool.name(), res.text(), false),
                    Message.assistant(Phrasing.finalAnswer(v, res.text(), r))));
        }
        counters.merge("dropped_execution", 1, Integer::sum);
        return null;
    }

    /**
     * A tool sample around a user request and call written by someone else (the teacher): the result is real (when
     * executing) or synthetic, the final answer summarises it. Null when the real call failed (counted).
     *
     * @param source the sample's source field, e.g. {@code teacher}
     */
    public Sample withRequest(String id, String source, Scenario scenario, String toolName, String userText,
                              ObjectNode args, long seed) {
        ToolDefinition tool = toolset.find(toolName).orElseThrow(
                () -> new IllegalArgumentException("unknown tool " + toolName));
        ToolVocabulary v = vocab.get(tool.name());
        Random r = new Random(NearDuplicates.mix(seed));
        ToolCallResult res = execute(tool, v, args, r);
        if (res == null) {
            counters.merge("dropped_execution", 1, Integer::sum);
            return null;
        }
        return new Sample(id, source, scenario.id(), tool.name(), List.of(
                Message.system(SYSTEM_PROMPT), Message.user(userText),
                Message.assistantCall(null, new ToolCall(tool.name(), args)),
                Message.tool(tool.name(), res.text(), false),
                Message.assistant(Phrasing.finalAnswer(v, res.text(), r))));
    }

    /** The real result (when executing) or a synthetic one; null when the real call failed. */
    private ToolCallResult execute(ToolDefinition tool, ToolVocabulary v, ObjectNode args, Random r) {
        if (executor == null || !executable.test(tool)) {
            return results.result(tool, v, args, r);
        }
        counters.merge("executed", 1, Integer::sum);
        try {
            ToolCallResult res = executor.callTool(tool.name(), args.deepCopy());
            if (res.isError()) {
                counters.merge("execution_errors", 1, Integer::sum);
                LOG.debug("{} {} failed: {}", tool.name(), Json.abbreviate(args), res.text());
                return null;
            }
            return res;
        } catch (ToolException e) {
            counters.merge("execution_errors", 1, Integer::sum);
            LOG.debug("{} {} failed: {}", tool.name(), Json.abbreviate(args), e.getMessage());
            return null;
        }
    }

    private Sample error(String id, ToolDefinition tool, Random r) {
        ToolVocabulary v = vocab.get(tool.name());
        ObjectNode args = sampler.sample(tool, r, ArgumentSampler.Mode.TYPICAL, 0.35);
        String firstArg = null;
        String firstVal = null;
        for (String k : args.propertyNames()) {
            JsonNode x = args.get(k);
            if (x.isValueNode() && !x.isBoolean()) {
                firstArg = k;
                firstVal = x.asString();
                break;
            }
        }
        String kind = ValuePools.pick(List.of("not_found", "not_found", "timeout", "empty", "permission", "error"), r);
        String text;
        boolean isError = true;
        switch (kind) {
            case "not_found" -> text = firstVal == null ? "Error: resource not found"
                    : ValuePools.pick(List.of("Error: '" + firstVal + "' not found",
                            "{\"error\":\"not_found\",\"message\":\"No match for '" + firstVal + "'\"}",
                            "Error: ENOENT: no such item: " + firstVal), r);
            case "timeout" -> text = ValuePools.pick(List.of("Error: request timed out after 30 seconds",
                    "Error: the operation timed out", "{\"error\":\"timeout\",\"message\":\"no response within 60s\"}"), r);
            case "permission" -> text = ValuePools.pick(List.of("Error: permission denied",
                    "Error: access denied: the operation is not allowed in this environment"), r);
            case "empty" -> {
                text = ValuePools.pick(List.of("", "[]", "{}", "No results."), r);
                isError = false;
            }
            default -> text = ValuePools.pick(List.of("Error: internal server error",
                    "Error: the service is temporarily unavailable", "Error: unexpected failure while processing the request"), r);
        }
        return new Sample(id, source(), Scenario.ERROR.id(), tool.name(), List.of(
                Message.system(SYSTEM_PROMPT), Message.user(Phrasing.request(v, tool.inputSchema().get("properties"), args,
                    qualified.contains(tool.name()), !sharedPurpose.contains(tool.name()), r)),
                Message.assistantCall(null, new ToolCall(tool.name(), args)),
                Message.tool(tool.name(), text, isError),
                Message.assistant(Phrasing.errorAnswer(v, kind, firstArg, r))));
    }

    private Sample ambiguous(String id, ToolDefinition tool, Random r) {
        ToolVocabulary v = vocab.get(tool.name());
        List<String> missing = new ArrayList<>();
        for (String req : tool.requiredArguments()) {
            JsonNode p = tool.inputSchema().path("properties").path(req);
            if (!p.has("enum") && !p.has("const") && !"boolean".equals(ArgumentSampler.text(p.get("type")))) {
                missing.add(req);
            }
        }
        if (!missing.isEmpty() && r.nextBoolean()) {
            return new Sample(id, source(), Scenario.AMBIGUOUS.id(), tool.name(), List.of(
                    Message.system(SYSTEM_PROMPT), Message.user(Phrasing.vagueRequest(v, qualified.contains(tool.name()), r)),
                    Message.assistant(Phrasing.clarify(v, missing, r))));
        }
        ToolVocabulary other = sibling(v);
        ObjectNode args = sampler.sample(tool, r, ArgumentSampler.Mode.TYPICAL, 0.2);
        ToolCallResult res = execute(tool, v, args, r);
        if (res == null) {
            counters.merge("dropped_execution", 1, Integer::sum);
            return null;
        }
        return new Sample(id, source(), Scenario.AMBIGUOUS.id(), tool.name(), List.of(
                Message.system(SYSTEM_PROMPT), Message.user(Phrasing.ambiguousRequest(v, args, r)),
                Message.assistantCall(Phrasing.pickReason(v, other, r), new ToolCall(tool.name(), args)),
                Message.tool(tool.name(), res.text(), false),
                Message.assistant(Phrasing.finalAnswer(v, res.text(), r))));
    }

    /** The tool sharing the most vocabulary with {@code v} (a plausible alternative), or null. */
    private ToolVocabulary sibling(ToolVocabulary v) {
        ToolVocabulary best = null;
        int bestScore = 0;
        Map<String, Integer> score = new HashMap<>();
        for (ToolVocabulary o : vocab.values()) {
            if (o.tool().equals(v.tool())) {
                continue;
            }
            int s = 0;
            for (String w : o.words()) {
                if (v.words().contains(w)) {
                    s++;
                }
            }
            score.put(o.tool(), s);
            if (s > bestScore) {
                bestScore = s;
                best = o;
            }
        }
        return bestScore >= 2 ? best : null;
    }
}
