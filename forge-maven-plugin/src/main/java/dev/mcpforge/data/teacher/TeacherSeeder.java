package dev.mcpforge.data.teacher;

import dev.mcpforge.data.Message;
import dev.mcpforge.data.NearDuplicates;
import dev.mcpforge.data.OfflineSynthesizer;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.Scenario;
import dev.mcpforge.data.SchemaValidator;
import dev.mcpforge.data.SynthesisPlan;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The teacher half of the seed's hybrid synthesis: for standard, edge and no-tool slots it asks the teacher for a few
 * seed conversations per (scenario, tool) as JSON ({@code [{"request": ..., "arguments": {...}}]}, or
 * {@code [{"request": ..., "answer": ...}]} for no-tool), keeps those whose arguments validate against the tool's
 * schema and whose string values appear verbatim in the request, and builds the rest of the conversation (real or
 * synthetic result, final answer) with the offline synthesizer. Slots the teacher did not fill (budget used up,
 * rejected or duplicate seeds, error/ambiguous scenarios) are filled by the offline synthesizer, so the plan's
 * counts hold. Every rejection is counted by reason; the QA gate then checks these samples like any other.
 */
public final class TeacherSeeder {

    private static final Logger LOG = LoggerFactory.getLogger(TeacherSeeder.class);

    static final String SYSTEM = "You write training data for a small tool-calling assistant. Reply with a JSON array"
            + " only, no prose and no code fences.";
    /** Seeds asked for per request. */
    static final int PER_REQUEST = 5;
    /** Requests per (scenario, tool) at most: after that the offline synthesizer supplies that slot kind. */
    static final int ASKS_PER_KEY = 2;

    private final ChatCompletions client;
    private final Toolset toolset;
    private final OfflineSynthesizer synth;
    private final SchemaValidator validator;
    private final Map<String, Deque<JsonNode>> pools = new HashMap<>();
    private final Map<String, Integer> asks = new HashMap<>();
    private final Map<String, Integer> slotsLeft = new HashMap<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();

    public TeacherSeeder(ChatCompletions client, Toolset toolset, OfflineSynthesizer synth, SchemaValidator validator) {
        this.client = client;
        this.toolset = toolset;
        this.synth = synth;
        this.validator = validator;
        for (String k : List.of("teacher_seeded", "teacher_invalid_json", "teacher_rejected_schema",
                "teacher_rejected_verbatim", "teacher_rejected_other", "teacher_duplicates", "teacher_errors")) {
            counters.put(k, 0);
        }
    }

    public Map<String, Integer> counters() {
        return new LinkedHashMap<>(counters);
    }

    /** Tells the seeder which slots are coming, so that {@link #pendingRequests()} can reserve budget for them. */
    public void plan(List<SynthesisPlan.Slot> slots) {
        for (SynthesisPlan.Slot s : slots) {
            String k = key(s);
            if (k != null) {
                slotsLeft.merge(k, 1, Integer::sum);
            }
        }
    }

    /**
     * Requests the seeder may still make for the planned slots: the budget paraphrasing must leave (seeds are worth
     * more than paraphrases).
     */
    public int pendingRequests() {
        int n = 0;
        for (Map.Entry<String, Integer> e : slotsLeft.entrySet()) {
            int unfilled = e.getValue() - pools.getOrDefault(e.getKey(), new ArrayDeque<>()).size();
            if (unfilled > 0) {
                n += Math.min(ASKS_PER_KEY - asks.getOrDefault(e.getKey(), 0), (unfilled + PER_REQUEST - 1) / PER_REQUEST);
            }
        }
        return n;
    }

    private static String key(SynthesisPlan.Slot slot) {
        return switch (slot.scenario()) {
            case NO_TOOL -> slot.scenario().id();
            case STANDARD, EDGE -> slot.scenario().id() + "/" + slot.tool();
            default -> null;
        };
    }

    /**
     * A teacher-seeded sample for {@code slot}, or null when the teacher has none (the caller falls back to the
     * offline synthesizer).
     *
     * @throws TeacherException when the endpoint is unusable (unreachable, auth error): the build should stop
     */
    public Sample seed(SynthesisPlan.Slot slot, String id, long seed, NearDuplicates seen) throws TeacherException {
        Scenario sc = slot.scenario();
        String key = key(slot);
        if (key == null) {
            return null;
        }
        slotsLeft.computeIfPresent(key, (k, v) -> v > 1 ? v - 1 : null);
        Deque<JsonNode> pool = pools.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (true) {
            if (pool.isEmpty()) {
                if (asks.getOrDefault(key, 0) >= ASKS_PER_KEY || !client.budgetLeft()) {
                    return null;
                }
                asks.merge(key, 1, Integer::sum);
                fill(sc, slot.tool(), pool);
                if (pool.isEmpty()) {
                    continue;
                }
            }
            Sample s = build(sc, slot.tool(), pool.poll(), id, seed);
            if (s == null) {
                continue;
            }
            if (seen != null && !seen.add(s.userText())) {
                counters.merge("teacher_duplicates", 1, Integer::sum);
                continue;
            }
            counters.merge("teacher_seeded", 1, Integer::sum);
            return s;
        }
    }

