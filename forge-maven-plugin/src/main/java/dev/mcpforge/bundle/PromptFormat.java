package dev.mcpforge.bundle;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMLFormat;
import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chat format the model is trained on and served with: ChatML with Hermes-style tool calls, in three variants that
 * differ only in how the system turn lists the tools: {@link #CHATML_HERMES} (every tool's JSON schema, the engine's
 * {@link ChatTemplates#CHATML_TOOLS}), {@link #CHATML_HERMES_NAMES} (tool names only, {@link
 * ChatTemplates#CHATML_TOOL_NAMES}) and {@link #CHATML_HERMES_IMPLICIT} (no list, {@link
 * ChatTemplates#CHATML_IMPLICIT_TOOLS}: the tiny model's default, see forge.toolPrompt). The model's {@code tokenizer.chat_template}
 * says which one it is. Each is written three ways: {@code prompt_template.json} (machine-readable, for llama.cpp and
 * the verifier), the Jinja template (also in the GGUF), and an Ollama {@code TEMPLATE} in Go's template language that
 * renders the same text.
 */
public enum PromptFormat {

    /** Tools listed as JSON schemas (Qwen2.5/Hermes text). */
    CHATML_HERMES("chatml-hermes", "full", ChatFormat.chatml(), ChatTemplates.CHATML_TOOLS, Ollama.FULL_TOOLS),

    /** Tools listed by name only, one per line (the tiny model trained with forge.toolPrompt=names). */
    CHATML_HERMES_NAMES("chatml-hermes-names", "names", ChatFormat.chatmlToolNames(), ChatTemplates.CHATML_TOOL_NAMES,
            Ollama.NAME_TOOLS),

    /** No tool list: the system prompt alone (the tiny model trained with forge.toolPrompt=none, the default). */
    CHATML_HERMES_IMPLICIT("chatml-hermes-implicit", "none", ChatFormat.chatmlImplicitTools(),
            ChatTemplates.CHATML_IMPLICIT_TOOLS, Ollama.NO_TOOLS);

    public static final List<String> STOP = List.of("<|im_end|>", "<|im_start|>");
    public static final String TOOL_CALL_START = "<tool_call>";
    public static final String TOOL_CALL_END = "</tool_call>";
    public static final String TOOL_RESPONSE_START = "<tool_response>";
    public static final String TOOL_RESPONSE_END = "</tool_response>";

    private final String id;
    private final String toolPrompt;
    private final ChatFormat chatFormat;
    private final String chatTemplate;
    private final String ollamaTemplate;

    PromptFormat(String id, String toolPrompt, ChatFormat chatFormat, String chatTemplate, String ollamaTools) {
        this.id = id;
        this.toolPrompt = toolPrompt;
        this.chatFormat = chatFormat;
        this.chatTemplate = chatTemplate;
        this.ollamaTemplate = Ollama.SKELETON.formatted(ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT,
                Ollama.toolSection(ollamaTools));
    }

    /** {@code chat_format} in prompt_template.json and agent.yaml: chatml-hermes, -names or -implicit. */
    public String id() {
        return id;
    }

    /** How the system turn lists the tools: "full" (JSON schemas), "names" or "none". */
    public String toolPrompt() {
        return toolPrompt;
    }

    /** The engine's format that renders this text (training, validation, the verifier's smoke tests). */
    public ChatFormat chatFormat() {
        return chatFormat;
    }

    /** The Jinja chat template ({@code tokenizer.chat_template} in the GGUF, {@code chat_template} here). */
    public String chatTemplate() {
        return chatTemplate;
    }

    /**
     * Ollama's TEMPLATE for {@link #chatTemplate()}: the same text, turn for turn. {@code .Tools} lists the tools in
     * the system turn (as JSON lines, {@code {{ . }}}, or by name, {@code {{ .Function.Name }}}; either way Ollama's
     * marker that the model supports tools), {@code .ToolCalls} renders calls as {@code <tool_call>} blocks (Ollama
     * parses the model's output back with the same prefix), and consecutive tool results share one user turn of
     * {@code <tool_response>} blocks, as the Jinja template does. Differences Ollama imposes: a last assistant turn is
     * left open (Ollama continues it), and the arguments JSON is compact where Jinja's {@code tojson} puts a space
     * after {@code :} and {@code ,}.
     */
    public String ollamaTemplate() {
        return ollamaTemplate;
    }

    /** The format whose Jinja template is exactly {@code template}. */
    public static Optional<PromptFormat> forTemplate(String template) {
        for (PromptFormat f : values()) {
            if (f.chatTemplate.equals(template)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The format of {@code chat_format} {@code id}. */
    public static Optional<PromptFormat> byId(String id) {
        for (PromptFormat f : values()) {
            if (f.id.equals(id)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The bundle format of an engine chat format (chatml, chatml-names or chatml-implicit), if bundles ship it. */
    public static Optional<PromptFormat> forChatFormat(ChatFormat format) {
        for (PromptFormat f : values()) {
            if (f.chatFormat == format) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The known ids, for messages. */
    static String ids() {
        List<String> ids = new ArrayList<>();
        for (PromptFormat f : values()) {
            ids.add(f.id);
        }
        return String.join(", ", ids);
    }

    /** The {@code prompt_template.json} document. */
    public ObjectNode document(String systemPrompt) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("format_version", BundleLayout.FORMAT_VERSION);
        n.put("chat_format", id);
        n.put("tool_prompt", toolPrompt);
        n.put("system_prompt", systemPrompt);
        n.put("chat_template", chatTemplate);
        n.put("generation_prompt", chatFormat.generationPrompt());
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
        PromptFormat format = null;
        if (fmt == null || !fmt.isString()) {
            out.add("\"chat_format\" is missing");
        } else {
            format = byId(fmt.asString()).orElse(null);
            if (format == null) {
                out.add("\"chat_format\" is '" + fmt.asString() + "'; this build knows only " + ids());
            }
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
        } else if (format != null && !format.chatTemplate.equals(tpl.asString())) {
            out.add("\"chat_template\" is not the " + format.id + " template its \"chat_format\" names");
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

    /** The Ollama template around the tools section (a holder: enum constants cannot read the enum's statics). */
    private static final class Ollama {
        /** The tools as JSON lines: {@code {{ . }}} of an api.Tool is its Go JSON. */
        static final String FULL_TOOLS = """
            You may call one or more functions to assist with the user query.

            You are provided with function signatures within <tools></tools> XML tags:
            <tools>
            {{- range .Tools }}
            {{ . }}
            {{- end }}""";

        /** The tools by name, one per line. */
        static final String NAME_TOOLS = """
            You may call these functions:
            <tools>
            {{- range .Tools }}
            {{ .Function.Name }}
            {{- end }}""";

        /**
         * No tool section: with tools, the system turn is the system prompt alone (the model learned its tools in
         * training). The branch still tests {@code .Tools}, which is how Ollama knows the model takes tools.
         */
        static final String NO_TOOLS = "";

        /** The tool section after the system prompt, around the tools: "\n\n# Tools\n\n" + tools + instructions. */
        static String toolSection(String tools) {
            return tools.isEmpty() ? "" : """


                # Tools

                %s
                </tools>

                For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:
                <tool_call>
                {"name": <function-name>, "arguments": <args-json-object>}
                </tool_call>""".formatted(tools);
        }

        static final String SKELETON = """
            {{- if .Messages }}
            {{- if .Tools }}<|im_start|>system
            {{ if .System }}{{ .System }}{{ else }}%s{{ end }}%s<|im_end|>
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
            {{ end }}{{ .Response }}{{ if .Response }}<|im_end|>{{ end }}""";
    }
}
