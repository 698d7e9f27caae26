package dev.mcpforge.engine.chat;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One message of a conversation. {@code toolCalls} is non-empty only for assistant messages that call tools;
 * {@code toolName} names the tool whose result a TOOL message carries (may be null).
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolName) {
    public enum Role {
        SYSTEM, USER, ASSISTANT, TOOL;

        /** Lower-case name as used in chat templates ("system", "user", "assistant", "tool"). */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only assistant messages carry tool calls");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, List.of(), null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, List.of(), null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, List.of(), null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> calls) {
        return new ChatMessage(Role.ASSISTANT, content, calls, null);
    }

    public static ChatMessage toolCall(ToolCall call) {
        return new ChatMessage(Role.ASSISTANT, "", List.of(call), null);
    }

    public static ChatMessage toolResult(String toolName, String content) {
        return new ChatMessage(Role.TOOL, content, List.of(), toolName);
    }
}
