package dev.mcpforge.train;

import dev.mcpforge.engine.NativeLoader;
import java.nio.file.Path;

/** Parses {@code -Dforge.baseModel}: {@code tiny}, {@code hf:owner/repo/path/file.gguf}, or a local GGUF path. */
public final class BaseModels {
    public enum Kind { TINY, LOCAL, HF }

    /** A parsed base-model value; for HF: owner, repo and the file path inside the repository. */
    public record Spec(Kind kind, Path path, String owner, String repo, String file) {
        public String describe() {
            return switch (kind) {
                case TINY -> "tiny";
                case LOCAL -> "file:" + path.toAbsolutePath();
                case HF -> "hf:" + owner + "/" + repo + "/" + file;
            };
        }
    }

    private BaseModels() {
    }

    public static Spec parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || v.equalsIgnoreCase("tiny")) {
            return new Spec(Kind.TINY, null, null, null, null);
        }
        if (v.startsWith("hf:")) {
            String[] parts = v.substring(3).split("/", 3);
            if (parts.length < 3 || parts[0].isBlank() || parts[1].isBlank() || !parts[2].endsWith(".gguf")
                    || parts[2].contains("..")) {
                throw new IllegalArgumentException("forge.baseModel '" + v + "' is not of the form "
                        + "hf:owner/repo/file.gguf");
            }
            return new Spec(Kind.HF, null, parts[0], parts[1], parts[2]);
        }
        return new Spec(Kind.LOCAL, Path.of(v), null, null, null);
    }

    /** Where downloaded models go: {@code <cache>/models}. */
    public static Path cacheDir(Path cacheRoot) {
        return (cacheRoot != null ? cacheRoot : NativeLoader.cacheRoot()).resolve("models");
    }
}
