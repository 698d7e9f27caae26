package dev.mcpforge.engine.chat;

import java.util.List;

/**
 * A rendered conversation plus the character spans {@code [start, end)} of the text the model generates in each
 * assistant turn: from just after the generation prompt (e.g. {@code <|im_start|>assistant\n}) through the
 * end-of-turn marker (e.g. {@code <|im_end|>}) inclusive. Training masks the loss to these spans. {@code toolNames}
 * are the spans of the called tools' names inside them, as written (training measures its held-out tool choice on
 * them).
 */
public record RenderedChat(String text, List<Span> assistantSpans, List<Span> toolNames) {
    public record Span(int start, int end) {
        public Span {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad span " + start + ".." + end);
            }
        }
    }

    public RenderedChat {
        assistantSpans = List.copyOf(assistantSpans);
        toolNames = List.copyOf(toolNames);
    }

    /** The texts of the assistant spans. */
    public List<String> assistantTexts() {
        return assistantSpans.stream().map(s -> text.substring(s.start(), s.end())).toList();
    }
}
