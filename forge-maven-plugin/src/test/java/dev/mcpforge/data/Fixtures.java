package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real tools/list fixtures (copied from the shared fixtures into test resources). */
public final class Fixtures {

    public static final List<String> ALL = List.of("everything-tools", "everything-allcaps-tools", "filesystem-tools",
            "git-tools", "memory-tools", "sequential-thinking-tools", "sqlite-tools", "time-tools");

    private Fixtures() {
    }

    public static Toolset toolset(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/mcp-tools/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing test fixture /mcp-tools/" + name + ".json");
            }
            return Toolset.fromJson(Json.MAPPER.readTree(in.readAllBytes()), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the fixture as a tools.json into {@code dir} and returns its path. */
    public static Path toolsFile(String name, Path dir) throws IOException {
        Path p = dir.resolve(name + ".tools.json");
        toolset(name).write(p);
        return p;
    }

    public static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
