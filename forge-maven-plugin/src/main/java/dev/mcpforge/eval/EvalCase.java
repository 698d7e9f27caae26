package dev.mcpforge.eval;

import dev.mcpforge.data.Message;
import dev.mcpforge.data.Sample;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One eval case taken from a sample: the conversation up to the first assistant turn is the prompt; that turn's
 * tool calls are the expected calls (none: a no-tool case). For an error case, the sample's recorded failure
 * ({@code is_error} tool message) is what the tool "returns" (fault injection, see {@link LoopedValidator}).
 *
 * @param injectedResult the recorded tool result fed back in error cases, or null
 * @param injectedError  whether that result is a failure
 */
public record EvalCase(String id, String scenario, String toolName, List<ChatMessage> prompt, List<ToolCall> expected,
                       String injectedResult, boolean injectedError) {
    public EvalCase {
        prompt = List.copyOf(prompt);
        expected = List.copyOf(expected);
    }

    public boolean expectsCall() {
        return !expected.isEmpty();
    }

    /** The text of the last user message of the prompt. */
    public String userText() {
        for (int i = prompt.size() - 1; i >= 0; i--) {
            if (prompt.get(i).role() == ChatMessage.Role.USER) {
                return prompt.get(i).content();
            }
        }
        return "";
    }

    /** @throws IllegalArgumentException when the sample has no user turn before its first assistant turn */
    public static EvalCase of(Sample s) {
        List<ChatMessage> prompt = new ArrayList<>();
        List<ToolCall> expected = new ArrayList<>();
        String injected = null;
        boolean injectedError = false;
        int i = 0;
        List<Message> ms = s.messages();
        for (; i < ms.size(); i++) {
            Message m = ms.get(i);
            if ("assistant".equals(m.role())) {
                m.toolCalls().forEach(c -> expected.add(new ToolCall(c.name(), c.arguments())));
                break;
            }
            prompt.add(toChat(m));
        }
        if (prompt.stream().noneMatch(m -> m.role() == ChatMessage.Role.USER)) {
            throw new IllegalArgumentException("eval case " + s.id() + " has no user message before its first"
                    + " assistant message");
        }
        if ("error".equals(s.scenario()) && !expected.isEmpty()) {
            for (int k = i + 1; k < ms.size() && "tool".equals(ms.get(k).role()); k++) {
                injected = ms.get(k).content() == null ? "" : ms.get(k).content();
                injectedError = ms.get(k).isError();
                break;
            }
        }
        return new EvalCase(s.id(), s.scenario() == null ? "standard" : s.scenario(), s.toolName(), prompt, expected,
                injected, injectedError);
    }

    static ChatMessage toChat(Message m) {
        String content = m.content() == null ? "" : m.content();
        return switch (m.role()) {
            case "system" -> ChatMessage.system(content);
            case "user" -> ChatMessage.user(content);
            case "tool" -> ChatMessage.toolResult(m.name(), content);
            default -> ChatMessage.assistant(content,
                    m.toolCalls().stream().map(c -> new ToolCall(c.name(), c.arguments())).toList());
        };
    }
}
