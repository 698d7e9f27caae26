package dev.mcpforge.bundle;

import dev.mcpforge.engine.chat.ChatMLFormat;
import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The chat format the model is trained on and served with: ChatML with Hermes-style tool calls (the engine's
 * {@link ChatTemplates#CHATML_TOOLS}, also stored in the GGUF as {@code tokenizer.chat_template}), written three
 * ways: {@code prompt_template.json} (machine-readable, for llama.cpp and the verifier), the Jinja template, and an
 * Ollama {@code TEMPLATE} in Go's template language that renders the same text.
 */
public final class PromptFormat {

    public static final String ID = "chatml-hermes";
    public static final List<String> STOP = List.of("<|im_end|>", "<|im_start|>");
    public static final String TOOL_CALL_START = "<tool_call>";
    public static final String TOOL_CALL_END = "</tool_call>";
    public static final String TOOL_RESPONSE_START = "<tool_response>";
    public static final String TOOL_RESPONSE_END = "</tool_response>";

    /**
     * Ollama's TEMPLATE for {@link ChatTemplates#CHATML_TOOLS}: the same text, turn for turn. {@code .Tools} lists
     * the tools as JSON lines in the system turn (Ollama's marker that the model supports tools), {@code .ToolCalls}
     * renders calls as {@code <tool_call>} blocks (Ollama parses the model's output back with the same prefix), and
     * consecutive tool results share one user turn of {@code <tool_response>} blocks, as the Jinja template does.
     * Differences Ollama imposes: a last assistant turn is left open (Ollama continues it), and the arguments JSON is
     * compact where Jinja's {@code tojson} puts a space after {@code :} and {@code ,}.
     */
    public static final String OLLAMA_TEMPLATE = """
            {{- if .Messages }}
            {{- if .Tools }}<|im_start|>system
            {{ if .System }}{{ .System }}{{ else }}%s{{ end }}

            # Tools

            You may call one or more functions to assist with the user query.

            You are provided with function signatures within <tools></tools> XML tags:
            <tools>
            {{- range .Tools }}
            {{ . }}
            {{- end }}
            </tools>

            For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:
            <tool_call>
            {"name": <function-name>, "arguments": <args-json-object>}
            </tool_call><|im_end|>
            {{ else if .System }}<|im_start|>system
            {{ .System }}<|im_end|>
            {{ end }}
            {{- $prev := "" }}
            {{- range $i, $m := .Messages }}
            {{- $last := eq (len (slice $.Messages $i)) 1 }}
            {{- if and (eq $prev "tool") (ne .Role "tool") }}<|im_end|>
            {{ end }}
            {{- if eq .Role "user" }}<|im_start|>user
            {{ .Content }}<|im_end|>
            {{ else if eq .Role "assistant" }}<|im_start|>assistant
            {{- if .Content }}
            {{ .Content }}
            {{- end }}
            {{- range .ToolCalls }}
            <tool_call>
            {"name": "{{ .Function.Name }}", "arguments": {{ .Function.Arguments }}}
            </tool_call>
            {{- end }}
            {{- if not $last }}<|im_end|>
            {{ end }}
            {{- else if eq .Role "tool" }}
            {{- if ne $prev "tool" }}<|im_start|>user{{ end }}
            <tool_response>
            {{ .Content }}
            </tool_response>
            {{- if $last }}<|im_end|>
            {{ end }}
            {{- end }}
            {{- $prev = .Role }}
            {{- if and $last (ne .Role "assistant") }}<|im_start|>assistant
            {{ end }}
            {{- end }}
            {{- else }}
            {{- if .System }}<|im_start|>system
            {{ .System }}<|im_end|>
            {{ end }}{{ if .Prompt }}<|im_start|>user
            {{ .Prompt }}<|im_end|>
            {{ end }}<|im_start|>assistant
            {{ end }}{{ .Response }}{{ if .Response }}<|im_end|>{{ end }}""".formatted(
            ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT);

    private PromptFormat() {
    }

    /** The {@code prompt_template.json} document. */
    public static ObjectNode document(String systemPrompt) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("format_version", BundleLayout.FORMAT_VERSION);
        n.put("chat_format", ID);
        n.put("system_prompt", systemPrompt);
        n.put("chat_template", ChatTemplates.CHATML_TOOLS);
        n.put("generation_prompt", "<|im_start|>assistant\n");
        ObjectNode call = n.putObject("tool_call");
        call.put("start", TOOL_CALL_START);
        call.put("end", TOOL_CALL_END);
        call.put("body", "{\"name\": <function-name>, \"arguments\": <args-json-object>}");
        ObjectNode resp = n.putObject("tool_response");
        resp.put("role", "user");
        resp.put("start", TOOL_RESPONSE_START);
        resp.put("end", TOOL_RESPONSE_END);
        STOP.forEach(n.putArray("stop")::add);
        return n;
    }

    /** What is wrong with a {@code prompt_template.json} document; empty when it is usable. */
    public static List<String> problems(JsonNode doc) {
        List<String> out = new ArrayList<>();
        if (doc == null || !doc.isObject()) {
            out.add("it is not a JSON object");
            return out;
        }
        JsonNode fmt = doc.get("chat_format");
        if (fmt == null || !fmt.isString()) {
            out.add("\"chat_format\" is missing");
        } else if (!ID.equals(fmt.asString())) {
            out.add("\"chat_format\" is '" + fmt.asString() + "'; this build knows only '" + ID + "'");
        }
        JsonNode sys = doc.get("system_prompt");
        if (sys == null || !sys.isString()) {
            out.add("\"system_prompt\" is missing or not a string");
        }
        JsonNode tpl = doc.get("chat_template");
        if (tpl == null || !tpl.isString() || tpl.asString().isBlank()) {
            out.add("\"chat_template\" (the Jinja chat template) is missing");
        } else if (!tpl.asString().contains(TOOL_CALL_START) || !tpl.asString().contains("tools")) {
            out.add("\"chat_template\" does not render tools and " + TOOL_CALL_START + " blocks");
        }
        JsonNode stop = doc.get("stop");
        if (stop == null || !stop.isArray() || stop.isEmpty()) {
            out.add("\"stop\" (the stop strings) is missing or empty");
        } else {
            for (JsonNode s : stop) {
                if (!s.isString() || s.asString().isEmpty()) {
                    out.add("\"stop\" holds a non-string or empty entry: " + s);
                }
            }
        }
        JsonNode call = doc.get("tool_call");
        if (call == null || !call.isObject() || !call.path("start").isString() || !call.path("end").isString()) {
            out.add("\"tool_call\" {start, end} is missing");
        }
        return out;
    }
}
