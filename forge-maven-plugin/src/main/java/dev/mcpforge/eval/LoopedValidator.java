package dev.mcpforge.eval;

import dev.mcpforge.data.SchemaValidator;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.tools.ToolCallResult;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's §4.4 loop, per case: prompt the model → parse → validate the arguments against the schema → execute
 * (live server or stub) → feed the result back → generate the final answer → check it.
 *
 * <p>Error cases: a healthy server rarely fails on demand, so an error case whose sample recorded a failed tool result
 * feeds that recorded result back instead of executing (fault injection); the step list says so. A transport failure
 * (server died, timed out) fails the case with the reason, and the server is restarted for the next call as long as
 * restarting helps: a restarted server that fails again before it has answered a single call, or a server that does
 * not start, is not started again, and the remaining calls fail with that reason. A model that calls a slow tool with a
 * long duration (server-everything's {@code trigger-long-running-operation} for 41 s against the 30 s timeout) costs
 * that case, not every case after it, which a once-per-run restart did (docs/benchmarks.md, everything run 10).
 */
public final class LoopedValidator {
    private static final Logger LOG = LoggerFactory.getLogger(LoopedValidator.class);

    /** Words that acknowledge a failed tool call in a final answer. */
    static final Pattern ACKNOWLEDGES = Pattern.compile("(?i)\\b(sorry|unfortunately|error|errors|fail|failed|failure"
            + "|could ?n[o']t|couldn't|unable|cannot|can't|can not|not found|does not exist|doesn't exist|no such"
            + "|timed out|time ?out|denied|not allowed|no results|nothing|problem|issue|did ?n[o']t|didn't|invalid"
            + "|unavailable|try again)\\b");

    private final ModelBackend model;
    private final Toolset toolset;
    private final ArrayNode toolsJson;
    private final Supplier<ToolProvider> providers;
    private final ModelBackend.Options options;
    private final SchemaValidator schemas = new SchemaValidator();
    private ToolProvider provider;
    /** Whether the running server (or the next one to start, at first) has answered a call since it started. */
    private boolean answeredSinceStart = true;
    private int restarts;
    private String dead;

    /**
     * @param providers starts the tool provider (called once, and again after each failure that a restart can help)
     */
    public LoopedValidator(ModelBackend model, Toolset toolset, Supplier<ToolProvider> providers,
                           ModelBackend.Options options) {
        this.model = model;
        this.toolset = toolset;
        this.toolsJson = toolset.toolsJson();
        this.providers = providers;
        this.options = options;
    }

    /** Runs every case {@code repeats} times (run i uses seed {@code options.seed + i}). */
    public List<CaseResult> run(List<EvalCase> cases, int repeats, Consumer<CaseResult> progress) {
        List<CaseResult> out = new ArrayList<>();
        try {
            for (EvalCase c : cases) {
                for (int k = 0; k < repeats; k++) {
                    CaseResult r = runCase(c, k);
                    out.add(r);
                    progress.accept(r);
                }
            }
        } finally {
            if (provider != null) {
                provider.close();
                provider = null;
            }
        }
        return out;
    }

    CaseResult runCase(EvalCase c, int run) {
        Trace t = new Trace(c, run);
        ModelBackend.Options o = new ModelBackend.Options(options.maxTokens(), options.constrained(),
                options.temperature(), options.seed() + run, options.spans());
        List<ChatMessage> conv = new ArrayList<>(c.prompt());
        ModelBackend.Reply first;
        try {
            first = model.generate(conv, toolsJson, o);
        } catch (EngineException e) {
            if (e.kind() != EngineException.Kind.INVALID_REQUEST) {
                throw e;
            }
            t.step("generation refused: " + e.getMessage());
            String hint = e.getMessage().contains("context holds") ? " Set -Dforge.ctx to a larger context, or train with"
                    + " a larger -Dforge.contextLength (the tools' descriptions are part of every prompt)." : "";
            return t.done(false, "the model could not answer: " + e.getMessage() + hint);
        }
        t.millis += first.millis();
        t.raw = first.text();
        // under constrained decoding the grammar fixes the syntax: only the format's own call syntax is a call
        ToolCallParser.Result p = o.constrained() ? ToolCallParser.parseStrict(first.text(), model.format())
                : ToolCallParser.parse(first.text(), model.format());
        t.calls = p.calls();
        t.parseError = p.error();
        t.attempted = p.attempted();
        t.parsed = p.valid();
        t.step("reply 1 (" + first.summary() + "): " + ToolCallParser.abbreviate(first.text()));

        if (!c.expectsCall()) {
            String leak = syntaxLeak(p.content());
            t.noToolOk = !p.attempted() && !p.content().isBlank() && leak == null;
            if (p.attempted()) {
                t.parsedChecks(p);
                return t.done(false, "called a tool where no call was expected: "
                        + (p.calls().isEmpty() ? p.error() : names(p.calls())));
            }
            if (p.content().isBlank()) {
                return t.done(false, "empty answer");
            }
            if (leak != null) {
                return t.done(false, "the answer is not prose: " + leak);
            }
            return t.done(true, null);
        }
        if (!p.attempted()) {
            return t.done(false, "no tool call (expected " + names(c.expected()) + ")");
        }
        if (!p.valid()) {
            t.parsedChecks(p);
            return t.done(false, "unparseable tool call: " + p.error());
        }
        String schemaProblem = t.parsedChecks(p);
        t.selected = names(p.calls()).equals(names(c.expected()));
        String argProblem = ArgumentMatcher.mismatch(c.expected(), p.calls(), this::schemaOf);
        t.argumentsOk = argProblem == null;
        if (schemaProblem != null) {
            t.step("schema: " + schemaProblem);
            return t.done(false, "schema violation: " + schemaProblem);
        }
        // execute
        conv.add(ChatMessage.assistant(p.content(), p.calls()));
        boolean anyError = false;
        for (ToolCall call : p.calls()) {
            ToolCallResult res;
            if (c.injectedResult() != null) {
                res = ToolCallResult.text(c.injectedResult(), c.injectedError());
                t.step("tool " + call.name() + ": injected recorded result (isError=" + c.injectedError() + "): "
                        + ToolCallParser.abbreviate(c.injectedResult()));
            } else {
                try {
                    res = execute(call);
                } catch (ToolException | RuntimeException e) {
                    t.step("tool " + call.name() + " failed: " + e.getMessage());
                    return t.done(false, "tool execution failed: " + e.getMessage());
                }
                t.step("tool " + call.name() + " (isError=" + res.isError() + "): " + ToolCallParser.abbreviate(res.text()));
            }
            anyError |= res.isError();
            conv.add(ChatMessage.toolResult(call.name(), res.text()));
        }
        t.executed = true;
        ModelBackend.Reply second;
        try {
            second = model.generate(conv, toolsJson, o.withConstrained(false));
        } catch (EngineException e) {
            if (e.kind() != EngineException.Kind.INVALID_REQUEST) {
                throw e;
            }
            t.step("generation refused: " + e.getMessage());
            return t.done(false, "the model could not give a final answer: " + e.getMessage());
        }
        t.millis += second.millis();
        t.finalOutput = second.text();
        t.step("reply 2 (" + second.summary() + "): " + ToolCallParser.abbreviate(second.text()));
        ToolCallParser.Result fin = ToolCallParser.parse(second.text(), model.format());
        String loopProblem = null;
        if (fin.attempted()) {
            loopProblem = "the final answer makes a further tool call";
        } else if (fin.content().isBlank()) {
            loopProblem = "empty final answer";
        }
        t.loopComplete = loopProblem == null;
        boolean isErrorCase = "error".equals(c.scenario());
        if (isErrorCase) {
            t.graceful = t.loopComplete && (!anyError || ACKNOWLEDGES.matcher(fin.content()).find());
        }
        if (!t.selected) {
            return t.done(false, "wrong tool: expected " + names(c.expected()) + ", got " + names(p.calls()));
        }
        if (!t.argumentsOk) {
            return t.done(false, "wrong arguments: " + argProblem);
        }
        if (loopProblem != null) {
            return t.done(false, loopProblem);
        }
        if (isErrorCase && !t.graceful) {
            return t.done(false, "the final answer does not acknowledge the failed tool call");
        }
        return t.done(true, null);
    }

    private ToolCallResult execute(ToolCall call) throws ToolException {
        ObjectNode args = (ObjectNode) call.arguments();
        if (dead != null) {
            throw new ToolException("the tool server is not started again (" + dead + ")");
        }
        if (provider == null) {
            try {
                provider = providers.get();
            } catch (RuntimeException e) {
                dead = "it did not start: " + e.getMessage();
                throw e;
            }
        }
        try {
            ToolCallResult r = provider.callTool(call.name(), args);
            answeredSinceStart = true;
            return r;
        } catch (ToolException | RuntimeException e) {
            provider.close();
            provider = null;
            if (answeredSinceStart) {
                answeredSinceStart = false;
                restarts++;
                LOG.warn("The tool server failed ({}); it is restarted for the next call (restart {})",
                        e.getMessage(), restarts);
            } else {
                dead = "restart " + restarts + " failed again before answering a call: " + e.getMessage();
                LOG.warn("The tool server {}; the remaining tool calls of this run fail", dead);
            }
            throw e;
        }
    }

    private JsonNode schemaOf(String tool) {
        return toolset.find(tool).map(ToolDefinition::inputSchema).orElse(null);
    }

    static List<String> names(List<ToolCall> calls) {
        return calls.stream().map(ToolCall::name).sorted().toList();
    }

    /** Mutable accumulator for one run. */
    private final class Trace {
        final EvalCase c;
        final int run;
        final List<String> steps = new ArrayList<>();
        String raw = "";
        List<ToolCall> calls = List.of();
        String parseError;
        String finalOutput;
        boolean attempted, parsed, schemaValid, selected, argumentsOk, executed, loopComplete, graceful, noToolOk;
        long millis;

        Trace(EvalCase c, int run) {
            this.c = c;
            this.run = run;
        }

        void step(String s) {
            steps.add(s);
        }

        /** Sets schemaValid from the parsed calls; returns the first problem or null. */
        String parsedChecks(ToolCallParser.Result p) {
            if (!p.valid()) {
                return "no valid call";
            }
            for (ToolCall call : p.calls()) {
                Optional<ToolDefinition> def = toolset.find(call.name());
                if (def.isEmpty()) {
                    return "unknown tool '" + call.name() + "'";
                }
                List<SchemaValidator.Violation> v = schemas.validate(def.get().inputSchema(), call.arguments());
                if (!v.isEmpty()) {
                    return call.name() + ": " + v.get(0);
                }
            }
            schemaValid = true;
            return null;
        }

        CaseResult done(boolean passed, String reason) {
            if (reason != null) {
                step("FAILED: " + reason);
            }
            return new CaseResult(c, run, raw, calls, parseError, finalOutput, attempted, parsed, schemaValid, selected,
                    argumentsOk, executed, loopComplete, graceful, noToolOk, passed, reason, millis, steps);
        }
    }

    /**
     * Why an answer without a parseable call is still not an answer: a model that never learned to call tools tends to
     * continue the tool list's JSON or emit broken call syntax, which the parser rightly does not count as a call
     * attempt but which is no answer to the user either. Null when the text reads as prose.
     */
    static String syntaxLeak(String content) {
        String t = content.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            return "it starts like JSON (a broken tool call or the tool list), not an answer to the user";
        }
        for (String marker : new String[] {"<tool_call", "</tool_call", "<|", "\"inputSchema\"", "\"properties\":"}) {
            if (t.contains(marker)) {
                return "it contains tool or chat-format syntax (" + marker + ")";
            }
        }
        return null;
    }
}
