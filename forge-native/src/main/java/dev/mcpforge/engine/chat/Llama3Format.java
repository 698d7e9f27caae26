package dev.mcpforge.engine.chat;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * Llama 3.1/3.2 format (the text of Meta's template with {@code tools_in_user_message=true} and the template's fixed
 * date "26 Jul 2024", so renders are reproducible): tools as indented JSON in the first user turn, one call per
 * assistant turn as {@code {"name": "..", "parameters": {..}}}, results in an {@code ipython} turn as a JSON string
 * (the template's {@code tojson} of the content). Checked identical to the Llama-3.2 template rendered by Jinja.
 */
public final class Llama3Format implements ChatFormat {
    static final Llama3Format INSTANCE = new Llama3Format();
    public static final String DATE = "26 Jul 2024";

    private static final String BOS = "<|begin_of_text|>";
    private static final String EOT = "<|eot_id|>";

    private Llama3Format() {
    }

    @Override
    public String id() {
        return "llama3";
    }

    private static String header(String role) {
        return "<|start_header_id|>" + role + "<|end_header_id|>\n\n";
    }

    @Override
    public String generationPrompt() {
        return header("assistant");
    }

    @Override
    public String endOfTurn() {
        return EOT;
    }

    @Override
    public List<String> stopStrings() {
        return List.of(EOT, "<|eom_id|>", "<|end_of_text|>");
    }

    @Override
    public ToolCallSyntax toolCallSyntax() {
        return new ToolCallSyntax("{\"name\": \"", "\", \"parameters\": ", "}", true);
    }

    @Override
    public RenderedChat renderWithSpans(List<ChatMessage> msgs, JsonNode tools, boolean addGenerationPrompt) {
        Renderer r = new Renderer();
        List<JsonNode> fns = Renderer.functionTools(tools);
        int i = 0;
        String system = "";
        if (!msgs.isEmpty() && msgs.get(0).role() == ChatMessage.Role.SYSTEM) {
            system = msgs.get(0).content().trim();
            i = 1;
        }
        r.append(BOS).append(header("system"));
        if (!fns.isEmpty()) {
            r.append("Environment: ipython\n");
        }
        r.append("Cutting Knowledge Date: December 2023\nToday Date: " + DATE + "\n\n").append(system).append(EOT);
        if (!fns.isEmpty()) {
            if (i >= msgs.size() || msgs.get(i).role() != ChatMessage.Role.USER) {
                throw new IllegalArgumentException("Llama 3 puts the tools into the first user message, but the "
                        + "conversation has no user message after the system message.");
            }
            r.append(header("user"));
            r.append("Given the following functions, please respond with a JSON for a function call "
                    + "with its proper arguments that best answers the given prompt.\n\n"
                    + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}."
                    + "Do not use variables.\n\n");
            for (JsonNode f : fns) {
                r.append(JsonText.write(f, 4)).append("\n\n");
            }
            r.append(msgs.get(i).content().trim()).append(EOT);
            i++;
        }
        for (; i < msgs.size(); i++) {
            ChatMessage m = msgs.get(i);
            switch (m.role()) {
                // Meta's template applies tojson to the (string) content, so results appear as a JSON string
                case TOOL -> r.append(header("ipython")).append(JsonText.quote(m.content())).append(EOT);
                case ASSISTANT -> {
                    r.append(header("assistant"));
                    r.beginSpan();
                    if (m.toolCalls().isEmpty()) {
                        r.append(m.content().trim());
                    } else {
                        if (m.toolCalls().size() != 1) {
                            throw new IllegalArgumentException("The Llama 3 format supports one tool call per assistant"
                                    + " message; split the calls into separate turns.");
                        }
                        r.appendToolCall(toolCallSyntax(), m.toolCalls().get(0));
                    }
                    r.append(EOT);
                    r.endSpan();
                }
                default -> r.append(header(m.role().id())).append(m.content().trim()).append(EOT);
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
        for (String s : stopStrings()) {
            int e = text.indexOf(s);
            if (e >= 0) {
                text = text.substring(0, e);
            }
        }
        text = text.trim();
        if (text.startsWith("<|python_tag|>")) {
            text = text.substring("<|python_tag|>".length()).trim();
        }
        if (!text.startsWith("{")) {
            return new ParsedReply(text, List.of(), "", null);
        }
        ToolCall c = Renderer.callFromJson(text, "parameters", "arguments");
        if (c == null) {
            return new ParsedReply("", List.of(), "", "malformed tool call: " + text);
        }
        return new ParsedReply("", List.of(c), "", null);
    }
}
