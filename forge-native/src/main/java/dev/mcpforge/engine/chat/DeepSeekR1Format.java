package dev.mcpforge.engine.chat;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DeepSeek-R1 (distill) format, simplified to one consistent shape: every assistant turn is
 * {@code <｜Assistant｜><think>\n} (the generation prompt) + reasoning + {@code \n</think>\n\n} + answer or tool-call
 * block + {@code <｜end▁of▁sentence｜>}; calls use R1's {@code <｜tool▁calls▁begin｜>...} tokens with a fenced JSON
 * argument object; results use {@code <｜tool▁outputs▁begin｜>}. R1's template has no tools section, so the tools are
 * listed after the system prompt. Reasoning of earlier turns is dropped (as R1's template does); the text of an
 * assistant message may be "<think>..</think>answer" to train reasoning, otherwise the think block is empty.
 */
public final class DeepSeekR1Format implements ChatFormat {
    static final DeepSeekR1Format INSTANCE = new DeepSeekR1Format();

    static final String BOS = "<\uFF5Cbegin\u2581of\u2581sentence\uFF5C>";
    static final String EOS = "<\uFF5Cend\u2581of\u2581sentence\uFF5C>";
    static final String USER = "<\uFF5CUser\uFF5C>";
    static final String ASSISTANT = "<\uFF5CAssistant\uFF5C>";
    static final String CALLS_BEGIN = "<\uFF5Ctool\u2581calls\u2581begin\uFF5C>";
    static final String CALLS_END = "<\uFF5Ctool\u2581calls\u2581end\uFF5C>";
    static final String CALL_BEGIN = "<\uFF5Ctool\u2581call\u2581begin\uFF5C>";
    static final String CALL_END = "<\uFF5Ctool\u2581call\u2581end\uFF5C>";
    static final String SEP = "<\uFF5Ctool\u2581sep\uFF5C>";
    static final String OUTPUTS_BEGIN = "<\uFF5Ctool\u2581outputs\u2581begin\uFF5C>";
    static final String OUTPUTS_END = "<\uFF5Ctool\u2581outputs\u2581end\uFF5C>";
    static final String OUTPUT_BEGIN = "<\uFF5Ctool\u2581output\u2581begin\uFF5C>";
    static final String OUTPUT_END = "<\uFF5Ctool\u2581output\u2581end\uFF5C>";

    private static final Pattern CALL = Pattern.compile(Pattern.quote(CALL_BEGIN) + "(?:function)?" + Pattern.quote(SEP)
            + "(.*?)\\n```(?:json)?\\n(.*?)\\n```\\s*(?:" + Pattern.quote(CALL_END) + "|$)", Pattern.DOTALL);

    private DeepSeekR1Format() {
    }

    @Override
    public String id() {
        return "deepseek-r1";
    }

    @Override
    public String generationPrompt() {
        return ASSISTANT + "<think>\n";
    }

    @Override
    public String endOfTurn() {
        return EOS;
    }

    @Override
    public List<String> stopStrings() {
        return List.of(EOS);
    }

    @Override
    public String replyPrefix() {
        return "\n</think>\n\n";
    }

    @Override
    public ToolCallSyntax toolCallSyntax() {
        return new ToolCallSyntax(CALLS_BEGIN + CALL_BEGIN + "function" + SEP, "\n```json\n",
                "\n```" + CALL_END + CALLS_END, false);
    }

    @Override
    public RenderedChat renderWithSpans(List<ChatMessage> msgs, JsonNode tools, boolean addGenerationPrompt) {
        Renderer r = new Renderer();
        String system = "";
        for (ChatMessage m : msgs) {
            if (m.role() == ChatMessage.Role.SYSTEM) {
                system = m.content();
            }
        }
        r.append(BOS).append(system);
        List<JsonNode> fns = Renderer.functionTools(tools);
        if (!fns.isEmpty()) {
            r.append(system.isEmpty() ? "" : "\n\n");
            r.append("You can call these tools. To call one, answer with " + CALLS_BEGIN + CALL_BEGIN + "function" + SEP
                    + "<tool-name>\n```json\n<arguments-json-object>\n```" + CALL_END + CALLS_END + ".\nTools:");
            for (JsonNode f : fns) {
                r.append("\n").append(JsonText.write(f));
            }
        }
        for (int i = 0; i < msgs.size(); i++) {
            ChatMessage m = msgs.get(i);
            switch (m.role()) {
                case SYSTEM -> {
                }
                case USER -> r.append(USER).append(m.content());
                case TOOL -> {
                    boolean first = i == 0 || msgs.get(i - 1).role() != ChatMessage.Role.TOOL;
                    r.append(first ? OUTPUTS_BEGIN : "\n").append(OUTPUT_BEGIN).append(m.content()).append(OUTPUT_END);
                    if (i == msgs.size() - 1 || msgs.get(i + 1).role() != ChatMessage.Role.TOOL) {
                        r.append(OUTPUTS_END);
                    }
                }
                case ASSISTANT -> {
                    r.append(generationPrompt());
                    r.beginSpan();
                    String content = m.content();
                    String reasoning = "";
                    int close = content.indexOf("</think>");
                    if (close >= 0) {
                        reasoning = content.substring(0, close).replaceFirst("^\\s*<think>\\n?", "").strip();
                        content = content.substring(close + "</think>".length()).strip();
                    }
                    r.append(reasoning.isEmpty() ? "" : reasoning).append("\n</think>\n\n").append(content);
                    if (!m.toolCalls().isEmpty()) {
                        r.append(CALLS_BEGIN);
                        for (int k = 0; k < m.toolCalls().size(); k++) {
                            ToolCall c = m.toolCalls().get(k);
                            r.append((k == 0 ? "" : "\n") + CALL_BEGIN + "function" + SEP).appendToolName(c.name())
                                    .append("\n```json\n" + JsonText.write(c.arguments()) + "\n```" + CALL_END);
                        }
                        r.append(CALLS_END);
                    }
                    r.append(EOS);
                    r.endSpan();
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
        String text = generated;
        int e = text.indexOf(EOS);
        if (e >= 0) {
            text = text.substring(0, e);
        }
        String reasoning = "";
        int close = text.indexOf("</think>");
        if (close >= 0) {
            reasoning = text.substring(0, close).replaceFirst("^\\s*<think>", "").strip();
            text = text.substring(close + "</think>".length());
        }
        int begin = text.indexOf(CALLS_BEGIN);
        if (begin < 0) {
            return new ParsedReply(text.strip(), List.of(), reasoning, null);
        }
        List<ToolCall> calls = new ArrayList<>();
        String error = null;
        Matcher m = CALL.matcher(text.substring(begin));
        boolean any = false;
        while (m.find()) {
            any = true;
            JsonNode args;
            try {
                args = JsonText.MAPPER.readTree(m.group(2));
            } catch (RuntimeException ex) {
                args = null;
            }
            if (args == null || !args.isObject()) {
                error = "malformed tool call arguments for " + m.group(1).strip() + ": " + m.group(2);
            } else {
                calls.add(new ToolCall(m.group(1).strip(), args));
            }
        }
        if (!any) {
            error = "malformed tool call: " + text.substring(begin);
        }
        return new ParsedReply(text.substring(0, begin).strip(), calls, reasoning, error);
    }
}
