package dev.mcpforge.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Pure-Java encoder/decoder reproducing llama.cpp v0.5.0's SPM tokenizer (src/llama-vocab.cpp:
 * {@code tokenizer_st_partition} + {@code llm_tokenizer_spm_session}) for vocabularies with
 * {@code add_space_prefix=false}: special tokens are split out first (USER_DEFINED always, CONTROL/UNKNOWN only with
 * parseSpecial), spaces become U+2581, then adjacent symbols are merged greedily by the score of the merged token
 * (ties: leftmost), and symbols that are no token fall back to {@code <0xNN>} byte tokens.
 */
public final class SpmTokenizer {
    private final Vocabulary vocab;
    /** token text as a Latin-1 string of its UTF-8 bytes -> id */
    private final Map<String, Integer> byBytes = new HashMap<>();
    private final int[] byteTokens = new int[256];
    private final List<Integer> specials = new ArrayList<>();

    public SpmTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        for (int i = 0; i < vocab.size(); i++) {
            byBytes.put(latin1(vocab.token(i).getBytes(StandardCharsets.UTF_8)), i);
            TokenType t = vocab.type(i);
            if (t == TokenType.CONTROL || t == TokenType.USER_DEFINED || t == TokenType.UNKNOWN) {
                specials.add(i);
            }
        }
        // llama.cpp sorts by text length, longest first (std::sort; ties do not matter for non-overlapping texts)
        specials.sort(Comparator.comparingInt((Integer id) -> -vocab.token(id).getBytes(StandardCharsets.UTF_8).length)
                .thenComparingInt(id -> id));
        for (int b = 0; b < 256; b++) {
            Integer id = byBytes.get(latin1(String.format("<0x%02X>", b).getBytes(StandardCharsets.UTF_8)));
            if (id == null) {
                id = byBytes.get(String.valueOf((char) b));
            }
            byteTokens[b] = id == null ? vocab.unkId() : id;
        }
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    /** Like {@code llama_tokenize(vocab, text, addSpecial=false, parseSpecial)}. */
    public int[] encode(String text, boolean parseSpecial) {
        return encode(text, false, parseSpecial);
    }

    /** Like {@code llama_tokenize(vocab, text, addSpecial, parseSpecial)} (addSpecial adds BOS if the vocab says so). */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        List<Object> fragments = new ArrayList<>(); // String (raw text) or Integer (token)
        if (!text.isEmpty()) {
            fragments.add(text);
        }
        for (int id : specials) {
            TokenType t = vocab.type(id);
            if (!parseSpecial && (t == TokenType.CONTROL || t == TokenType.UNKNOWN)) {
                continue;
            }
            String st = vocab.token(id);
            List<Object> next = new ArrayList<>();
            for (Object f : fragments) {
                if (f instanceof String s) {
                    int from = 0;
                    int m;
                    while ((m = s.indexOf(st, from)) >= 0) {
                        if (m > from) {
                            next.add(s.substring(from, m));
                        }
                        next.add(id);
                        from = m + st.length();
                    }
                    if (from < s.length()) {
                        next.add(s.substring(from));
                    }
                } else {
                    next.add(f);
                }
            }
            fragments = next;
        }
        List<Integer> out = new ArrayList<>();
        if (addSpecial && vocab.addBos()) {
            out.add(vocab.bosId());
        }
        for (Object f : fragments) {
            if (f instanceof Integer id) {
                out.add(id);
            } else {
                spm(((String) f).replace(" ", Vocabulary.SPACE).getBytes(StandardCharsets.UTF_8), out);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final class Sym {
        int start;
        int n;
        int prev;
        int next;
    }

    private record Bigram(int left, int right, float score, int size) {
    }

    private static final int[] UTF8_LEN = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};

    private void spm(byte[] text, List<Integer> out) {
        List<Sym> syms = new ArrayList<>();
        int offs = 0;
        int index = 0;
        while (offs < text.length) {
            Sym s = new Sym();
            int len = UTF8_LEN[(text[offs] & 0xff) >> 4];
            s.start = offs;
            s.n = Math.min(len, text.length - offs);
            offs += s.n;
            s.prev = index - 1;
            s.next = offs == text.length ? -1 : index + 1;
            index++;
            syms.add(s);
        }
        // std::priority_queue with comparator (l.score < r.score) || (l.score == r.score && l.left > r.left)
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> {
            int c = Float.compare(b.score, a.score);
            return c != 0 ? c : Integer.compare(a.left, b.left);
        });
        for (int i = 1; i < syms.size(); i++) {
            tryAddBigram(text, syms, queue, i - 1, i);
        }
        while (!queue.isEmpty()) {
            Bigram bg = queue.poll();
            Sym l = syms.get(bg.left);
            Sym r = syms.get(bg.right);
            if (l.n == 0 || r.n == 0 || l.n + r.n != bg.size) {
                continue;
            }
            l.n += r.n;
            r.n = 0;
            l.next = r.next;
            if (r.next >= 0) {
                syms.get(r.next).prev = bg.left;
            }
            tryAddBigram(text, syms, queue, l.prev, bg.left);
            tryAddBigram(text, syms, queue, bg.left, l.next);
        }
        if (syms.isEmpty()) {
            return;
        }
        for (int i = 0; i != -1; i = syms.get(i).next) {
            Sym s = syms.get(i);
            Integer id = byBytes.get(latin1(text, s.start, s.n));
            if (id != null) {
                out.add(id);
            } else {
                // merged symbols are always tokens, so only single characters get here: emit their bytes
                for (int j = 0; j < s.n; j++) {
                    out.add(byteTokens[text[s.start + j] & 0xff]);
                }
            }
        }
    }

    private void tryAddBigram(byte[] text, List<Sym> syms, PriorityQueue<Bigram> q, int left, int right) {
        if (left == -1 || right == -1) {
            return;
        }
        Sym l = syms.get(left);
        Sym r = syms.get(right);
        Integer id = byBytes.get(latin1(text, l.start, l.n + r.n));
        if (id == null) {
            return;
        }
        q.add(new Bigram(left, right, vocab.score(id), l.n + r.n));
    }

    /** The bytes of one token as {@code llama_token_to_piece(..., lstrip=0, special)} returns them. */
    public byte[] pieceBytes(int id, boolean special) {
        TokenType t = vocab.type(id);
        String text = vocab.token(id);
        if (t == TokenType.CONTROL || t == TokenType.UNKNOWN) {
            return special ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
        }
        if (t == TokenType.USER_DEFINED) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (t == TokenType.NORMAL) {
            return text.replace(Vocabulary.SPACE, " ").getBytes(StandardCharsets.UTF_8);
        }
        if (t == TokenType.BYTE) {
            return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
        }
        return new byte[0];
    }

    /** Detokenizes (UTF-8 decoding the concatenated piece bytes; invalid sequences become U+FFFD). */
    public String decode(int[] ids, boolean special) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (int id : ids) {
            bos.writeBytes(pieceBytes(id, special));
        }
        return bos.toString(StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] b) {
        return latin1(b, 0, b.length);
    }

    private static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
