package dev.mcpforge.pipeline;

import dev.mcpforge.tools.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The fingerprint of a stage's inputs, as spotless's {@code PluginFingerprint} does it: sha256 over the content of
 * every input file plus the effective configuration (plugin version and every setting that changes the output).
 * Entries are sorted by key, so the order in which a goal adds them does not matter; a file is keyed by a
 * name the caller chooses (e.g. its path relative to the project), so moving the project does not change it.
 * <pre>
 *   String hash = Fingerprint.builder().file("toolsFile", p).config("pluginVersion", v).build();
 * </pre>
 */
public final class Fingerprint {

    private final Map<String, String> entries = new TreeMap<>();

    private Fingerprint() {
    }

    public static Fingerprint builder() {
        return new Fingerprint();
    }

    /** Adds a file's content (sha256) under {@code key}; a missing file is recorded as missing. */
    public Fingerprint file(String key, Path file) throws IOException {
        Objects.requireNonNull(file, key);
        entries.put("file:" + key, Files.isRegularFile(file) ? sha256Hex(file) : "<missing>");
        return this;
    }

    /** Adds one setting of the effective configuration; null is recorded as unset. */
    public Fingerprint config(String key, Object value) {
        entries.put("config:" + key, value == null ? "<unset>" : String.valueOf(value));
        return this;
    }

    /** {@code sha256:<hex>} over the sorted entries. */
    public String build() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k.length()).append(':').append(k).append('=')
                .append(v.length()).append(':').append(v).append('\n'));
        return "sha256:" + Json.sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The hex sha256 of a file's content, streamed. */
    public static String sha256Hex(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
