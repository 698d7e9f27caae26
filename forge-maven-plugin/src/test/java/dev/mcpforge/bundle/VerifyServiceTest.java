package dev.mcpforge.bundle;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyServiceTest {

    @TempDir
    Path dir;
    BundleResult built;

    @BeforeEach
    void build() throws Exception {
        built = new BundleService().build(BundleFixture.inputs(dir, "time-agent"));
    }

    /** Verifies without a server; the engine load is stubbed except where a test loads the model for real. */
    private VerifyResult verify(Path bundle) throws Exception {
        return verify(bundle, m -> "stub");
    }

    private VerifyResult verify(Path bundle, VerifyService.ModelLoader loader) throws Exception {
        return new VerifyService(spec -> {
            throw new AssertionError("no server in this test");
        }, loader).verify(new VerifyRequest(bundle, dir.resolve("work"), null));
    }

    private String failure(Path bundle) {
        return assertThrows(BundleException.class, () -> verify(bundle)).getMessage();
    }

    @Test
    void aFreshBundleVerifiesAsDirectoryAndAsZip() throws Exception {
        VerifyResult d = verify(built.bundleDir(), VerifyService::loadInWorker);
        assertEquals("time-agent", d.name());
        assertTrue(d.checks().stream().anyMatch(c -> c.startsWith("All 6 files match")), d.checks().toString());
        assertTrue(d.checks().stream().anyMatch(c -> c.startsWith("Model file is a valid GGUF")));
        assertTrue(d.checks().stream().anyMatch(c -> c.startsWith("Model loads in the engine: llama")
                && c.contains(" parameters, vocabulary 300, context 256")), d.checks().toString());
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("not run through")), "the engine gap is reported");
        VerifyResult z = verify(built.zip());
        assertTrue(z.checks().get(0).startsWith("Zip entries safe"), z.checks().toString());
        assertEquals(dir.resolve("work").resolve("time-agent-1.0.0"), z.dir());
    }

    @Test
    void oneChangedByteInAnyFileIsNamed() throws Exception {
        for (String f : List.of("tools.json", "model.gguf", "README.md", "Modelfile", "tests/validation.json",
                "prompt_template.json")) {
            Path p = built.bundleDir().resolve(f);
            byte[] orig = Files.readAllBytes(p);
            byte[] bytes = orig.clone();
            bytes[bytes.length / 2] ^= 1;
            Files.write(p, bytes);
            String msg = failure(built.bundleDir());
            assertTrue(msg.startsWith("sha256 mismatch for " + f + ":"), msg);
            Files.write(p, orig);
        }
        verify(built.bundleDir());
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Files.delete(built.bundleDir().resolve("README.md"));
        assertEquals("missing file README.md (listed in agent.yaml)", failure(built.bundleDir()));
    }

    @Test
    void anExtraFileIsNamed() throws Exception {
        Files.writeString(built.bundleDir().resolve("tests/extra.json"), "{}");
        assertTrue(failure(built.bundleDir()).startsWith("unexpected file tests/extra.json"));
    }

    @Test
    void aManifestThatDoesNotParseIsReported() throws Exception {
        Files.writeString(built.bundleDir().resolve("agent.yaml"), "name: [unclosed\n  version: {");
        assertTrue(failure(built.bundleDir()).startsWith("agent.yaml does not parse as YAML"));
    }

    @Test
    void aBundleFromANewerFormatIsRefusedClearly() throws Exception {
        Path m = built.bundleDir().resolve("agent.yaml");
        Files.writeString(m, Files.readString(m).replace("format_version: 1", "format_version: 2"));
        String msg = failure(built.bundleDir());
        assertTrue(msg.contains("format_version 2") && msg.contains("newer MCP-Forge")
                && msg.contains("Upgrade forge-maven-plugin"), msg);
    }

    @Test
    void aToolsFileEditedTogetherWithItsHashStillFailsOnTheManifestToolsetHash() throws Exception {
        Path tools = built.bundleDir().resolve("tools.json");
        Toolset ts = BundleService.readToolset(tools);
        Toolset edited = new Toolset(ts.source(), ts.tools().subList(0, 1));
        edited.write(tools);
        Path m = built.bundleDir().resolve("agent.yaml");
        Files.writeString(m, Files.readString(m).replaceAll("tools.json: \"?sha256:[0-9a-f]+\"?",
                "tools.json: sha256:" + Sha256.ofFile(tools)));
        String msg = failure(built.bundleDir());
        assertTrue(msg.startsWith("tools.json hashes to " + edited.hash()), msg);
    }

    @Test
    void pathTraversalAndAbsoluteEntriesAreRefusedBeforeAnythingIsWritten() throws Exception {
        for (String evil : List.of("../evil.txt", "/tmp/evil.txt", "tests/../../evil.txt", "C:/evil.txt")) {
            Path zip = dir.resolve("evil.zip");
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
                for (String n : List.of("agent.yaml", evil)) {
                    out.putArchiveEntry(new ZipArchiveEntry(n));
                    out.write("x".getBytes(StandardCharsets.UTF_8));
                    out.closeArchiveEntry();
                }
            }
            String msg = failure(zip);
            assertTrue(msg.contains("is refused, nothing was unpacked") && msg.contains("'" + evil + "'"), msg);
            assertFalse(Files.exists(dir.resolve("work").resolve("evil")), "nothing unpacked for " + evil);
            assertFalse(Files.exists(dir.resolve("evil.txt")));
            assertFalse(Files.exists(dir.resolve("work").resolve("evil.txt")));
        }
    }

    @Test
    void entryNamesWithBackslashesOrNulAreUnsafe() {
        assertEquals("it contains a backslash", SafeUnzip.unsafe("tests\\x.json"));
        assertEquals("it contains a NUL character", SafeUnzip.unsafe("a\0b"));
        assertEquals(null, SafeUnzip.unsafe("tests/validation.json"));
    }

    @Test
    void aGgufThatLlamaCppCannotLoadIsNamed() throws Exception {
        // valid GGUF container, wrong content: a header-only GGUF with an architecture llama.cpp does not know
        Path model = built.bundleDir().resolve("model.gguf");
        new dev.mcpforge.engine.gguf.GgufWriter().putString("general.architecture", "no-such-arch").write(model);
        String msg = assertThrows(BundleException.class, () -> new VerifyService(s -> null,
                VerifyService::loadInWorker).verify(new VerifyRequest(built.bundleDir(), dir.resolve("w"), null)))
                .getMessage();
        assertTrue(msg.startsWith("sha256 mismatch for model.gguf"), "hashes are checked first: " + msg);
        assertThrows(BundleException.class, () -> VerifyService.loadInWorker(model));
    }

    @Test
    void aModelfileThatDoesNotUseTheBundledModelIsNamed() throws Exception {
        Path mf = built.bundleDir().resolve("Modelfile");
        Files.writeString(mf, Files.readString(mf).replace("FROM ./model.gguf", "FROM llama3"));
        Path m = built.bundleDir().resolve("agent.yaml");
        Files.writeString(m, Files.readString(m).replaceAll("Modelfile: \"?sha256:[0-9a-f]+\"?",
                "Modelfile: sha256:" + Sha256.ofFile(mf)));
        assertTrue(failure(built.bundleDir()).startsWith("Modelfile does not start from ./model.gguf"));
    }

    @Test
    void aFileThatIsNotAZipIsNamed() throws Exception {
        Path notZip = dir.resolve("bundle.zip");
        Files.writeString(notZip, "hello");
        assertTrue(failure(notZip).contains("is not a readable zip"));
    }

    @Test
    void schemaDriftNamesAddedRemovedAndChangedTools() throws Exception {
        Toolset trained = BundleService.readToolset(built.bundleDir().resolve("tools.json"));
        List<ToolDefinition> live = new ArrayList<>(trained.tools());
        ToolDefinition first = live.remove(0);
        ToolDefinition second = live.get(0);
        ObjectNode schema = second.inputSchema().deepCopy();
        schema.withObject("properties").putObject("extra").put("type", "string");
        live.set(0, new ToolDefinition(second.name(), second.title(), second.description(), schema, null, null));
        live.add(new ToolDefinition("new_tool", null, "new", Json.MAPPER.createObjectNode().put("type", "object"),
                null, null));
        Toolset liveSet = new Toolset("live", live);
        ServerSpec spec = new ServerSpec(List.of("some-server"), null, null, Duration.ofSeconds(5));
        String msg = assertThrows(BundleException.class, () -> new VerifyService(s -> liveSet, m -> "stub")
                .verify(new VerifyRequest(built.bundleDir(), dir.resolve("work"), spec))).getMessage();
        assertTrue(msg.startsWith("schema drift"), msg);
        assertTrue(msg.contains("added [new_tool]") && msg.contains("removed [" + first.name() + "]")
                && msg.contains("changed [" + second.name() + "]"), msg);

        VerifyResult ok = new VerifyService(s -> new Toolset("live", trained.tools()), m -> "stub")
                .verify(new VerifyRequest(built.bundleDir(), dir.resolve("work"), spec));
        assertTrue(ok.checks().get(ok.checks().size() - 1).startsWith("No schema drift"));
    }
}
