package dev.mcpforge.engine.chat;

import java.util.List;

/**
 * A generated assistant reply split into free text, tool calls and (DeepSeek-R1) reasoning. {@code error} is non-null
 * when the reply tried to call a tool but the call could not be parsed (then {@code toolCalls} holds the calls that
 * did parse).
 */
public record ParsedReply(String content, List<ToolCall> toolCalls, String reasoning, String error) {
    public ParsedReply {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        reasoning = reasoning == null ? "" : reasoning;
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
