package dev.mcpforge.engine.chat;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/**
 * How one model family turns a conversation (and the tools on offer) into prompt text, and generated text back into
 * tool calls. Training renders with the same instance the engine prompts with, so a model is trained on exactly the
 * text it is later prompted with. Rendered text contains special-token texts (e.g. {@code <|im_start|>}): tokenize
 * it with {@code addSpecial=false, parseSpecial=true}.
 *
 * <p>Tools are a JSON array of MCP tool definitions {@code {name, description, inputSchema}} (OpenAI-style
 * {@code {type:"function", function:{name, description, parameters}}} entries are accepted too); null or empty
 * means no tools section.
 */
public interface ChatFormat {

    /** Short id: "chatml", "chatml-names", "llama3" or "deepseek-r1". */
    String id();

    /** Renders the conversation and returns the spans of the assistant turns (see {@link RenderedChat}). */
    RenderedChat renderWithSpans(List<ChatMessage> conversation, JsonNode tools, boolean addGenerationPrompt);

    /** Renders the conversation; with {@code addGenerationPrompt} it ends with {@link #generationPrompt()}. */
    default String render(List<ChatMessage> conversation, JsonNode tools, boolean addGenerationPrompt) {
        return renderWithSpans(conversation, tools, addGenerationPrompt).text();
    }

    /** The text that opens an assistant turn; generation starts right after it. */
    String generationPrompt();

    /** The text that ends an assistant turn (an end-of-generation token of the family). */
    String endOfTurn();

    /** Strings that end generation (the end-of-turn marker and family-specific alternatives). */
    List<String> stopStrings();

    /**
     * Text every assistant reply of this format starts with right after the generation prompt (DeepSeek-R1: an empty
     * think block {@code \n</think>\n\n}; others: empty). Grammars put it before the answer/call alternatives.
     */
    default String replyPrefix() {
        return "";
    }

    /** How one tool call is written, for grammars. */
    ToolCallSyntax toolCallSyntax();

    /** The exact text of one tool call as this format writes it in an assistant turn. */
    default String renderToolCall(ToolCall call) {
        return new Renderer().appendToolCall(toolCallSyntax(), call).text();
    }

    /** Splits generated assistant text (without the generation prompt, stop string optional) into text and calls. */
    ParsedReply parse(String generated);

    static ChatFormat chatml() {
        return ChatMLFormat.INSTANCE;
    }

    /**
     * ChatML/Hermes that lists the tools by name only (one per line in the system turn's {@code <tools>} block);
     * otherwise the same as {@link #chatml()}. Models carrying {@link ChatTemplates#CHATML_TOOL_NAMES} use it.
     */
    static ChatFormat chatmlToolNames() {
        return ChatMLFormat.TOOL_NAMES;
    }

    /**
     * ChatML/Hermes whose system turn lists no tools: with tools, the system prompt alone; otherwise the same as
     * {@link #chatml()}. For a model that learned one fixed toolset in training (the {@code tiny} model with {@code
     * forge.toolPrompt=none}). Models carrying {@link ChatTemplates#CHATML_IMPLICIT_TOOLS} use it.
     */
    static ChatFormat chatmlImplicitTools() {
        return ChatMLFormat.IMPLICIT_TOOLS;
    }

    static ChatFormat llama3() {
        return Llama3Format.INSTANCE;
    }

    static ChatFormat deepseekR1() {
        return DeepSeekR1Format.INSTANCE;
    }

    /**
     * "chatml"/"qwen"/"hermes", "chatml-names" (tools by name only), "chatml-implicit" (no tool list),
     * "llama3"/"llama-3", "deepseek-r1"/"deepseek"
     * (case-insensitive).
     */
    static ChatFormat byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "chatml", "qwen", "qwen2", "qwen2.5", "hermes" -> chatml();
            case "chatml-names" -> chatmlToolNames();
            case "chatml-implicit" -> chatmlImplicitTools();
            case "llama3", "llama-3", "llama3.1", "llama3.2" -> llama3();
            case "deepseek-r1", "deepseek", "r1" -> deepseekR1();
            default -> throw new IllegalArgumentException("Unknown chat format '" + name
                    + "'. Supported: chatml (Qwen/Hermes), chatml-names (ChatML, tools by name only), chatml-implicit "
                    + "(ChatML, no tool list), llama3, deepseek-r1.");
        };
    }

    /**
     * {@link #detect} on a GGUF file's {@code general.architecture} and {@code tokenizer.chat_template}; without a
     * template, the family's marker tokens in the vocabulary decide (ChatML when none is found).
     */
    static ChatFormat forModel(dev.mcpforge.engine.gguf.GgufFile model) {
        try {
            String template = model.chatTemplate().orElse(null);
            if (template == null || template.isBlank()) {
                java.util.Set<String> tokens = new java.util.HashSet<>(model.getStringList("tokenizer.ggml.tokens"));
                if (tokens.contains("<\uFF5CAssistant\uFF5C>")) {
                    return deepseekR1();
                }
                if (tokens.contains("<|start_header_id|>") && !tokens.contains("<|im_start|>")) {
                    return llama3();
                }
                return chatml();
            }
            return detect(model.architecture(), template);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Chooses the format from GGUF metadata ({@code general.architecture}, {@code tokenizer.chat_template}): the
     * template's markers decide; without a template, Qwen-family architectures (and everything else) use ChatML. A
     * template equal to {@link ChatTemplates#CHATML_TOOL_NAMES} or {@link ChatTemplates#CHATML_IMPLICIT_TOOLS} (the tiny
     * model's, MCP-Forge writes them) gives {@link #chatmlToolNames()} or {@link #chatmlImplicitTools()}; every other
     * ChatML template the full {@link #chatml()}.
     *
     * @throws IllegalArgumentException for a template of an unsupported family, naming the supported ones
     */
    static ChatFormat detect(String architecture, String chatTemplate) {
        if (chatTemplate == null || chatTemplate.isBlank()) {
            return chatml();
        }
        if (chatTemplate.equals(ChatTemplates.CHATML_TOOL_NAMES)) {
            return chatmlToolNames();
        }
        if (chatTemplate.equals(ChatTemplates.CHATML_IMPLICIT_TOOLS)) {
            return chatmlImplicitTools();
        }
        if (chatTemplate.contains("<\uFF5CAssistant\uFF5C>") || chatTemplate.contains("<\uFF5CUser\uFF5C>")) {
            return deepseekR1();
        }
        if (chatTemplate.contains("<|start_header_id|>")) {
            return llama3();
        }
        if (chatTemplate.contains("<|im_start|>")) {
            return chatml();
        }
        throw new IllegalArgumentException("The model's chat template (architecture '" + architecture
                + "') is not of a supported family. Supported: ChatML/Qwen (<|im_start|>), Llama 3 (<|start_header_id|>),"
                + " DeepSeek-R1 (<\uFF5CAssistant\uFF5C>). Choose a base model of one of these families.");
    }
}
