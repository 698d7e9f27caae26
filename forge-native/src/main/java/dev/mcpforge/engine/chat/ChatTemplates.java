package dev.mcpforge.engine.chat;

/** Jinja chat templates written into GGUF metadata ({@code tokenizer.chat_template}). */
public final class ChatTemplates {
    private ChatTemplates() {
    }

    /** The system turn's opening: the first system message, else the default system prompt. */
    private static final String SYSTEM_OPEN = String.join("",
            "{%- if tools %}",
            "{{- '<|im_start|>system\\n' }}",
            "{%- if messages[0]['role'] == 'system' %}{{- messages[0]['content'] }}",
            "{%- else %}{{- '" + ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT + "' }}{%- endif %}");

    /** After the tool list: how to write a call, then the end of the system turn. */
    private static final String CALL_INSTRUCTIONS = String.join("",
            "{{- '\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments ",
            "within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\"name\": <function-name>, \"arguments\": ",
            "<args-json-object>}\\n</tool_call><|im_end|>\\n' }}");

    /** Everything after the tools section: the turns, calls, tool results and the generation prompt. */
    private static final String TURNS = String.join("",
            "{%- elif messages[0]['role'] == 'system' %}",
            "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}",
            "{%- endif %}",
            "{%- for message in messages %}",
            "{%- if message.role == 'user' or (message.role == 'system' and not loop.first) ",
            "or (message.role == 'assistant' and not message.tool_calls) %}",
            "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}",
            "{%- elif message.role == 'assistant' %}",
            "{{- '<|im_start|>assistant' }}",
            "{%- if message.content %}{{- '\\n' + message.content }}{%- endif %}",
            "{%- for tool_call in message.tool_calls %}",
            "{%- if tool_call.function is defined %}{%- set tool_call = tool_call.function %}{%- endif %}",
            "{{- '\\n<tool_call>\\n{\"name\": \"' + tool_call.name + '\", \"arguments\": ' }}",
            "{{- tool_call.arguments | tojson }}{{- '}\\n</tool_call>' }}",
            "{%- endfor %}",
            "{{- '<|im_end|>\\n' }}",
            "{%- elif message.role == 'tool' %}",
            "{%- if loop.index0 == 0 or messages[loop.index0 - 1].role != 'tool' %}{{- '<|im_start|>user' }}{%- endif %}",
            "{{- '\\n<tool_response>\\n' + message.content + '\\n</tool_response>' }}",
            "{%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}{{- '<|im_end|>\\n' }}{%- endif %}",
            "{%- endif %}",
            "{%- endfor %}",
            "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}");

    /**
     * ChatML with Hermes-style tool calling, the same text {@link ChatFormat#chatml()} renders: tools listed as JSON
     * lines inside {@code <tools></tools>} in the system turn, calls as {@code <tool_call>\n{"name": .., "arguments": ..}\n</tool_call>},
     * tool results as {@code <tool_response>} blocks in a user turn.
     */
    public static final String CHATML_TOOLS = String.join("",
            SYSTEM_OPEN,
            "{{- '\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n",
            "You are provided with function signatures within <tools></tools> XML tags:\\n<tools>' }}",
            "{%- for tool in tools %}{{- '\\n' }}{{- tool | tojson }}{%- endfor %}",
            CALL_INSTRUCTIONS,
            TURNS);

    /**
     * {@link #CHATML_TOOLS} with the tools listed by name only, one per line (the text {@link
     * ChatFormat#chatmlToolNames()} renders): for the from-scratch {@code tiny} model. Tool entries may be MCP
     * definitions ({@code {name, ...}}) or OpenAI-style ({@code {type, function: {name, ...}}}), as servers pass them.
     * A model carrying exactly this template is detected as {@code chatml-names}.
     */
    public static final String CHATML_TOOL_NAMES = String.join("",
            SYSTEM_OPEN,
            "{{- '\\n\\n# Tools\\n\\nYou may call these functions:\\n<tools>' }}",
            "{%- for tool in tools %}",
            "{%- if tool.function is defined %}{%- set tool = tool.function %}{%- endif %}",
            "{{- '\\n' + tool.name }}",
            "{%- endfor %}",
            CALL_INSTRUCTIONS,
            TURNS);

    /**
     * {@link #CHATML_TOOLS} without a tool section (the text {@link ChatFormat#chatmlImplicitTools()} renders): with
     * tools, the system turn is the first system message, else the default system prompt, alone; the model knows its
     * tools from training. For the from-scratch {@code tiny} model trained with {@code forge.toolPrompt=none}. A model
     * carrying exactly this template is detected as {@code chatml-implicit}.
     */
    public static final String CHATML_IMPLICIT_TOOLS = String.join("",
            SYSTEM_OPEN,
            "{{- '<|im_end|>\\n' }}",
            TURNS);
}
