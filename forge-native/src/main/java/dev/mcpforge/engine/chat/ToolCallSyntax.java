package dev.mcpforge.engine.chat;

/**
 * How a chat format writes one tool call, for grammars: {@code prefix + name + afterName + argumentsJson + suffix}.
 * The name is written verbatim (inside a JSON string for ChatML and Llama 3, so names with quotes or backslashes
 * must be JSON-escaped). Arguments are canonical JSON ({@link JsonText#write}).
 */
public record ToolCallSyntax(String prefix, String afterName, String suffix, boolean nameInJsonString) {
}
