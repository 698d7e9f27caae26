package dev.mcpforge.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.engine.llama.Context;
import dev.mcpforge.engine.llama.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prefix cache: consecutive requests that share a prompt prefix decode only their new suffix, and every output
 * equals the output of a generator that clears its context before each request (greedy and seeded sampling).
 */
class PrefixCacheTest {
    private static final JsonNode TOOLS = JsonMapper.builder().build().readTree("""
            [{"name": "list_directory", "description": "List the entries of a directory on the local disk",
              "inputSchema": {"type": "object", "properties": {"path": {"type": "string"},
                 "recursive": {"type": "boolean"}}, "required": ["path"]}},
             {"name": "read_file", "description": "Read the text of a file",
              "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}]
            """);

    /** A validation-like sequence: cases sharing system prompt + tools, each with a follow-up turn after a tool result. */
    private static List<GenerationRequest> requests() {
        ChatFormat f = ChatFormat.chatml();
        List<GenerationRequest> out = new ArrayList<>();
        String[] users = {"show me /tmp", "read the file /etc/hosts please", "what is in /var/log?", "hello there"};
        for (String u : users) {
            List<ChatMessage> conv = new ArrayList<>(List.of(ChatMessage.user(u)));
            out.add(GenerationRequest.chat(f, conv, TOOLS, 24));
            conv.add(ChatMessage.assistant("", List.of(new ToolCall("list_directory",
                    JsonMapper.builder().build().readTree("{\"path\": \"/tmp\"}")))));
            conv.add(ChatMessage.toolResult("list_directory", "a.txt\nb.txt"));
            out.add(GenerationRequest.chat(f, conv, TOOLS, 24));
        }
        out.add(out.get(7)); // the previous prompt again: everything but its last token comes from the cache
        out.add(GenerationRequest.greedy("<|im_start|>user\nshort<|im_end|>\n<|im_start|>assistant\n", 16)); // no common prefix
        out.add(out.get(2).withSampling(0.9f, 40, 0.95f, 7));
        out.add(out.get(2).withSampling(0.9f, 40, 0.95f, 8));
        return out;
    }

    @Test
    void cachedGenerationEqualsUncachedGenerationAndSkipsTheSharedPrefix() {
        List<GenerationRequest> reqs = requests();
        List<GenerationResult> cached = new ArrayList<>();
        List<GenerationResult> fresh = new ArrayList<>();
        try (Model m = Model.load(TestModels.tinyPath());
             Generator on = new Generator(m, 1024, 1);
             Generator off = new Generator(m, 1024, 1).prefixCache(false)) {
            for (GenerationRequest r : reqs) {
                cached.add(on.generate(r));
                fresh.add(off.generate(r));
            }
        }
        for (int i = 0; i < reqs.size(); i++) {
            int k = i;
            assertEquals(fresh.get(i).text(), cached.get(i).text(), () -> "request " + k + " differs with the cache");
            assertEquals(fresh.get(i).stopReason(), cached.get(i).stopReason());
            assertEquals(fresh.get(i).promptTokens(), cached.get(i).promptTokens());
            assertEquals(0, fresh.get(i).cachedTokens(), "the cache is off");
        }
        int ub = Generator.UBATCH;
        for (GenerationResult r : cached) {
            assertEquals(0, r.cachedTokens() % ub, "the kept prefix ends at a micro-batch boundary: " + r.cachedTokens());
        }
        assertEquals(0, cached.get(0).cachedTokens(), "nothing is cached before the first request");
        // the follow-up turn extends the first prompt: the first prompt's full micro-batches are kept
        assertTrue(cached.get(1).cachedTokens() >= cached.get(0).promptTokens() - ub - 2,
                cached.get(1).cachedTokens() + " of " + cached.get(1).promptTokens());
        // the next case shares the system prompt and the tool list
        assertTrue(cached.get(2).cachedTokens() >= ub, "reused " + cached.get(2).cachedTokens());
        GenerationResult again = cached.get(8);
        assertEquals((again.promptTokens() - 1) / ub * ub, again.cachedTokens(), "a repeated prompt");
        assertEquals(cached.get(7).text(), again.text());
        assertEquals(0, cached.get(9).cachedTokens(), "an unrelated prompt");
        assertEquals(0, cached.get(10).cachedTokens(), "after the short unrelated prompt nothing is reusable");
        assertTrue(cached.get(11).cachedTokens() > 0, "the same prompt sampled with another seed");
    }

    /** Why the cut is aligned: a prompt decoded in two parts split at a micro-batch boundary gives the same logits. */
    @Test
    void aDecodeSplitAtAMicroBatchBoundaryGivesBitIdenticalLogits() {
        GenerationRequest req = requests().get(1);
        try (Model m = Model.load(TestModels.tinyPath())) {
            int[] t = m.vocab().tokenize(req.prompt(), false, true);
            assertTrue(t.length > 3 * Generator.UBATCH, "prompt too short for the test: " + t.length);
            float[] whole;
            try (Context c = new Context(m, 1024, 1, Generator.UBATCH)) {
                c.decode(t, 0, t.length);
                whole = c.lastLogits();
            }
            for (int cut : new int[] {Generator.UBATCH, 2 * Generator.UBATCH, t.length / Generator.UBATCH * Generator.UBATCH}) {
                try (Context c = new Context(m, 1024, 1, Generator.UBATCH)) {
                    c.decode(t, 0, cut);
                    c.decode(t, cut, t.length - cut);
                    assertArrayEquals(whole, c.lastLogits(), "split at " + cut);
                }
                try (Context c = new Context(m, 1024, 1, Generator.UBATCH)) { // as the generator does it: truncate a longer cache
                    c.decode(t, 0, t.length);
                    assertTrue(c.truncate(cut));
                    c.decode(t, cut, t.length - cut);
                    assertArrayEquals(whole, c.lastLogits(), "truncated to " + cut);
                }
            }
        }
    }
}
