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

    /** An engine that loads anything and answers every prompt with {@code reply}. */
    static VerifyService.EngineFactory stubEngine(String reply) {
        return () -> new VerifyService.Engine() {
            @Override
            public String load(Path model) {
                return "stub";
            }

            @Override
            public String complete(Path model, String prompt, List<String> stop, int maxTokens) {
                return reply;
            }

            @Override
            public void close() {
            }
        };
    }

    static final String TOKYO_CALL = "<tool_call>\n{\"name\": \"current_time\", \"arguments\": "
            + "{\"timezone\": \"Asia/Tokyo\"}}\n</tool_call>";

    /** Verifies without a server, with a stub engine and no smoke-test gate, except where a test says otherwise. */
    private VerifyResult verify(Path bundle) throws Exception {
        return verify(bundle, stubEngine("I do not know."), 0.0);
    }

    private VerifyResult verify(Path bundle, VerifyService.EngineFactory engine, double minPass) throws Exception {
        return new VerifyService(spec -> {
            throw new AssertionError("no server in this test");
        }, engine).verify(new VerifyRequest(bundle, dir.resolve("work"), null, minPass));
    }

    private String failure(Path bundle) {
        return assertThrows(BundleException.class, () -> verify(bundle)).getMessage();
    }

    @Test
    void aFreshBundleVerifiesAsDirectoryAndAsZip() throws Exception {
        // one smoke test through the real engine (the untrained tiny model: it runs, it does not pass)
        BundleRequest in = BundleFixture.inputs(dir.resolve("one"), "time-agent");
        BundleResult one = new BundleService().build(new BundleRequest(in.name(), in.version(), in.description(),
                in.tools(), in.model(), in.evalData(), in.trainData(), in.reportsDir(), null, 1, 0, 0.7,
                in.timestamp(), in.bundleDir(), in.zip(), null, null, null));
        VerifyResult d = verify(one.bundleDir(), VerifyService.WorkerEngine::new, 0.0);
        assertEquals("time-agent", d.name());
        assertTrue(d.checks().stream().anyMatch(c -> c.startsWith("All 6 files match")), d.checks().toString());
        assertTrue(d.checks().stream().anyMatch(c -> c.startsWith("Model file is a valid GGUF")));
        assertTrue(d.checks().stream().anyMatch(c -> c.startsWith("Model loads in the engine: llama")
                && c.contains(" parameters, vocabulary 300, context 256")), d.checks().toString());
        assertTrue(d.checks().stream().anyMatch(c -> c.startsWith("Smoke tests through the engine: ")
                && c.contains("0/1 passed")), "the untrained model ran the smoke test: " + d.checks());
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("first assistant turn only")));
        // the stub answers without a tool: only the no-tool case e3 passes
        VerifyResult z = verify(built.zip());
        assertEquals("Smoke tests through the engine: 1/3 passed", z.checks().stream()
                .filter(c -> c.startsWith("Smoke tests through")).findFirst().orElseThrow().split(" \\(")[0]);
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
        String msg = assertThrows(BundleException.class, () -> verify(built.bundleDir())).getMessage();
        assertTrue(msg.startsWith("sha256 mismatch for model.gguf"), "hashes are checked first: " + msg);
        try (VerifyService.WorkerEngine engine = new VerifyService.WorkerEngine()) {
            BundleException e = assertThrows(BundleException.class, () -> engine.load(model));
            assertTrue(e.getMessage().startsWith("llama.cpp cannot load it"), e.getMessage());
        }
    }

    @Test
    void aModelWithoutItsChatTemplateOrLicenseIsNamed() throws Exception {
        Path model = built.bundleDir().resolve("model.gguf");
        Path m = built.bundleDir().resolve("agent.yaml");
        String manifest = Files.readString(m);
        for (String key : List.of("tokenizer.chat_template", "general.license")) {
            java.util.Map<String, Object> drop = new java.util.HashMap<>();
            drop.put(key, null);
            Path copy = dir.resolve("stripped.gguf");
            dev.mcpforge.engine.gguf.GgufWriter.copy(dev.mcpforge.engine.gguf.GgufReader.read(
                    BundleFixture.model()), copy, drop); // a saved-by-llama.cpp model: the key is gone
            Files.copy(copy, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(m, manifest.replaceAll("model.gguf: \"?sha256:[0-9a-f]+\"?",
                    "model.gguf: sha256:" + Sha256.ofFile(model)));
            String msg = failure(built.bundleDir());
            assertTrue(msg.startsWith("model.gguf lacks the GGUF metadata key " + key), msg);
        }
    }

    @Test
    void aModelWhoseLicenseDisagreesWithTheManifestIsNamed() throws Exception {
        Path m = built.bundleDir().resolve("agent.yaml");
        Files.writeString(m, Files.readString(m).replace("license: unspecified", "license: MIT"));
        String msg = failure(built.bundleDir());
        assertTrue(msg.contains("general.license 'unspecified' but agent.yaml says license 'MIT'"), msg);
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
    void smokeTestsAreScoredAgainstTheExpectedFirstTurnAndGated() throws Exception {
        // the stub always calls current_time for Tokyo: case e1 passes, e2 (relative_time) and e3 (no tool) fail
        VerifyResult r = verify(built.bundleDir(), stubEngine(TOKYO_CALL + "<|im_end|>"), 1.0 / 3);
        String line = r.checks().stream().filter(c -> c.startsWith("Smoke tests through the engine")).findFirst()
                .orElseThrow();
        assertTrue(line.startsWith("Smoke tests through the engine: 1/3 passed"), line);
        assertTrue(line.contains("case e2: expected a call to relative_time, got current_time"), line);
        assertTrue(line.contains("case e3: expected 0 tool call(s), got 1"), line);
        String msg = assertThrows(BundleException.class,
                () -> verify(built.bundleDir(), stubEngine(TOKYO_CALL), 1.0)).getMessage();
        assertTrue(msg.startsWith("Smoke tests through the engine: 1/3 passed, below forge.verify.minPassRate=1.0"),
                msg);
        String wrongArgs = TOKYO_CALL.replace("Asia/Tokyo", "Europe/Paris");
        msg = assertThrows(BundleException.class,
                () -> verify(built.bundleDir(), stubEngine(wrongArgs), 1.0)).getMessage();
        assertTrue(msg.contains("case e1: call to current_time: expected arguments {\"timezone\":\"Asia/Tokyo\"}"),
                msg);
    }

    @Test
    void aNamesVariantBundleVerifiesAndItsSmokeTestsPromptWithToolNames() throws Exception {
        BundleRequest in = BundleFixture.inputs(dir.resolve("names"), "time-agent");
        BundleServiceTest.namesModel(in);
        BundleResult names = new BundleService().build(in);
        List<String> prompts = new ArrayList<>();
        VerifyService.EngineFactory recording = () -> new VerifyService.Engine() {
            @Override
            public String load(Path model) {
                return "stub";
            }

            @Override
            public String complete(Path model, String prompt, List<String> stop, int maxTokens) {
                prompts.add(prompt);
                return TOKYO_CALL + "<|im_end|>";
            }

            @Override
            public void close() {
            }
        };
        VerifyResult r = verify(names.zip(), recording, 1.0 / 3);
        assertTrue(r.checks().contains("Prompt template valid (chatml-hermes-names, tools in the prompt: names)"),
                r.checks().toString());
        assertTrue(r.checks().stream().anyMatch(c -> c.startsWith("Model metadata: tokenizer.chat_template "
                + "(chatml-hermes-names)")), r.checks().toString());
        assertTrue(r.checks().stream().anyMatch(c -> c.startsWith("Ollama Modelfile uses ./model.gguf")));
        assertTrue(r.checks().stream().anyMatch(c -> c.startsWith("Smoke tests through the engine: 1/3 passed")),
                r.checks().toString());
        assertEquals(3, prompts.size());
        for (String p : prompts) {
            assertTrue(p.contains("You may call these functions:\n<tools>\ncurrent_time\n") && !p.contains("\"parameters\""),
                    "the smoke tests render the names variant: " + p);
        }

        // the full variant's smoke tests prompt with the schemas
        prompts.clear();
        verify(built.bundleDir(), recording, 0.0);
        assertTrue(prompts.get(0).contains("\"parameters\"") && !prompts.get(0).contains("You may call these functions"),
                prompts.get(0));
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
        String msg = assertThrows(BundleException.class, () -> new VerifyService(s -> liveSet, stubEngine(""))
                .verify(new VerifyRequest(built.bundleDir(), dir.resolve("work"), spec, 0))).getMessage();
        assertTrue(msg.startsWith("schema drift"), msg);
        assertTrue(msg.contains("added [new_tool]") && msg.contains("removed [" + first.name() + "]")
                && msg.contains("changed [" + second.name() + "]"), msg);

        VerifyResult ok = new VerifyService(s -> new Toolset("live", trained.tools()), stubEngine(""))
                .verify(new VerifyRequest(built.bundleDir(), dir.resolve("work"), spec, 0));
        assertTrue(ok.checks().get(ok.checks().size() - 1).startsWith("No schema drift"));
    }
}
