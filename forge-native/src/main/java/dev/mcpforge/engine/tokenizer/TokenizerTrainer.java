package dev.mcpforge.engine.tokenizer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns a SentencePiece-style ("llama") vocabulary from a text corpus with a BPE merge learner. Layout:
 * ids 0..8 special tokens ({@code <unk> <s> </s> <|im_start|> <|im_end|>} as UNKNOWN/CONTROL,
 * {@code <tool_call> </tool_call> <tool_response> </tool_response>} as USER_DEFINED so llama.cpp always splits them
 * out and prints them), ids 9..264 the byte tokens {@code <0x00>..<0xFF>} (byte fallback), then the characters of the
 * corpus (most frequent first) and the learned merges (see {@link #allowedPiece}); a merge learned k-th gets score
 * -k, so llama.cpp's
 * greedy-by-score SPM merging replays the merges in learned order. Deterministic for the same corpus and options.
 * Hand-written: SentencePiece has no Java implementation, and the vocabulary must be shaped for llama.cpp.
 */
public final class TokenizerTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(TokenizerTrainer.class);

    /** Special tokens in id order with their types. */
    public static final List<String> SPECIAL_TOKENS = List.of(Vocabulary.UNK, Vocabulary.BOS, Vocabulary.EOS,
            Vocabulary.IM_START, Vocabulary.IM_END, Vocabulary.TOOL_CALL, Vocabulary.TOOL_CALL_END,
            Vocabulary.TOOL_RESPONSE, Vocabulary.TOOL_RESPONSE_END);
    private static final List<TokenType> SPECIAL_TYPES = List.of(TokenType.UNKNOWN, TokenType.CONTROL,
            TokenType.CONTROL, TokenType.CONTROL, TokenType.CONTROL, TokenType.USER_DEFINED, TokenType.USER_DEFINED,
            TokenType.USER_DEFINED, TokenType.USER_DEFINED);
    public static final int FIRST_BYTE_ID = SPECIAL_TOKENS.size();
    /** Smallest vocabulary: special and byte tokens plus a little room. */
    public static final int MIN_VOCAB_SIZE = FIRST_BYTE_ID + 256 + 32;
    public static final int DEFAULT_VOCAB_SIZE = 2048;

    private final int vocabSize;
    private final int maxPieceLength;
    private final int minFrequency;

    /**
     * @param vocabSize      total vocabulary size (special + byte + character + merged tokens), at least
     *                       {@link #MIN_VOCAB_SIZE}; fewer tokens result if the corpus has no more frequent pairs
     * @param maxPieceLength longest learned piece in characters (e.g. 16)
     * @param minFrequency   a pair must occur at least this often to be merged (e.g. 2)
     */
    public TokenizerTrainer(int vocabSize, int maxPieceLength, int minFrequency) {
        if (vocabSize < MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " is too small: it must be at least "
                    + MIN_VOCAB_SIZE + " (" + FIRST_BYTE_ID + " special + 256 byte tokens + room for characters)");
        }
        if (maxPieceLength < 2 || minFrequency < 1) {
            throw new IllegalArgumentException("maxPieceLength must be >= 2 and minFrequency >= 1");
        }
        this.vocabSize = vocabSize;
        this.maxPieceLength = maxPieceLength;
        this.minFrequency = minFrequency;
    }

    public TokenizerTrainer(int vocabSize) {
        this(vocabSize, 16, 2);
    }

    /** Learns a vocabulary from the corpus. */
    public Vocabulary train(String corpus) {
        return train(corpus, List.of());
    }

    /**
     * Learns a vocabulary from the corpus with each of {@code wordTokens} as one USER_DEFINED token (appended after the
     * learned pieces, score 0): llama.cpp, Ollama and {@link SpmTokenizer} split such a text out of any input before
     * the SPM merges, so it is always that one token. Meant for identifiers such as tool names ({@link #identifierLike}):
     * the model then writes a tool's name as one token, a single decision, instead of 3-7 pieces split at each
     * underscore that it shares with other names and with ordinary words.
     */
    public Vocabulary train(String corpus, java.util.Collection<String> wordTokens) {
        if (corpus == null || corpus.isBlank()) {
            throw new IllegalArgumentException("the tokenizer corpus is empty: give it the text the model will be trained on");
        }
        Set<String> reserved = new HashSet<>(SPECIAL_TOKENS);
        List<String> tokens = new ArrayList<>(SPECIAL_TOKENS);
        List<Float> scores = new ArrayList<>();
        List<TokenType> types = new ArrayList<>(SPECIAL_TYPES);
        SPECIAL_TOKENS.forEach(t -> scores.add(0f));
        for (int b = 0; b < 256; b++) {
            String t = String.format("<0x%02X>", b);
            tokens.add(t);
            reserved.add(t);
            scores.add(0f);
            types.add(TokenType.BYTE);
        }

        List<String> atomic = new ArrayList<>(new java.util.TreeSet<>(wordTokens)); // sorted: deterministic ids
        for (String w : atomic) {
            if (w.isEmpty() || reserved.contains(w) || hasSpaceOrControl(w)) {
                throw new IllegalArgumentException("'" + w + "' cannot be a token of its own: it is empty, a special "
                        + "token, or has a space or control character");
            }
        }
        if (tokens.size() + atomic.size() + 32 > vocabSize) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " has no room for " + atomic.size()
                    + " whole-word tokens next to the special and byte tokens");
        }

        // 1. words: special tokens and whole-word tokens removed, spaces escaped, split before each run of U+2581 and
        // at control chars
        Map<String, Integer> wordFreq = new TreeMap<>();
        List<String> splitOut = new ArrayList<>(SPECIAL_TOKENS);
        atomic.stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()).forEach(splitOut::add);
        for (String part : split(corpus, splitOut)) {
            String esc = part.replace(" ", Vocabulary.SPACE);
            StringBuilder w = new StringBuilder();
            int[] cps = esc.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                int c = cps[i];
                boolean control = c < 0x20 || c == 0x7f;
                boolean startsWord = c == 0x2581 && i > 0 && cps[i - 1] != 0x2581;
                if ((control || startsWord) && w.length() > 0) {
                    wordFreq.merge(w.toString(), 1, Integer::sum);
                    w.setLength(0);
                }
                if (!control) {
                    w.appendCodePoint(c);
                }
            }
            if (w.length() > 0) {
                wordFreq.merge(w.toString(), 1, Integer::sum);
            }
        }

        // 2. alphabet: characters by frequency (ties by code point), as many as fit in half the free room
        Map<Integer, Long> charFreq = new TreeMap<>();
        wordFreq.forEach((w, f) -> w.codePoints().forEach(c -> charFreq.merge(c, (long) f, Long::sum)));
        List<Integer> chars = new ArrayList<>(charFreq.keySet());
        chars.sort((a, b) -> {
            int c = Long.compare(charFreq.get(b), charFreq.get(a));
            return c != 0 ? c : Integer.compare(a, b);
        });
        int room = vocabSize - tokens.size();
        int maxChars = Math.max(room / 2, Math.min(room, 64));
        if (chars.size() > maxChars) {
            chars = new ArrayList<>(chars.subList(0, maxChars));
        }
        List<String> pieces = new ArrayList<>(); // symbol id -> text
        Map<String, Integer> pieceId = new HashMap<>();
        for (int c : chars) {
            String s = new String(Character.toChars(c));
            if (reserved.contains(s)) {
                continue;
            }
            pieceId.put(s, pieces.size());
            pieces.add(s);
        }
        int nChars = pieces.size();

        // 3. BPE merges over the word table
        List<String> words = new ArrayList<>(wordFreq.keySet());
        int[] freq = new int[words.size()];
        int[][] syms = new int[words.size()][];
        for (int i = 0; i < words.size(); i++) {
            freq[i] = wordFreq.get(words.get(i));
            syms[i] = words.get(i).codePoints()
                    .map(c -> pieceId.getOrDefault(new String(Character.toChars(c)), -1)).toArray();
        }
        Map<Long, Long> pairCount = new HashMap<>();
        Map<Long, Set<Integer>> pairWords = new HashMap<>();
        for (int i = 0; i < syms.length; i++) {
            addPairs(syms[i], i, freq[i], +1, pairCount, pairWords);
        }
        PriorityQueue<long[]> queue = new PriorityQueue<>((x, y) -> {
            int c = Long.compare(y[1], x[1]);
            if (c != 0) {
                return c;
            }
            c = merged(pieces, x[0]).compareTo(merged(pieces, y[0]));
            return c != 0 ? c : Long.compare(x[0], y[0]);
        });
        pairCount.forEach((k, v) -> offer(queue, pieces, reserved, k, v));
        List<String> merges = new ArrayList<>();
        int target = vocabSize - tokens.size() - nChars - atomic.size();
        while (merges.size() < target && !queue.isEmpty()) {
            long[] top = queue.poll();
            long key = top[0];
            Long current = pairCount.get(key);
            if (current == null || current != top[1]) {
                continue; // stale entry
            }
            if (current < minFrequency) {
                break;
            }
            int a = (int) (key >>> 32);
            int b = (int) key;
            String text = pieces.get(a) + pieces.get(b);
            Integer c = pieceId.get(text);
            if (c == null) {
                c = pieces.size();
                pieces.add(text);
                pieceId.put(text, c);
                merges.add(text);
            }
            Set<Long> changed = new HashSet<>();
            for (int wi : new ArrayList<>(pairWords.getOrDefault(key, Set.of()))) {
                int[] old = syms[wi];
                int[] neu = mergeWord(old, a, b, c);
                if (neu.length == old.length) {
                    continue;
                }
                addPairs(old, wi, freq[wi], -1, pairCount, pairWords, changed);
                addPairs(neu, wi, freq[wi], +1, pairCount, pairWords, changed);
                syms[wi] = neu;
            }
            pairCount.remove(key);
            changed.remove(key);
            for (long k : changed) {
                Long v = pairCount.get(k);
                if (v != null && v > 0) {
                    offer(queue, pieces, reserved, k, v);
                } else {
                    pairCount.remove(k);
                }
            }
        }

        // 4. assemble: characters (score below every merge), then merges in learned order
        int nMerges = merges.size();
        for (int i = 0; i < nChars; i++) {
            tokens.add(pieces.get(i));
            scores.add((float) -(nMerges + 1 + i));
            types.add(TokenType.NORMAL);
        }
        for (int k = 0; k < nMerges; k++) {
            tokens.add(merges.get(k));
            scores.add((float) -(k + 1));
            types.add(TokenType.NORMAL);
        }
        for (String w : atomic) {
            if (pieceId.containsKey(w)) {
                // a learned piece with the same text would be unreachable (the whole-word token is split out first)
                int i = tokens.indexOf(w);
                tokens.remove(i);
                scores.remove(i);
                types.remove(i);
            }
            tokens.add(w);
            scores.add(0f);
            types.add(TokenType.USER_DEFINED);
        }
        float[] sc = new float[scores.size()];
        for (int i = 0; i < sc.length; i++) {
            sc[i] = scores.get(i);
        }
        LOG.debug("Learned tokenizer: {} tokens ({} characters, {} merges, {} whole-word tokens) from {} distinct words",
                tokens.size(), nChars, nMerges, atomic.size(), words.size());
        return new Vocabulary(tokens, sc, types.toArray(new TokenType[0]), 0, 1, 2, SPECIAL_TOKENS.indexOf(Vocabulary.IM_END), false);
    }

    private void offer(PriorityQueue<long[]> q, List<String> pieces, Set<String> reserved, long key, long count) {
        String m = merged(pieces, key);
        if (m.codePointCount(0, m.length()) > maxPieceLength || reserved.contains(m) || !allowedPiece(m)) {
            return;
        }
        q.add(new long[] {key, count});
    }

    /**
     * Learned pieces are U+2581 runs optionally followed by letters only or by punctuation/symbols only; digits are
     * never merged. So a path, number or identifier is split the same way wherever it appears (prompt, JSON
     * argument, tool result), which makes copying it a token-for-token copy.
     */
    static boolean allowedPiece(String piece) {
        int i = 0;
        while (i < piece.length() && piece.charAt(i) == '\u2581') {
            i++;
        }
        String rest = piece.substring(i);
        if (rest.isEmpty()) {
            return true;
        }
        int[] cps = rest.codePoints().toArray();
        boolean letters = true;
        boolean punct = true;
        for (int c : cps) {
            boolean letter = Character.isLetter(c) || Character.getType(c) == Character.NON_SPACING_MARK
                    || Character.getType(c) == Character.COMBINING_SPACING_MARK;
            boolean digit = Character.isDigit(c);
            letters &= letter;
            punct &= !letter && !digit && c != 0x2581;
        }
        return letters || punct;
    }

    private static String merged(List<String> pieces, long key) {
        return pieces.get((int) (key >>> 32)) + pieces.get((int) key);
    }

    /**
     * True for a name that is an identifier rather than a word: it has a character other than a letter (e.g.
     * {@code read_text_file}, {@code get-sum}, {@code fs.read}) or an upper-case letter after the first character
     * ({@code readFile}). Only such names become whole-word tokens: a plain word ({@code echo}, {@code search}) would
     * be split out of every word that contains it ("research"), and BPE learns a frequent plain word as one piece
     * anyway.
     */
    public static boolean identifierLike(String name) {
        if (name == null || name.isEmpty() || hasSpaceOrControl(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetter(c) || (i > 0 && Character.isUpperCase(c))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSpaceOrControl(String s) {
        return s.chars().anyMatch(c -> c <= 0x20 || c == 0x7f);
    }

    private static List<String> split(String corpus, List<String> splitOut) {
        List<String> parts = new ArrayList<>(List.of(corpus));
        for (String st : splitOut) {
            List<String> next = new ArrayList<>();
            for (String p : parts) {
                int from = 0;
                int m;
                while ((m = p.indexOf(st, from)) >= 0) {
                    next.add(p.substring(from, m));
                    from = m + st.length();
                }
                next.add(p.substring(from));
            }
            parts = next;
        }
        return parts;
    }

    private static int[] mergeWord(int[] s, int a, int b, int c) {
        int[] out = new int[s.length];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                out[n++] = c;
                i++;
            } else {
                out[n++] = s[i];
            }
        }
        return n == s.length ? s : java.util.Arrays.copyOf(out, n);
    }

    private static void addPairs(int[] s, int word, int freq, int sign, Map<Long, Long> counts,
                                 Map<Long, Set<Integer>> words) {
        addPairs(s, word, freq, sign, counts, words, null);
    }

    private static void addPairs(int[] s, int word, int freq, int sign, Map<Long, Long> counts,
                                 Map<Long, Set<Integer>> words, Set<Long> changed) {
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i] < 0 || s[i + 1] < 0) {
                continue;
            }
            long key = ((long) s[i] << 32) | (s[i + 1] & 0xffffffffL);
            counts.merge(key, (long) sign * freq, Long::sum);
            if (sign > 0) {
                words.computeIfAbsent(key, k -> new HashSet<>()).add(word);
            }
            if (changed != null) {
                changed.add(key);
            }
        }
    }
}
