package dev.mcpforge.qa;

/**
 * Why QA dropped a sample: the fixed vocabulary, in the spirit of BFCL's error taxonomy, extended with
 * {@code structure}, {@code unexpected_param}, {@code missing_final_answer} and {@code too_long}.
 */
public enum DropReason {
    /** the line is not a JSON object */
    JSON_PARSE("json_parse"),
    /** valid JSON but not a sample: roles out of order, a call without its result, a result without a call */
    STRUCTURE("structure"),
    /** a call names a tool that is not in tools.json */
    UNKNOWN_TOOL("unknown_tool"),
    /** arguments violate the tool's inputSchema (type, enum, bounds, pattern, ...) after repair */
    SCHEMA_VIOLATION("schema_violation"),
    /** a required argument is missing */
    MISSING_REQUIRED("missing_required"),
    /** an argument the schema does not declare (only when repair is off) */
    UNEXPECTED_PARAM("unexpected_param"),
    /** the sample's scenario and its calls disagree (no_tool with a call, standard without one, ...) */
    SCENARIO_MISMATCH("scenario_mismatch"),
    /** the conversation does not end in a non-empty assistant answer */
    MISSING_FINAL_ANSWER("missing_final_answer"),
    /** longer than forge.qa.maxChars */
    TOO_LONG("too_long"),
    /** the user text is a near-duplicate of an earlier sample */
    DUPLICATE("duplicate");

    private final String id;

    DropReason(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
