package dev.mcpforge.engine.graph;

/**
 * One training/eval row of the graph: {@code tokens} has T+1 entries (inputs are the first T, the label of position
 * i is {@code tokens[i+1]}); {@code doc[i]} identifies the packed document position i belongs to (attention never
 * crosses documents and positions restart at 0 in each); {@code scored[i]} says whether predicting
 * {@code tokens[i+1]} from position i counts in the loss.
 *
 * <p><b>Shared prefix.</b> With {@code prefix = P > 0} the first P positions are a prefix shared by every later
 * document of the row (shared-prefix packing: {@code [prefix][suffix_1][suffix_2]...}): they attend causally among
 * themselves at positions 0..P-1, and each later document attends to the whole prefix and causally to itself, with
 * positions continuing at P, P+1, ... So each suffix sees exactly what it sees in its unpacked sample.
 */
public record Sequence(int[] tokens, int[] doc, boolean[] scored, int prefix) {
    public Sequence {
        if (doc.length != tokens.length - 1 || scored.length != tokens.length - 1) {
            throw new IllegalArgumentException("tokens must have T+1 entries and doc/scored T");
        }
        if (prefix < 0 || prefix > doc.length) {
            throw new IllegalArgumentException("shared prefix " + prefix + " outside the row of " + doc.length);
        }
        for (int i = 1; i < prefix; i++) {
            if (doc[i] != doc[0]) {
                throw new IllegalArgumentException("the shared prefix must be one document");
            }
        }
        if (prefix > 0 && prefix < doc.length && doc[prefix] == doc[prefix - 1]) {
            throw new IllegalArgumentException("the document after the shared prefix needs its own id");
        }
    }

    /** A row without a shared prefix. */
    public Sequence(int[] tokens, int[] doc, boolean[] scored) {
        this(tokens, doc, scored, 0);
    }

    public int length() {
        return doc.length;
    }

    /** One document, every position scored. */
    public static Sequence plain(int[] tokens) {
        boolean[] s = new boolean[tokens.length - 1];
        java.util.Arrays.fill(s, true);
        return new Sequence(tokens, new int[tokens.length - 1], s);
    }

    public int scoredCount() {
        int n = 0;
        for (boolean b : scored) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
