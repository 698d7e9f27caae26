package dev.mcpforge.engine.graph;

/**
 * One training/eval row of the graph: {@code tokens} has T+1 entries (inputs are the first T, the label of position
 * i is {@code tokens[i+1]}); {@code doc[i]} identifies the packed document position i belongs to (attention never
 * crosses documents and positions restart at 0 in each); {@code scored[i]} says whether predicting
 * {@code tokens[i+1]} from position i counts in the loss.
 */
public record Sequence(int[] tokens, int[] doc, boolean[] scored) {
    public Sequence {
        if (doc.length != tokens.length - 1 || scored.length != tokens.length - 1) {
            throw new IllegalArgumentException("tokens must have T+1 entries and doc/scored T");
        }
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
