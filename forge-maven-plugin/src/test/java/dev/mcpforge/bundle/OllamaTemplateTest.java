package dev.mcpforge.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMLFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.tools.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Ollama {@code TEMPLATE}s ({@link PromptFormat#ollamaTemplate()}: full schemas and names only) against the
 * engine's ChatML renderings ({@link ChatFormat#chatml()}, {@link ChatFormat#chatmlToolNames()}).
 *
 * <p>No Ollama can be installed here and there is no Go-template engine for Java on Maven Central, so the template
 * is not executed: each expected string below is what Go's text/template produces for the template and a fixed
 * conversation, traced by hand (the trace is in the comments: {@code {{-}} trims the whitespace before an action,
 * {@code {{ end }}} without a dash keeps the newline after it). Ollama passes {@code .System} (the system messages
 * joined), {@code .Messages} (system messages included, no branch renders them), {@code .Tools} ({@code {{ . }}} of
 * an api.Tool is its Go JSON: compact, struct field order) and tool-call arguments as compact JSON with sorted keys.
 * The test then checks that the engine's rendering (the text the model was trained on) is the same text once those
 * two documented JSON spellings are swapped in.
 */
class OllamaTemplateTest {

    static final JsonNode TOOLS = Json.MAPPER.readTree("[{\"name\": \"get_weather\", \"description\": \"Get current "
            + "weather\", \"inputSchema\": {\"type\": \"object\", \"properties\": {\"location\": {\"type\": "
            + "\"string\"}}, \"required\": [\"location\"]}}]");

    /** The tool line as the Jinja template's {@code tojson} (and the engine) print it. */
    static final String JINJA_TOOL = "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": "
            + "\"Get current weather\", \"parameters\": {\"type\": \"object\", \"properties\": {\"location\": {\"type\": "
            + "\"string\"}}, \"required\": [\"location\"]}}}";
    /** The same tool as Ollama's {@code {{ . }}} prints it (Go json.Marshal of api.Tool: required before properties). */
    static final String OLLAMA_TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
            + "\"Get current weather\",\"parameters\":{\"type\":\"object\",\"required\":[\"location\"],\"properties\":"
            + "{\"location\":{\"type\":\"string\"}}}}}";

    static String header(String system) {
        // {{- if .Tools }}<|im_start|>system\n{{ if .System }}..{{ end }}\n\n# Tools ... <tools>{{- range .Tools }}
        // \n{{ . }}{{- end }}\n</tools> ... </tool_call><|im_end|>\n{{ else if .System }}
        return "<|im_start|>system\n" + system + "\n\n# Tools\n\nYou may call one or more functions to assist with the "
                + "user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                + OLLAMA_TOOL + "\n</tools>\n\nFor each function call, return a json object with function name and "
                + "arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, "
                + "\"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";
    }

    static String engine(List<ChatMessage> msgs) {
        return ChatFormat.chatml().render(msgs, TOOLS, true).replace(JINJA_TOOL, OLLAMA_TOOL);
    }

    /** A system prompt, a call, its result, an answer and a follow-up question: the conversation each template renders. */
    static List<ChatMessage> parisConversation() {
        return List.of(
                ChatMessage.system("You are a weather assistant."),
                ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistant("", List.of(weather("Paris"))),
                ChatMessage.toolResult("get_weather", "sunny"),
                ChatMessage.assistant("It is sunny in Paris."),
                ChatMessage.user("And tomorrow?"));
    }

    /** What Ollama renders for {@link #parisConversation()} after the system turn (traced in the first test). */
    static final String PARIS_TURNS = "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
            + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"location\":"
            + "\"Paris\"}}\n</tool_call><|im_end|>\n"
            + "<|im_start|>user\n<tool_response>\nsunny\n</tool_response>"
            + "<|im_end|>\n<|im_start|>assistant\nIt is sunny in Paris.<|im_end|>\n"
            + "<|im_start|>user\nAnd tomorrow?<|im_end|>\n<|im_start|>assistant\n";

    static ToolCall weather(String city) {
        return new ToolCall("get_weather", Json.MAPPER.readTree("{\"location\": \"" + city + "\"}"));
    }

    @Test
    void theTemplateHasTheToolBranchesOllamaLooksFor() {
        String t = PromptFormat.CHATML_HERMES.ollamaTemplate();
        // Ollama marks a model as tool-capable when its template uses .Tools; .ToolCalls renders earlier calls
        assertTrue(t.contains("{{- if .Tools }}") && t.contains("{{- range .Tools }}"), t);
        assertTrue(t.contains("{{- range .ToolCalls }}") && t.contains("{{ .Function.Name }}")
                && t.contains("{{ .Function.Arguments }}"), t);
        assertTrue(t.contains("{{- else if eq .Role \"tool\" }}") && t.contains("<tool_response>\n{{ .Content }}\n"
                + "</tool_response>"), "the tool-result branch");
        // Ollama parses tool calls out of the reply with the prefix the template puts before .ToolCalls
        assertTrue(t.contains("{{- range .ToolCalls }}\n<tool_call>\n{\"name\": \"{{ .Function.Name }}\""), t);
        assertTrue(t.contains(ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT), "the engine's default system prompt");
        // the legacy /api/generate path (no .Messages) still renders a ChatML prompt
        assertTrue(t.contains("{{ if .Prompt }}<|im_start|>user\n{{ .Prompt }}<|im_end|>\n"), t);
    }

    @Test
    void aCallItsResultAnAnswerAndAFollowUpRenderAsTheEngineRendersThem() {
        List<ChatMessage> msgs = parisConversation();
        String ollama = header("You are a weather assistant.")
                // system message: no branch renders it; $prev = "system"
                // user: {{- if eq .Role "user" }}<|im_start|>user\n{{ .Content }}<|im_end|>\n{{ else if ..
                + "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
                // assistant: <|im_start|>assistant{{- if .Content }} (empty: false){{- range .ToolCalls }}\n<tool_call>
                // \n{"name": "..", "arguments": ..}\n</tool_call>{{- end }}{{- if not $last }}<|im_end|>\n{{ end }}
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"location\":"
                + "\"Paris\"}}\n</tool_call><|im_end|>\n"
                // tool: {{- if ne $prev "tool" }}<|im_start|>user{{ end }}\n<tool_response>\n{{ .Content }}\n
                // </tool_response>{{- if $last }} (false)
                + "<|im_start|>user\n<tool_response>\nsunny\n</tool_response>"
                // assistant: {{- if and (eq $prev "tool") (ne .Role "tool") }}<|im_end|>\n{{ end }} closes the results;
                // {{- if .Content }}\n{{ .Content }}{{- end }}; not last: <|im_end|>\n
                + "<|im_end|>\n<|im_start|>assistant\nIt is sunny in Paris.<|im_end|>\n"
                // last user turn, then {{- if and $last (ne .Role "assistant") }}<|im_start|>assistant\n{{ end }}
                + "<|im_start|>user\nAnd tomorrow?<|im_end|>\n<|im_start|>assistant\n";
        // the only other difference: tojson writes {"location": "Paris"}, Ollama's arguments {"location":"Paris"}
        assertEquals(ollama, engine(msgs).replace("{\"location\": \"Paris\"}", "{\"location\":\"Paris\"}"));
        // the turns after the system turn, as the other templates' tests use them
        assertEquals(header("You are a weather assistant.") + PARIS_TURNS, ollama);
    }

    @Test
    void parallelCallsAndConsecutiveToolResultsShareOneUserTurnWithTheDefaultSystemPrompt() {
        List<ChatMessage> msgs = List.of(
                ChatMessage.user("Weather in Paris and Oslo?"),
                ChatMessage.assistant("", List.of(weather("Paris"), weather("Oslo"))),
                ChatMessage.toolResult("get_weather", "sunny"),
                ChatMessage.toolResult("get_weather", "rain"));
        // no system message and no SYSTEM: {{ if .System }}..{{ else }}<default prompt>{{ end }}
        String ollama = header(ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT)
                + "<|im_start|>user\nWeather in Paris and Oslo?<|im_end|>\n"
                // one "\n<tool_call>..</tool_call>" per call, then <|im_end|>\n
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"location\":"
                + "\"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"location\":"
                + "\"Oslo\"}}\n</tool_call><|im_end|>\n"
                // first result opens the user turn; the second ($prev "tool") does not; the last one closes it
                + "<|im_start|>user\n<tool_response>\nsunny\n</tool_response>\n<tool_response>\nrain\n"
                + "</tool_response><|im_end|>\n"
                // last message is not the assistant's: the generation prompt
                + "<|im_start|>assistant\n";
        assertEquals(ollama, engine(msgs).replace("{\"location\": \"Paris\"}", "{\"location\":\"Paris\"}")
                .replace("{\"location\": \"Oslo\"}", "{\"location\":\"Oslo\"}"));
    }

    @Test
    void theModelfileCarriesTheTemplateVerbatim() {
        for (PromptFormat f : PromptFormat.values()) {
            String mf = BundleService.modelfile(f, "a", "1", "Be brief.", 0.7, 2048);
            assertTrue(mf.contains("TEMPLATE \"\"\"" + f.ollamaTemplate() + "\"\"\"\n"), mf);
            assertTrue(mf.contains("SYSTEM \"\"\"Be brief.\"\"\""), mf);
            assertTrue(!f.ollamaTemplate().contains("\"\"\""), "the template must not end the Modelfile quote");
            for (String stop : PromptFormat.STOP) {
                assertTrue(mf.contains("PARAMETER stop \"" + stop + "\"\n"), mf);
            }
            // the decoding forge:validate measures: no repetition penalty (Ollama would apply 1.1)
            assertTrue(mf.contains("PARAMETER temperature 0.7\n") && mf.contains("PARAMETER repeat_penalty 1\n"), mf);
        }
        assertTrue(BundleService.modelfile(PromptFormat.CHATML_HERMES_NAMES, "a", "1", "S", 0.7, 2048)
                .contains("{{ .Function.Name }}\n{{- end }}\n</tools>"));
    }

    // ---- the names variant (chatml-hermes-names): the same template except the tools section ----

    /** The names variant's system turn for {@link #TOOLS}: {{- range .Tools }}\n{{ .Function.Name }}{{- end }}. */
    static String namesHeader(String system) {
        return "<|im_start|>system\n" + system + "\n\n# Tools\n\nYou may call these functions:\n<tools>\nget_weather\n"
                + "</tools>\n\nFor each function call, return a json object with function name and arguments within "
                + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
                + "<args-json-object>}\n</tool_call><|im_end|>\n";
    }

    @Test
    void theNamesTemplateListsFunctionNamesAndIsOtherwiseTheFullOne() {
        String full = PromptFormat.CHATML_HERMES.ollamaTemplate();
        String names = PromptFormat.CHATML_HERMES_NAMES.ollamaTemplate();
        // everything but the tools section is the same text: turns, calls, results, the legacy path
        assertEquals(full.replace("You may call one or more functions to assist with the user query.\n\n"
                + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                + "{{- range .Tools }}\n{{ . }}\n{{- end }}", "You may call these functions:\n<tools>\n"
                + "{{- range .Tools }}\n{{ .Function.Name }}\n{{- end }}"), names);
        assertTrue(names.contains("{{- if .Tools }}") && names.contains("{{- range .ToolCalls }}"), names);
        assertTrue(!names.contains("{{ . }}"), "no tool JSON in the names variant");
    }

    @Test
    void theNamesTemplateRendersACallItsResultAndAnAnswerAsTheEngineRendersThem() {
        List<ChatMessage> msgs = parisConversation();
        // traced as in aCallItsResultAnAnswerAndAFollowUpRenderAsTheEngineRendersThem; the tools section:
        // <tools>{{- range .Tools }} trims the newline before it, each tool adds "\n" + {{ .Function.Name }} (the
        // newline after it is trimmed by {{- end }}), then "\n</tools>"
        String ollama = namesHeader("You are a weather assistant.") + PARIS_TURNS;
        // no tool JSON to respell: only the arguments' compact JSON differs
        assertEquals(ollama, ChatFormat.chatmlToolNames().render(msgs, TOOLS, true)
                .replace("{\"location\": \"Paris\"}", "{\"location\":\"Paris\"}"));
        // two tools, in the order given, and the default system prompt without a system message
        JsonNode two = Json.MAPPER.readTree("[{\"name\": \"get_weather\"}, {\"type\": \"function\", "
                + "\"function\": {\"name\": \"get_time\", \"parameters\": {\"type\": \"object\"}}}]");
        assertEquals(namesHeader(ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT).replace("get_weather\n", "get_weather\nget_time\n")
                + "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                ChatFormat.chatmlToolNames().render(List.of(ChatMessage.user("hi")), two, true));
    }

    @Test
    void theImplicitTemplateDropsTheToolSectionButStillTestsTools() {
        String full = PromptFormat.CHATML_HERMES.ollamaTemplate();
        String implicit = PromptFormat.CHATML_HERMES_IMPLICIT.ollamaTemplate();
        // the full template without "\n\n# Tools ... </tool_call>": the system turn closes right after the prompt
        int from = full.indexOf("\n\n# Tools");
        int to = full.indexOf("</tool_call><|im_end|>") + "</tool_call>".length();
        assertEquals(full.substring(0, from) + full.substring(to), implicit);
        assertTrue(implicit.contains("{{- if .Tools }}<|im_start|>system\n{{ if .System }}{{ .System }}{{ else }}"
                + ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT + "{{ end }}<|im_end|>\n"), implicit);
        // Ollama still sees .Tools (the model takes tools) and parses calls with the <tool_call> prefix
        assertTrue(implicit.contains("{{- range .ToolCalls }}\n<tool_call>\n{\"name\": \"{{ .Function.Name }}\""),
                implicit);
        assertTrue(!implicit.contains("<tools>") && !implicit.contains("range .Tools "), implicit);
    }

    @Test
    void theImplicitTemplateRendersACallItsResultAndAnAnswerAsTheEngineRendersThem() {
        List<ChatMessage> msgs = parisConversation();
        // {{- if .Tools }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ else if .System }}: the tools branch is
        // the system turn alone; the turns are traced as in aCallItsResultAnAnswerAndAFollowUpRenderAsTheEngineRendersThem
        String ollama = "<|im_start|>system\nYou are a weather assistant.<|im_end|>\n" + PARIS_TURNS;
        assertEquals(ollama, ChatFormat.chatmlImplicitTools().render(msgs, TOOLS, true)
                .replace("{\"location\": \"Paris\"}", "{\"location\":\"Paris\"}"));
        // the default system prompt without a system message ({{ else }} of {{ if .System }})
        assertEquals("<|im_start|>system\n" + ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT + "<|im_end|>\n"
                        + "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                ChatFormat.chatmlImplicitTools().render(List.of(ChatMessage.user("hi")), TOOLS, true));
    }
}
