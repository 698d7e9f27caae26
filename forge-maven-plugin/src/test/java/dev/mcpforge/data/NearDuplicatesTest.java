package dev.mcpforge.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NearDuplicatesTest {

    @Test
    void catchesExactAndNearDuplicatesButKeepsDifferentTexts() {
        NearDuplicates d = new NearDuplicates(0.95);
        String base = "Please read the text file with path \"/home/alex/projects/report.txt\" and show me the first"
                + " twenty lines of it, then summarise what the quarterly report says about revenue growth";
        assertTrue(d.add(base));
        assertFalse(d.add(base.toUpperCase()), "case and punctuation are normalised");
        assertFalse(d.add(base + "!"), "punctuation only");
        NearDuplicates loose = new NearDuplicates(0.85);
        loose.add(base);
        assertTrue(loose.isDuplicate(base.replace("twenty", "thirty")), "a one-word change in a long text is a near-duplicate");
        assertFalse(loose.isDuplicate("Please list the directory \"/srv/www\" with sizes, sorted by size"));
        assertTrue(d.add("Please read the text file with path \"/data/reports/notes.md\""));
        assertTrue(d.add("What is the capital of France?"));
        assertEquals(3, d.size());
    }
}
