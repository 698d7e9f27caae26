package dev.mcpforge.data.teacher;

import dev.mcpforge.data.Message;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.ToolCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The teacher half of the seed's hybrid synthesis: while the request budget lasts, the teacher rewrites the user
 * request of an offline sample into more natural, varied wording; every argument value must still appear verbatim
 * (else the offline wording is kept and the rewrite counted as rejected). The offline synthesizer supplies the
 * rest of the plan. Used for offline samples once the {@link TeacherSeeder} has its seeds. Teacher samples go through the QA gate like any other.
 */
public final class TeacherParaphraser {

    private static final Logger LOG = LoggerFactory.getLogger(TeacherParaphraser.class);

    static final String SYSTEM = "You rewrite requests that a user sends to an assistant. Rewrite the request in"
            + " different, natural words, as a real person would type it. Keep every quoted value, number, path, name"
            + " and identifier exactly as written, character for character. Do not answer the request. Reply with the"
            + " rewritten request only.";

    private final ChatCompletions client;
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private boolean disabled;

    public TeacherParaphraser(ChatCompletions client) {
        this.client = client;
        for (String k : List.of("teacher_paraphrased", "teacher_rejected_paraphrase", "teacher_errors")) {
            counters.put(k, 0);
        }
    }

    public Map<String, Integer> counters() {
        return new LinkedHashMap<>(counters);
    }

    /**
     * The sample with a teacher-written user request, or {@code s} unchanged (budget used up, error, or a rewrite
     * that lost an argument value).
     *
     * @throws TeacherException when the endpoint is unusable (unreachable, auth error): the build should stop
     */
    public Sample improve(Sample s) throws TeacherException {
        if (disabled || !client.budgetLeft()) {
            return s;
        }
        String user = s.userText();
        String rewritten;
        try {
            rewritten = client.complete(SYSTEM, user).strip();
        } catch (TeacherException e) {
            if (e.fatal()) {
                throw e;
            }
            counters.merge("teacher_errors", 1, Integer::sum);
            LOG.warn("Teacher request failed, keeping the offline sample {}: {}", s.id(), e.getMessage());
            if (counters.get("teacher_errors") >= 10 && counters.get("teacher_paraphrased") == 0) {
                LOG.warn("The teacher failed 10 times without one usable answer: continuing offline only");
                disabled = true;
            }
            return s;
        }
        if (rewritten.startsWith("\"") && rewritten.endsWith("\"") && rewritten.length() > 2
                && !user.startsWith("\"")) {
            rewritten = rewritten.substring(1, rewritten.length() - 1).strip();
        }
        for (String v : requiredLiterals(s)) {
            if (!rewritten.contains(v)) {
                counters.merge("teacher_rejected_paraphrase", 1, Integer::sum);
                return s;
            }
        }
        if (rewritten.isEmpty() || rewritten.length() > 4 * user.length() + 200 || !keepsTopic(user, rewritten)) {
            counters.merge("teacher_rejected_paraphrase", 1, Integer::sum);
            return s;
        }
        List<Message> msgs = new ArrayList<>(s.messages());
        for (int i = 0; i < msgs.size(); i++) {
            if ("user".equals(msgs.get(i).role())) {
                msgs.set(i, msgs.get(i).withContent(rewritten));
                break;
            }
        }
        counters.merge("teacher_paraphrased", 1, Integer::sum);
        return new Sample(s.id(), "teacher", s.scenario(), s.toolName(), msgs);
    }

    /** At least 30% of the original's content words (longer than 3 letters) survive the rewrite. */
    static boolean keepsTopic(String original, String rewritten) {
        String lower = rewritten.toLowerCase(java.util.Locale.ROOT);
        int words = 0;
        int kept = 0;
        for (String w : original.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() > 3) {
                words++;
                if (lower.contains(w)) {
                    kept++;
                }
            }
        }
        return words == 0 || kept * 10 >= words * 3;
    }

    /** Values of the sample's calls that the user must have written: strings and numbers, at any depth. */
    static List<String> requiredLiterals(Sample s) {
        List<String> out = new ArrayList<>();
        for (ToolCall c : s.toolCalls()) {
            collect(c.arguments(), out);
        }
        return out;
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isString()) {
            out.add(n.asString());
        } else if (n.isNumber()) {
            out.add(n.asString());
        } else if (n.isContainer()) {
            for (JsonNode x : n) {
                collect(x, out);
            }
        }
    }
}
