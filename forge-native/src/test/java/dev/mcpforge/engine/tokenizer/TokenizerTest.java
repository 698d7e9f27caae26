package dev.mcpforge.engine.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {
    static String corpus;
    static Vocabulary vocab;
    static SpmTokenizer tok;

    @BeforeAll
    static void train() {
        corpus = TestCorpus.chatml(300);
        vocab = new TokenizerTrainer(600).train(corpus);
        tok = new SpmTokenizer(vocab);
    }

    @Test
    void layoutHasSpecialsBytesAndLearnedPieces() {
        // the small test corpus runs out of frequent allowed pairs before 600
        assertTrue(vocab.size() <= 600 && vocab.size() > 450, "size " + vocab.size());
        assertEquals("<unk>", vocab.token(0));
        assertEquals(TokenType.UNKNOWN, vocab.type(0));
        assertEquals("<s>", vocab.token(1));
        assertEquals("</s>", vocab.token(2));
        assertEquals(TokenType.CONTROL, vocab.type(vocab.id("<|im_start|>")));
        assertEquals(TokenType.CONTROL, vocab.type(vocab.id("<|im_end|>")));
        assertEquals(TokenType.USER_DEFINED, vocab.type(vocab.id("<tool_call>")));
        assertEquals(TokenType.USER_DEFINED, vocab.type(vocab.id("</tool_response>")));
        assertEquals(vocab.id("<|im_end|>"), vocab.eotId());
        for (int b = 0; b < 256; b++) {
            int id = TokenizerTrainer.FIRST_BYTE_ID + b;
            assertEquals(String.format("<0x%02X>", b), vocab.token(id));
            assertEquals(TokenType.BYTE, vocab.type(id));
        }
        assertTrue(vocab.id("\u2581file") > 0, "learns frequent words with the U+2581 space marker");
        Set<String> unique = new HashSet<>(vocab.tokens());
        assertEquals(vocab.size(), unique.size());
        // specials are never learned as pieces
        assertEquals(1, vocab.tokens().stream().filter(t -> t.equals("<tool_call>")).count());
    }

    @Test
    void piecesNeverMixLettersDigitsAndPunctuation() {
        assertTrue(TokenizerTrainer.allowedPiece("\u2581file"));
        assertTrue(TokenizerTrainer.allowedPiece("\"}}"));
        assertTrue(TokenizerTrainer.allowedPiece("\u2581\u2581"));
        assertTrue(TokenizerTrainer.allowedPiece("\u00e9t\u00e9"));
        assertFalse(TokenizerTrainer.allowedPiece("u319"));
        assertFalse(TokenizerTrainer.allowedPiece("12"));
        assertFalse(TokenizerTrainer.allowedPiece("/home"));
        assertFalse(TokenizerTrainer.allowedPiece("\u2581\"path"));
        for (int id = TokenizerTrainer.FIRST_BYTE_ID + 256; id < vocab.size(); id++) {
            String t = vocab.token(id);
            assertTrue(t.codePointCount(0, t.length()) == 1 || TokenizerTrainer.allowedPiece(t), t);
        }
        // the same path splits the same way in the prompt and inside a JSON argument
        int[] prompt = tok.encode("read /tmp/notes.txt", false);
        int[] arg = tok.encode("{\"path\": \"/tmp/notes.txt\"}", false);
        String p = Arrays.toString(Arrays.copyOfRange(prompt, prompt.length - 5, prompt.length));
        assertTrue(Arrays.toString(arg).contains(p.substring(1, p.length() - 1)), Arrays.toString(arg) + " vs " + p);
    }

    @Test
    void assistantSpansOfChatmlAreTokenBoundaries() {
        var call = new dev.mcpforge.engine.chat.ToolCall("read_file",
                dev.mcpforge.engine.chat.JsonText.MAPPER.readTree("{\"path\": \"/tmp/notes.txt\"}"));
        var conv = List.of(dev.mcpforge.engine.chat.ChatMessage.system("You are a helpful assistant with file tools."),
                dev.mcpforge.engine.chat.ChatMessage.user("Please read the file /tmp/notes.txt"),
                dev.mcpforge.engine.chat.ChatMessage.toolCall(call),
                dev.mcpforge.engine.chat.ChatMessage.toolResult("read_file", "The file contains 12 lines of text."),
                dev.mcpforge.engine.chat.ChatMessage.assistant("Hello! It has 12 lines."));
        var r = dev.mcpforge.engine.chat.ChatFormat.chatml().renderWithSpans(conv, null, false);
        int[] whole = tok.encode(r.text(), true);
        List<Integer> pieces = new java.util.ArrayList<>();
        int at = 0;
        for (var span : r.assistantSpans()) {
            for (int id : tok.encode(r.text().substring(at, span.start()), true)) {
                pieces.add(id);
            }
            for (int id : tok.encode(r.text().substring(span.start(), span.end()), true)) {
                pieces.add(id);
            }
            at = span.end();
        }
        for (int id : tok.encode(r.text().substring(at), true)) {
            pieces.add(id);
        }
        assertArrayEquals(whole, pieces.stream().mapToInt(Integer::intValue).toArray(),
                "tokenizing segment by segment must give the same tokens, so char spans map to token spans");
        SpmTokenizer.MaskedTokens masked = tok.encodeMasked(r);
        assertArrayEquals(whole, masked.tokens());
        StringBuilder assistantText = new StringBuilder();
        for (int i = 0; i < whole.length; i++) {
            if (masked.assistant()[i]) {
                assistantText.append(tok.decode(new int[] {whole[i]}, true));
            }
        }
        assertEquals(String.join("", r.assistantTexts()), assistantText.toString());
    }

    @Test
    void deterministic() {
        Vocabulary again = new TokenizerTrainer(600).train(TestCorpus.chatml(300));
        assertEquals(vocab.tokens(), again.tokens());
        assertArrayEquals(vocab.scores(), again.scores());
        Vocabulary other = new TokenizerTrainer(600).train(corpus + " zebra zebra zebra quux quux quux");
        assertNotEquals(vocab.tokens(), other.tokens());
    }

    @Test
    void roundTripsArbitraryText() {
        for (String s : List.of("Please read the file /tmp/notes.txt", "  two  spaces\tand tab\n", "unseen: \u00e9\u00e8 \u4e2d\u6587 \uD83D\uDE00 {}[]",
                "<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"README.md\"}}\n</tool_call>", "")) {
            assertEquals(s, tok.decode(tok.encode(s, false), false), s);
        }
    }

    @Test
    void compressesCorpusText() {
        String text = "<|im_start|>user\nPlease read the file /tmp/notes.txt<|im_end|>\n";
        int[] ids = tok.encode(text, true);
        assertEquals(vocab.id("<|im_start|>"), ids[0]);
        assertTrue(ids.length < text.length() / 2, "expected compression, got " + ids.length + " tokens: " + Arrays.toString(ids));
        assertEquals(text, tok.decode(ids, true));
    }

    @Test
    void controlTokensOnlyWithParseSpecialUserDefinedAlways() {
        int imStart = vocab.id("<|im_start|>");
        int toolCall = vocab.id("<tool_call>");
        int[] parsed = tok.encode("<|im_start|><tool_call>", true);
        assertArrayEquals(new int[] {imStart, toolCall}, parsed);
        int[] plain = tok.encode("<|im_start|><tool_call>", false);
        assertTrue(plain.length > 2 && plain[plain.length - 1] == toolCall, Arrays.toString(plain));
        assertTrue(Arrays.stream(plain).noneMatch(i -> i == imStart));
        // control tokens are hidden unless special=true, user-defined ones always printed
        assertEquals("<tool_call>", tok.decode(parsed, false));
        assertEquals("<|im_start|><tool_call>", tok.decode(parsed, true));
    }

    @Test
    void unknownCharactersUseByteFallback() {
        int[] ids = tok.encode("\u4e2d", false); // 3 UTF-8 bytes E4 B8 AD, not in the corpus
        assertArrayEquals(new int[] {vocab.id("<0xE4>"), vocab.id("<0xB8>"), vocab.id("<0xAD>")}, ids);
        int[] nl = tok.encode("\n", false);
        assertArrayEquals(new int[] {vocab.id("<0x0A>")}, nl);
    }

    @Test
    void mergesFollowScores() {
        // a hand-made vocab: "ab" scores higher than "bc", so "abc" -> ab + c
        List<String> t = new java.util.ArrayList<>(List.of("<unk>", "<s>", "</s>", "a", "b", "c", "ab", "bc"));
        float[] sc = {0, 0, 0, -10, -11, -12, -1, -2};
        TokenType[] ty = new TokenType[t.size()];
        Arrays.fill(ty, TokenType.NORMAL);
        ty[0] = TokenType.UNKNOWN;
        ty[1] = ty[2] = TokenType.CONTROL;
        SpmTokenizer s = new SpmTokenizer(new Vocabulary(t, sc, ty, 0, 1, 2, -1, false));
        assertArrayEquals(new int[] {6, 5}, s.encode("abc", false));
        sc[7] = 0.5f; // now "bc" wins
        SpmTokenizer s2 = new SpmTokenizer(new Vocabulary(t, sc, ty, 0, 1, 2, -1, false));
        assertArrayEquals(new int[] {3, 7}, s2.encode("abc", false));
    }

    @Test
    void rejectsTooSmallVocabularyAndEmptyCorpus() {
        assertThrows(IllegalArgumentException.class, () -> new TokenizerTrainer(100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenizerTrainer(600).train("  "));
        assertTrue(e.getMessage().contains("corpus is empty"));
    }

    @Test
    void wholeWordTokensAreUserDefinedAndAlwaysOneToken() {
        String corpus = TestCorpus.chatml(60) + " call read_text_file or list_directory please ".repeat(50);
        Vocabulary v = new TokenizerTrainer(600).train(corpus, List.of("read_text_file", "list_directory"));
        assertTrue(v.size() <= 600, "vocabulary " + v.size());
        int read = v.tokens().indexOf("read_text_file");
        int list = v.tokens().indexOf("list_directory");
        assertTrue(read > 0 && list > 0);
        assertEquals(TokenType.USER_DEFINED, v.type(read));
        assertEquals(TokenType.USER_DEFINED, v.type(list));
        SpmTokenizer t = new SpmTokenizer(v);
        assertArrayEquals(new int[] {read}, t.encode("read_text_file", false));
        int[] ids = t.encode("use list_directory, then read_text_file.", false);
        assertTrue(java.util.Arrays.stream(ids).filter(id -> id == list || id == read).count() == 2,
                java.util.Arrays.toString(ids));
        assertEquals("use list_directory, then read_text_file.", t.decode(ids, false));
        // the same corpus and names give the same vocabulary; without names the pieces split at the underscore
        assertEquals(v.tokens(), new TokenizerTrainer(600).train(corpus, List.of("list_directory", "read_text_file")).tokens());
        assertTrue(new SpmTokenizer(new TokenizerTrainer(600).train(corpus)).encode("read_text_file", false).length > 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TokenizerTrainer(600).train(corpus, List.of("two words")));
        assertTrue(e.getMessage().contains("cannot be a token of its own"), e.getMessage());
    }

    @Test
    void identifiersButNotPlainWordsAreToolNameTokens() {
        for (String id : List.of("read_text_file", "get-sum", "fs.read", "readFile", "tool2")) {
            assertTrue(TokenizerTrainer.identifierLike(id), id);
        }
        for (String w : List.of("echo", "Search", "", "a b")) {
            assertFalse(TokenizerTrainer.identifierLike(w), w);
        }
    }
}
