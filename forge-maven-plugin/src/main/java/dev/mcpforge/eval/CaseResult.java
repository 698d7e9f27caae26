package dev.mcpforge.eval;

import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.tools.Json;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What happened in one run of one eval case. Flags that do not apply are false (see {@link Metrics} for which cases
 * count towards which metric).
 *
 * @param attempted    the first reply tried to call a tool
 * @param parsed       it parsed into at least one call and nothing was broken
 * @param schemaValid  every parsed call names a known tool and its arguments pass the tool's JSON Schema
 * @param selected     the called tool(s) are the expected one(s)
 * @param argumentsOk  the arguments match the expected call (BFCL rules)
 * @param loopComplete call parsed, schema-valid, executed, and a final answer without a further call came back
 * @param graceful     error case: the final answer acknowledges the failure
 * @param noToolOk     no-tool case: no call attempted and a non-empty answer
 * @param millis       generation time of both turns
 * @param steps        what happened, in order (for the report)
 */
public record CaseResult(EvalCase evalCase, int run, String rawOutput, List<ToolCall> calls, String parseError,
                         String finalOutput, boolean attempted, boolean parsed, boolean schemaValid, boolean selected,
                         boolean argumentsOk, boolean executed, boolean loopComplete, boolean graceful,
                         boolean noToolOk, boolean passed, String failureReason, long millis, List<String> steps) {

    public CaseResult {
        calls = List.copyOf(calls);
        steps = List.copyOf(steps);
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        EvalCase c = evalCase;
        n.put("id", c.id());
        n.put("run", run);
        n.put("scenario", c.scenario());
        if (c.toolName() != null) {
            n.put("tool", c.toolName());
        }
        n.put("prompt", c.userText());
        ArrayNode exp = n.putArray("expected");
        c.expected().forEach(x -> exp.add(call(x)));
        n.put("raw_output", rawOutput);
        ArrayNode got = n.putArray("parsed_calls");
        calls.forEach(x -> got.add(call(x)));
        if (parseError != null) {
            n.put("parse_error", parseError);
        }
        if (finalOutput != null) {
            n.put("final_output", finalOutput);
        }
        n.put("passed", passed);
        if (failureReason != null) {
            n.put("failure_reason", failureReason);
        }
        ObjectNode checks = n.putObject("checks");
        checks.put("attempted", attempted);
        checks.put("parsed", parsed);
        checks.put("schema_valid", schemaValid);
        checks.put("selected", selected);
        checks.put("arguments_ok", argumentsOk);
        checks.put("executed", executed);
        checks.put("loop_complete", loopComplete);
        checks.put("graceful", graceful);
        checks.put("no_tool_ok", noToolOk);
        n.put("millis", millis);
        ArrayNode s = n.putArray("steps");
        steps.forEach(s::add);
        return n;
    }

    static ObjectNode call(ToolCall c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", c.name());
        o.set("arguments", c.arguments());
        return o;
    }
}
