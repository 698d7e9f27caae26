package dev.mcpforge.engine.chat;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ChatML with Hermes/Qwen2.5-style tool calling (the text of Qwen2.5's chat template, default system prompt aside):
 * tools as JSON lines inside {@code <tools></tools>} in the system turn, calls as
 * {@code <tool_call>\n{"name": "..", "arguments": {..}}\n</tool_call>}, results as {@code <tool_response>} blocks in a
 * user turn. The GGUF carries the equivalent Jinja template ({@link ChatTemplates#CHATML_TOOLS}).
 *
 * <p>Three instances, the same in everything but the system turn's tool section (turns, calls, results, parsing, stop
 * strings): {@link ChatFormat#chatml()} lists every tool as its full JSON schema; {@link ChatFormat#chatmlToolNames()}
 * ({@code chatml-names}, Jinja {@link ChatTemplates#CHATML_TOOL_NAMES}) lists the tools by name only, one per line;
 * {@link ChatFormat#chatmlImplicitTools()} ({@code chatml-implicit}, Jinja {@link ChatTemplates#CHATML_IMPLICIT_TOOLS})
 * lists none: the system turn is the system prompt alone. The last two are for the from-scratch {@code tiny} model,
 * which cannot read schemas and learns its tools, their names and arguments from the training data: the schemas
 * would be most of every training row's tokens, none of them scored, and even the names are the same tokens in front
 * of every request, which the model must learn to look past (docs/benchmarks.md, "The tools in the prompt").
 */
public final class ChatMLFormat implements ChatFormat {
    public static final String DEFAULT_TOOL_SYSTEM_PROMPT = "You are a helpful assistant.";
    static final ChatMLFormat INSTANCE = new ChatMLFormat(ToolList.SCHEMAS);
    static final ChatMLFormat TOOL_NAMES = new ChatMLFormat(ToolList.NAMES);
    static final ChatMLFormat IMPLICIT_TOOLS = new ChatMLFormat(ToolList.NONE);

    /** How the system turn lists the tools. */
    public enum ToolList {
        /** every tool's JSON schema ({@code chatml}) */
        SCHEMAS,
        /** the tools' names, one per line ({@code chatml-names}) */
        NAMES,
        /** no tool section: the model knows its tools from training ({@code chatml-implicit}) */
        NONE
    }

    private static final String START = "<|im_start|>";
    private static final String END = "<|im_end|>";
    private static final Pattern CALL = Pattern.compile("<tool_call>\\s*(.*?)\\s*(?:</tool_call>|$)", Pattern.DOTALL);

    private final ToolList toolList;

    private ChatMLFormat(ToolList toolList) {
        this.toolList = toolList;
    }

    /** How this variant's system turn lists the tools. */
    public ToolList toolList() {
        return toolList;
    }

    @Override
    public String id() {
        return switch (toolList) {
            case SCHEMAS -> "chatml";
            case NAMES -> "chatml-names";
            case NONE -> "chatml-implicit";
        };
    }

    @Override
    public String generationPrompt() {
        return START + "assistant\n";
    }

    @Override
    public String endOfTurn() {
        return END;
    }

    @Override
    public List<String> stopStrings() {
        return List.of(END);
    }

    @Override
    public ToolCallSyntax toolCallSyntax() {
        return new ToolCallSyntax("<tool_call>\n{\"name\": \"", "\", \"arguments\": ", "}\n</tool_call>", true);
    }

    @Override
    public RenderedChat renderWithSpans(List<ChatMessage> msgs, JsonNode tools, boolean addGenerationPrompt) {
        Renderer r = new Renderer();
        List<JsonNode> fns = Renderer.functionTools(tools);
        boolean firstIsSystem = !msgs.isEmpty() && msgs.get(0).role() == ChatMessage.Role.SYSTEM;
        if (!fns.isEmpty()) {
            // the tools' system turn: the system prompt (or the default), then the tool section unless there is none
            r.append(START + "system\n").append(firstIsSystem ? msgs.get(0).content() : DEFAULT_TOOL_SYSTEM_PROMPT);
            if (toolList == ToolList.NAMES) {
                r.append("\n\n# Tools\n\nYou may call these functions:\n<tools>");
                for (JsonNode f : fns) {
                    JsonNode name = f.path("function").path("name");
                    if (!name.isString()) {
                        throw new IllegalArgumentException("tool without a string 'name': " + JsonText.write(f));
                    }
                    r.append("\n").append(name.asString());
                }
            } else if (toolList == ToolList.SCHEMAS) {
                r.append("\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                        + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
                for (JsonNode f : fns) {
                    r.append("\n").append(JsonText.write(f));
                }
            }
            if (toolList != ToolList.NONE) {
                r.append("\n</tools>\n\nFor each function call, return a json object with function name and arguments "
                        + "within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, "
                        + "\"arguments\": <args-json-object>}\n</tool_call>");
            }
            r.append(END + "\n");
        } else if (firstIsSystem) {
            r.append(START + "system\n").append(msgs.get(0).content()).append(END + "\n");
        }
        for (int i = 0; i < msgs.size(); i++) {
            ChatMessage m = msgs.get(i);
            switch (m.role()) {
                case SYSTEM -> {
                    if (i > 0) {
                        r.append(START + "system\n").append(m.content()).append(END + "\n");
                    }
                }
                case USER -> r.append(START + "user\n").append(m.content()).append(END + "\n");
                case ASSISTANT -> {
                    r.append(START + "assistant\n");
                    r.beginSpan();
                    if (m.toolCalls().isEmpty()) {
                        r.append(m.content());
                    } else {
                        // the template writes "assistant" + ("\n" + content)? + ("\n" + call)*: same text
                        boolean first = true;
                        if (!m.content().isEmpty()) {
                            r.append(m.content());
                            first = false;
                        }
                        for (ToolCall c : m.toolCalls()) {
                            r.append(first ? "" : "\n").appendToolCall(toolCallSyntax(), c);
                            first = false;
                        }
                    }
                    r.append(END);
                    r.endSpan();
                    r.append("\n");
                }
                case TOOL -> {
                    if (i == 0 || msgs.get(i - 1).role() != ChatMessage.Role.TOOL) {
                        r.append(START + "user");
                    }
                    r.append("\n<tool_response>\n").append(m.content()).append("\n</tool_response>");
                    if (i == msgs.size() - 1 || msgs.get(i + 1).role() != ChatMessage.Role.TOOL) {
                        r.append(END + "\n");
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        if (addGenerationPrompt) {
            r.append(generationPrompt());
        }
        return r.result();
    }

    @Override
    public ParsedReply parse(String generated) {
        String text = strip(generated);
        List<ToolCall> calls = new ArrayList<>();
        String error = null;
        int first = text.indexOf("<tool_call>");
        if (first < 0) {
            return new ParsedReply(text.trim(), calls, "", null);
        }
        Matcher m = CALL.matcher(text);
        while (m.find()) {
            ToolCall c = Renderer.callFromJson(m.group(1), "arguments", "parameters");
            if (c == null) {
                error = "malformed tool call: " + m.group(1);
            } else {
                calls.add(c);
            }
        }
        return new ParsedReply(text.substring(0, first).trim(), calls, "", error);
    }

    private static String strip(String s) {
        int e = s.indexOf(END);
        return e >= 0 ? s.substring(0, e) : s;
    }
}