    private void fill(Scenario sc, String toolName, Deque<JsonNode> pool) throws TeacherException {
        String answer;
        try {
            answer = client.complete(SYSTEM, sc == Scenario.NO_TOOL ? noToolPrompt() : toolPrompt(sc, tool(toolName)));
        } catch (TeacherException e) {
            if (e.fatal()) {
                throw e;
            }
            counters.merge("teacher_errors", 1, Integer::sum);
            LOG.warn("Teacher request failed, the offline synthesizer fills in: {}", e.getMessage());
            return;
        }
        JsonNode items = parseArray(answer);
        if (items == null) {
            counters.merge("teacher_invalid_json", 1, Integer::sum);
            LOG.debug("teacher answer is not a JSON array: {}", clip(answer, 200));
            return;
        }
        items.forEach(pool::add);
    }

    private Sample build(Scenario sc, String toolName, JsonNode item, String id, long seed) {
        String request = item.path("request").isString() ? item.path("request").asString().strip() : "";
        if (request.isEmpty() || request.length() > 2000) {
            counters.merge("teacher_rejected_other", 1, Integer::sum);
            return null;
        }
        if (sc == Scenario.NO_TOOL) {
            String answer = item.path("answer").isString() ? item.path("answer").asString().strip() : "";
            if (answer.isEmpty() || item.has("arguments")) {
                counters.merge("teacher_rejected_other", 1, Integer::sum);
                return null;
            }
            return new Sample(id, "teacher", sc.id(), null, List.of(Message.system(OfflineSynthesizer.SYSTEM_PROMPT),
                    Message.user(request), Message.assistant(answer)));
        }
        JsonNode args = item.get("arguments");
        if (args != null && args.isString()) {
            try {
                args = Json.MAPPER.readTree(args.asString());
            } catch (JacksonException e) {
                args = null;
            }
        }
        if (args == null || !args.isObject()) {
            counters.merge("teacher_rejected_schema", 1, Integer::sum);
            return null;
        }
        if (!validator.isValid(tool(toolName).inputSchema(), args)) {
            counters.merge("teacher_rejected_schema", 1, Integer::sum);
            return null;
        }
        for (String v : stringValues(args)) {
            if (!request.contains(v)) {
                counters.merge("teacher_rejected_verbatim", 1, Integer::sum);
                return null;
            }
        }
        return synth.withRequest(id, "teacher", sc, toolName, request, (ObjectNode) args, seed);
    }

    /** The first JSON array in the answer (models wrap it in prose or code fences despite being told not to). */
    static JsonNode parseArray(String answer) {
        int a = answer.indexOf('[');
        int b = answer.lastIndexOf(']');
        if (a < 0 || b <= a) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(answer.substring(a, b + 1));
            return n != null && n.isArray() ? n : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** String values at any depth: what the user must have typed for the call to be right. */
    static List<String> stringValues(JsonNode n) {
        List<String> out = new ArrayList<>();
        collect(n, out);
        return out;
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isString()) {
            out.add(n.asString());
        } else if (n.isContainer()) {
            for (JsonNode x : n) {
                collect(x, out);
            }
        }
    }

    private static String clip(String s, int max) {
        String t = s.replace('\n', ' ');
        return t.length() > max ? t.substring(0, max) + "…" : t;
    }

    private ToolDefinition tool(String name) {
        return toolset.find(name).orElseThrow(() -> new IllegalArgumentException("unknown tool " + name));
    }

    static String toolPrompt(Scenario sc, ToolDefinition t) {
        return "Tool name: " + t.name() + "\nDescription: " + (t.description() == null ? "" : t.description())
                + "\nInput schema (JSON Schema): " + Json.MAPPER.writeValueAsString(t.inputSchema())
                + "\n\nWrite " + PER_REQUEST + " different requests a user could type to an assistant that need"
                + " exactly one call of this tool, each with the arguments of that call. Vary the wording, length and"
                + " tone. Every string argument value must appear in the request exactly, character for character."
                + (sc == Scenario.EDGE ? " Use boundary cases: leave optional arguments out, use minimum or maximum"
                + " values, very short or unusual but valid values." : "")
                + "\nReply with a JSON array only: [{\"request\": \"...\", \"arguments\": {...}}]";
    }

    private String noToolPrompt() {
        StringBuilder sb = new StringBuilder("An assistant has these tools:\n");
        for (ToolDefinition t : toolset.tools()) {
            sb.append("- ").append(t.name()).append(": ").append(t.description() == null ? "" : clip(t.description(), 300)).append('\n');
        }
        return sb + "\nWrite " + PER_REQUEST + " different questions or requests a user might send that need none of"
                + " these tools (general knowledge, small talk, or tasks the tools cannot do), each with a short,"
                + " helpful answer (for impossible tasks, say so and what the tools can do instead)."
                + "\nReply with a JSON array only: [{\"request\": \"...\", \"answer\": \"...\"}]";
    }
}
