package dev.mcpforge.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FingerprintTest {

    @TempDir
    Path dir;

    @Test
    void orderDoesNotMatterContentAndConfigDo() throws Exception {
        Path a = Files.writeString(dir.resolve("a.json"), "{\"x\":1}");
        String h1 = Fingerprint.builder().file("in", a).config("v", "1").config("out", "t.json").build();
        String h2 = Fingerprint.builder().config("out", "t.json").config("v", "1").file("in", a).build();
        assertEquals(h1, h2);
        assertTrue(h1.matches("sha256:[0-9a-f]{64}"), h1);
        assertNotEquals(h1, Fingerprint.builder().file("in", a).config("v", "2").config("out", "t.json").build());
        Files.writeString(a, "{\"x\":2}");
        assertNotEquals(h1, Fingerprint.builder().file("in", a).config("v", "1").config("out", "t.json").build());
    }

    @Test
    void missingFileAndUnsetConfigAreDistinct() throws Exception {
        Path empty = Files.writeString(dir.resolve("e"), "");
        String missing = Fingerprint.builder().file("in", dir.resolve("nope")).build();
        assertNotEquals(missing, Fingerprint.builder().file("in", empty).build());
        assertNotEquals(Fingerprint.builder().config("k", null).build(), Fingerprint.builder().config("k", "").build());
    }

    @Test
    void entriesCannotBleedIntoEachOther() {
        // length-prefixed: "a"="b=c" is not "a=b"="c"
        assertNotEquals(Fingerprint.builder().config("a", "b=c").build(),
                Fingerprint.builder().config("a=b", "c").build());
    }

    @Test
    void fileHashIsSha256OfContent() throws Exception {
        Path f = Files.writeString(dir.resolve("abc"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Fingerprint.sha256Hex(f));
    }
}
