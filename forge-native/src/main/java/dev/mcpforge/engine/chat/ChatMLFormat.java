package dev.mcpforge.engine.chat;

/** Placeholder, completed in the chat-format step. */
public final class ChatMLFormat {
    public static final String DEFAULT_TOOL_SYSTEM_PROMPT = "You are a helpful assistant.";
}
