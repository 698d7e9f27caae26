package dev.mcpforge.eval;

import dev.mcpforge.data.Message;
import dev.mcpforge.data.Sample;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/**
 * A test double of the model: replies are looked up by the last user message and the turn (0 = first reply, 1 = the
 * reply after the tool result). Unknown prompts fail the test loudly.
 */
public final class ScriptedBackend implements ModelBackend {
    private final ChatFormat format;
    private final BiFunction<String, Integer, String> script;
    public final List<Options> seen = new ArrayList<>();
    private String name = "scripted";

    public ScriptedBackend named(String n) {
        this.name = n;
        return this;
    }

    public ScriptedBackend(ChatFormat format, BiFunction<String, Integer, String> script) {
        this.format = format;
        this.script = script;
    }

    /** Replies from a map: prompt -> [first reply, final reply]. */
    public static ScriptedBackend of(ChatFormat format, Map<String, List<String>> replies) {
        return new ScriptedBackend(format, (prompt, turn) -> {
            List<String> r = replies.get(prompt);
            if (r == null || turn >= r.size()) {
                throw new AssertionError("no scripted reply for turn " + turn + " of '" + prompt + "'");
            }
            return r.get(turn);
        });
    }

    /** The perfect model: answers every sample as the sample does, rendered in {@code format}'s call syntax. */
    public static ScriptedBackend oracle(ChatFormat format, List<Sample> samples) {
        Map<String, List<String>> replies = new HashMap<>();
        for (Sample s : samples) {
            List<String> turns = new ArrayList<>();
            for (Message m : s.messages()) {
                if ("assistant".equals(m.role())) {
                    if (m.hasToolCalls()) {
                        StringBuilder sb = new StringBuilder(format.replyPrefix());
                        for (var c : m.toolCalls()) {
                            sb.append(format.renderToolCall(new ToolCall(c.name(), c.arguments())));
                        }
                        turns.add(sb.toString());
                    } else {
                        turns.add(format.replyPrefix() + (m.content() == null ? "" : m.content()));
                    }
                }
            }
            replies.put(s.userText(), turns);
        }
        return of(format, replies);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ChatFormat format() {
        return format;
    }

    @Override
    public Reply generate(List<ChatMessage> conversation, JsonNode tools, Options options) {
        seen.add(options);
        String user = "";
        int turn = 0;
        for (ChatMessage m : conversation) {
            if (m.role() == ChatMessage.Role.USER) {
                user = m.content();
                turn = 0;
            } else if (m.role() == ChatMessage.Role.ASSISTANT) {
                turn++;
            }
        }
        return new Reply(script.apply(user, turn), "scripted", 0, 1);
    }
}
