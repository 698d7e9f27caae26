package dev.mcpforge.engine.tokenizer;

import dev.mcpforge.engine.gguf.GgufArray;
import dev.mcpforge.engine.gguf.GgufException;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufWriter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A SentencePiece-style ("llama", SPM) vocabulary as llama.cpp loads it: token texts (spaces escaped as U+2581),
 * scores (higher merges first), token types, and the special token ids.
 */
public record Vocabulary(List<String> tokens, float[] scores, TokenType[] types, int unkId, int bosId, int eosId,
                         int eotId, boolean addBos) {

    /** The SentencePiece whitespace marker U+2581. */
    public static final String SPACE = "\u2581";

    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final String TOOL_CALL = "<tool_call>";
    public static final String TOOL_CALL_END = "</tool_call>";
    public static final String TOOL_RESPONSE = "<tool_response>";
    public static final String TOOL_RESPONSE_END = "</tool_response>";

    public Vocabulary {
        tokens = List.copyOf(tokens);
        scores = scores.clone();
        types = types.clone();
        if (scores.length != tokens.size() || types.length != tokens.size()) {
            throw new IllegalArgumentException("tokens, scores and types must have the same length");
        }
        Set<String> seen = new HashSet<>();
        for (String t : tokens) {
            if (t.isEmpty() || !seen.add(t)) {
                throw new IllegalArgumentException("token texts must be non-empty and unique (llama.cpp requires it): '" + t + "'");
            }
        }
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public TokenType[] types() {
        return types.clone();
    }

    public int size() {
        return tokens.size();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.size() + " tokens, unk=" + unkId + ", bos=" + bosId + ", eos=" + eosId
                + ", eot=" + eotId + ", addBos=" + addBos + "]";
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public float score(int id) {
        return scores[id];
    }

    public TokenType type(int id) {
        return types[id];
    }

    /** @return the id of a token text, or -1 */
    public int id(String text) {
        return tokens.indexOf(text);
    }

    /** Writes the {@code tokenizer.ggml.*} keys llama.cpp v0.5.0 needs for an SPM vocabulary. */
    public void writeTo(GgufWriter w) {
        int[] tt = new int[types.length];
        for (int i = 0; i < tt.length; i++) {
            tt[i] = types[i].id();
        }
        w.putString("tokenizer.ggml.model", "llama");
        w.putString("tokenizer.ggml.pre", "default");
        w.putStringArray("tokenizer.ggml.tokens", tokens);
        w.putFloat32Array("tokenizer.ggml.scores", scores);
        w.putInt32Array("tokenizer.ggml.token_type", tt);
        w.putUInt32("tokenizer.ggml.bos_token_id", bosId);
        w.putUInt32("tokenizer.ggml.eos_token_id", eosId);
        w.putUInt32("tokenizer.ggml.unknown_token_id", unkId);
        if (eotId >= 0) {
            w.putUInt32("tokenizer.ggml.eot_token_id", eotId);
        }
        w.putUInt32("tokenizer.ggml.padding_token_id", unkId);
        w.putBool("tokenizer.ggml.add_bos_token", addBos);
        w.putBool("tokenizer.ggml.add_eos_token", false);
        // no implicit leading space: the chat text is tokenized exactly as written
        w.putBool("tokenizer.ggml.add_space_prefix", false);
    }

    /** Reads an SPM ("llama") vocabulary from GGUF metadata. */
    public static Vocabulary fromGguf(GgufFile f) throws GgufException {
        String model = f.getString("tokenizer.ggml.model").orElse("");
        if (!model.equals("llama")) {
            throw new GgufException("GGUF file " + f.path() + " has tokenizer.ggml.model='" + model
                    + "'; the Java tokenizer supports only SentencePiece-style 'llama' vocabularies. Use the engine's tokenizer instead.");
        }
        List<String> tokens = f.getStringList("tokenizer.ggml.tokens");
        if (tokens.isEmpty()) {
            throw new GgufException("GGUF file " + f.path() + " has no tokenizer.ggml.tokens.");
        }
        float[] scores = new float[tokens.size()];
        f.getArray("tokenizer.ggml.scores").ifPresent(a -> fill(a, scores));
        TokenType[] types = new TokenType[tokens.size()];
        java.util.Arrays.fill(types, TokenType.NORMAL);
        GgufArray tt = f.getArray("tokenizer.ggml.token_type").orElse(null);
        if (tt != null) {
            for (int i = 0; i < types.length && i < tt.size(); i++) {
                types[i] = TokenType.byId(((Number) tt.values().get(i)).intValue());
            }
        }
        int unk = f.getLong("tokenizer.ggml.unknown_token_id").orElse(0L).intValue();
        int bos = f.getLong("tokenizer.ggml.bos_token_id").orElse(1L).intValue();
        int eos = f.getLong("tokenizer.ggml.eos_token_id").orElse(2L).intValue();
        int eot = f.getLong("tokenizer.ggml.eot_token_id").orElse(-1L).intValue();
        boolean addBos = f.getBoolean("tokenizer.ggml.add_bos_token").orElse(true);
        if (f.getBoolean("tokenizer.ggml.add_space_prefix").orElse(true)) {
            throw new GgufException("GGUF file " + f.path() + " uses add_space_prefix; the Java tokenizer only"
                    + " supports vocabularies written by TokenizerTrainer (add_space_prefix=false).");
        }
        return new Vocabulary(new ArrayList<>(tokens), scores, types, unk, bos, eos, eot, addBos);
    }

    private static void fill(GgufArray a, float[] out) {
        for (int i = 0; i < out.length && i < a.size(); i++) {
            out[i] = ((Number) a.values().get(i)).floatValue();
        }
    }
}
