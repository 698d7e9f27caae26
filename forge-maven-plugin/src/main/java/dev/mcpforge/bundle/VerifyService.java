package dev.mcpforge.bundle;

import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.GenerationRequest;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.worker.WorkerClient;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.McpToolProvider;
import dev.mcpforge.tools.ServerSpec;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.Toolset;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The seed's {@code verify-bundle}: a bundle (directory or zip) is checked in this order, and the first failing
 * check names the file and what is wrong: zip entry names (before unpacking), {@code agent.yaml} parses and its
 * format version is one this build reads, every file is present and matches its sha256 (no extra files),
 * {@code tools.json} is a valid toolset whose hash is the manifest's, {@code prompt_template.json} is usable, the
 * model is a readable GGUF with the same chat template, the smoke tests are well-formed for this toolset, and (with
 * a server) the live toolset has not drifted from the one the model was trained on.
 */
public final class VerifyService {

    /** Lists the tools of a live server (a seam for tests). */
    @FunctionalInterface
    public interface ToolLister {
        Toolset list(ServerSpec spec) throws ToolException;
    }

    /** The engine as the verifier uses it (a seam for tests); one instance per verification. */
    public interface Engine extends AutoCloseable {
        /**
         * Loads the model and describes it in one line.
         *
         * @throws BundleException the engine cannot read this model
         * @throws IOException     the engine itself cannot run here (native libraries, worker process)
         */
        String load(Path model) throws BundleException, IOException;

        /** Greedy completion of {@code prompt} (special tokens parsed), stopping at any of {@code stop}. */
        String complete(Path model, String prompt, List<String> stop, int maxTokens) throws IOException;

        @Override
        void close();
    }

    /** Opens an engine (a seam for tests). */
    @FunctionalInterface
    public interface EngineFactory {
        Engine open() throws IOException;
    }

    private final ToolLister lister;
    private final EngineFactory engines;

    public VerifyService() {
        this(spec -> {
            try (McpToolProvider p = McpToolProvider.start(spec)) {
                return p.listTools();
            }
        }, WorkerEngine::new);
    }

    public VerifyService(ToolLister lister, EngineFactory engines) {
        this.lister = lister;
        this.engines = engines;
    }

    /** The llama.cpp engine in a forked worker process, as training and generation use it. */
    static final class WorkerEngine implements Engine {
        private WorkerClient worker;

        private WorkerClient worker() throws IOException {
            if (worker == null) {
                try {
                    worker = WorkerClient.start(WorkerClient.Options.defaults());
                } catch (EngineException e) {
                    throw new IOException("the engine worker could not start (" + e.kind() + "): " + e.getMessage(),
                            e);
                }
            }
            return worker;
        }

        @Override
        public String load(Path model) throws BundleException, IOException {
            try {
                JsonNode d = worker().load(model, SMOKE_CONTEXT, 0);
                return d.path("description").asString("model") + ", " + d.path("nParams").asLong() + " parameters, "
                        + "vocabulary " + d.path("nVocab").asInt() + ", context " + d.path("nCtxTrain").asInt();
            } catch (EngineException e) {
                if (e.kind() == EngineException.Kind.MODEL_INVALID
                        || e.kind() == EngineException.Kind.MODEL_NOT_FOUND) {
                    throw new BundleException("llama.cpp cannot load it: " + e.getMessage(), e);
                }
                throw new IOException("the engine could not run to load the model (" + e.kind() + "): "
                        + e.getMessage(), e);
            }
        }

        @Override
        public String complete(Path model, String prompt, List<String> stop, int maxTokens) throws IOException {
            try {
                return worker().generate(model, SMOKE_CONTEXT, GenerationRequest.greedy(prompt, maxTokens)
                        .withStop(stop)).text();
            } catch (EngineException e) {
                if (e.kind() == EngineException.Kind.INVALID_REQUEST) {
                    return "[not generated: " + e.getMessage() + "]";
                }
                throw new IOException("the engine failed while generating (" + e.kind() + "): " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (worker != null) {
                worker.close();
            }
        }
    }

    /** Context size for loading and smoke tests: room for the tools section of the system prompt. */
    static final int SMOKE_CONTEXT = 4096;
    /** Tokens generated per smoke test: enough for one or two tool calls. */
    static final int SMOKE_TOKENS = 128;

    public VerifyResult verify(VerifyRequest req) throws BundleException, IOException {
        try (Engine engine = engines.open()) {
            return verify(req, engine);
        }
    }

    private VerifyResult verify(VerifyRequest req, Engine engine) throws BundleException, IOException {
        List<String> checks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Path dir = open(req, checks);

        Path manifestFile = dir.resolve(BundleLayout.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BundleException(BundleLayout.MANIFEST + " is missing from " + req.bundle()
                    + ": this is not an agent bundle (forge:bundle writes one)");
        }
        JsonNode manifest;
        try {
            manifest = BundleService.YAML.readTree(Files.readString(manifestFile));
        } catch (JacksonException e) {
            throw new BundleException(BundleLayout.MANIFEST + " does not parse as YAML: " + e.getOriginalMessage());
        }
        if (manifest == null || !manifest.isObject()) {
            throw new BundleException(BundleLayout.MANIFEST + " is not a YAML mapping");
        }
        JsonNode fv = manifest.get("format_version");
        if (fv == null || !fv.isIntegralNumber() || fv.asInt() < 1) {
            throw new BundleException(BundleLayout.MANIFEST + " has no valid format_version (a positive integer)");
        }
        if (fv.asInt() > BundleLayout.FORMAT_VERSION) {
            throw new BundleException(BundleLayout.MANIFEST + " has format_version " + fv.asInt()
                    + ": the bundle was written by a newer MCP-Forge; this build reads format "
                    + BundleLayout.FORMAT_VERSION + " at most. Upgrade forge-maven-plugin to verify it");
        }
        String name = manifest.path("name").asString("");
        String version = manifest.path("version").asString("");
        if (name.isBlank() || version.isBlank()) {
            throw new BundleException(BundleLayout.MANIFEST + " lacks its name or version");
        }
        checks.add("Manifest valid (" + BundleLayout.MANIFEST + ", format " + fv.asInt() + "): " + name + " " + version);

        checkHashes(dir, manifest);
        checks.add("All " + manifest.get("files").size() + " files match their sha256");

        Toolset toolset;
        try {
            toolset = BundleService.readToolset(dir.resolve(BundleLayout.TOOLS));
        } catch (BundleException e) {
            throw new BundleException(BundleLayout.TOOLS + ": " + e.getMessage(), e);
        }
        String recorded = manifest.path("toolset").path("hash").asString("");
        if (!toolset.hash().equals(recorded)) {
            throw new BundleException(BundleLayout.TOOLS + " hashes to " + toolset.hash() + " but "
                    + BundleLayout.MANIFEST + " toolset.hash says '" + recorded + "'");
        }
        checks.add("Tools schema valid (" + toolset.tools().size() + " tools, " + toolset.hash() + ")");

        JsonNode prompt = readJson(dir, BundleLayout.PROMPT_TEMPLATE);
        List<String> promptProblems = PromptFormat.problems(prompt);
        if (!promptProblems.isEmpty()) {
            throw new BundleException(BundleLayout.PROMPT_TEMPLATE + " is not usable: "
                    + String.join("; ", promptProblems));
        }
        PromptFormat format = PromptFormat.byId(prompt.get("chat_format").asString()).orElseThrow();
        checks.add("Prompt template valid (" + format.id() + ", tools in the prompt: " + format.toolPrompt() + ")");
        String modelfile = Files.readString(dir.resolve(BundleLayout.MODELFILE));
        if (!modelfile.lines().anyMatch(l -> l.strip().equals("FROM ./" + BundleLayout.MODEL))
                || !modelfile.contains("TEMPLATE ") || !modelfile.contains(".Tools")
                || !modelfile.contains(".ToolCalls")) {
            throw new BundleException(BundleLayout.MODELFILE + " does not start from ./" + BundleLayout.MODEL
                    + " with a tool-aware TEMPLATE (.Tools/.ToolCalls): Ollama would not run this bundle's model "
                    + "as a tool-calling model");
        }
        checks.add("Ollama Modelfile uses ./" + BundleLayout.MODEL + " with a tool-aware template");

        GgufFile gguf;
        try {
            gguf = BundleService.readModel(dir.resolve(BundleLayout.MODEL));
        } catch (BundleException e) {
            throw new BundleException(BundleLayout.MODEL + ": " + e.getMessage(), e);
        }
        for (String key : BundleLayout.MODEL_KEYS) {
            if (gguf.getString(key).filter(v -> !v.isBlank()).isEmpty()) {
                throw new BundleException(BundleLayout.MODEL + " lacks the GGUF metadata key " + key + " (a "
                        + "non-empty string): every bundle's model carries " + String.join(" and ",
                        BundleLayout.MODEL_KEYS) + "; rebuild the bundle with forge:bundle, which writes them");
            }
        }
        String recordedLicense = manifest.path("license").asString(null);
        if (recordedLicense != null && !recordedLicense.equals(gguf.getString("general.license").orElse(null))) {
            throw new BundleException(BundleLayout.MODEL + " has general.license '"
                    + gguf.getString("general.license").orElse("") + "' but " + BundleLayout.MANIFEST
                    + " says license '" + recordedLicense + "'");
        }
        String template = prompt.get("chat_template").asString();
        if (!gguf.chatTemplate().get().equals(template)) {
            throw new BundleException(BundleLayout.MODEL + " carries a different tokenizer.chat_template than "
                    + BundleLayout.PROMPT_TEMPLATE + ": the model was trained with another chat format");
        }
        checks.add("Model file is a valid GGUF v" + gguf.version() + " (" + gguf.architecture() + ", "
                + gguf.parameterCount() + " parameters, " + gguf.tensors().size() + " tensors)");
        checks.add("Model metadata: tokenizer.chat_template (" + format.id() + "), general.license '"
                + gguf.getString("general.license").orElseThrow() + "'");
        String loaded;
        try {
            loaded = engine.load(dir.resolve(BundleLayout.MODEL));
        } catch (BundleException e) {
            throw new BundleException(BundleLayout.MODEL + ": " + e.getMessage(), e);
        }
        checks.add("Model loads in the engine: " + loaded);
        JsonNode smoke = checkSmokeTests(dir, toolset);
        int cases = smoke.get("cases").size();
        checks.add("Smoke tests well-formed: " + cases + " cases in " + BundleLayout.SMOKE_TESTS);
        SmokeTests.Outcome outcome = SmokeTests.run(smoke, toolset, dir.resolve(BundleLayout.MODEL), engine,
                prompt.get("stop"), format.chatFormat());
        String line = "Smoke tests through the engine: " + outcome.passed() + "/" + cases + " passed";
        if (outcome.passed() < Math.ceil(req.minSmokePassRate() * cases - 1e-9)) {
            throw new BundleException(line + ", below forge.verify.minPassRate=" + req.minSmokePassRate() + ". "
                    + String.join("; ", outcome.failures()));
        }
        checks.add(line + (outcome.failures().isEmpty() ? "" : " (gate forge.verify.minPassRate="
                + req.minSmokePassRate() + "; failed: " + String.join("; ", outcome.failures()) + ")"));
        notes.add("smoke tests compare the first assistant turn only (tool names and arguments, or no call); the "
                + "recorded tool_results are not replayed (the looped check is forge:validate's)");

        if (req.server() != null) {
            Toolset live;
            try {
                live = lister.list(req.server());
            } catch (ToolException e) {
                throw new BundleException("schema drift check: could not list the tools of the server: "
                        + e.getMessage(), e);
            }
            String drift = drift(toolset, live);
            if (drift != null) {
                throw new BundleException("schema drift: the server's toolset (" + live.hash() + ") differs from the "
                        + "one this model was trained on (" + toolset.hash() + "): " + drift + ". Retrain the agent "
                        + "against the current server (mvn package) or pin the server version it was built for");
            }
            checks.add("No schema drift: the live server's toolset hash equals the manifest's");
        }
        return new VerifyResult(name, version, dir, checks, notes);
    }

    private Path open(VerifyRequest req, List<String> checks) throws BundleException, IOException {
        Path b = req.bundle();
        if (Files.isDirectory(b)) {
            return b;
        }
        if (!Files.isRegularFile(b)) {
            throw new BundleException("no bundle at " + b + ": set forge.bundle to a bundle directory or zip");
        }
        String fn = b.getFileName().toString();
        Path dest = req.workDir().resolve(fn.endsWith(".zip") ? fn.substring(0, fn.length() - 4) : fn + ".d");
        BundleService.deleteTree(dest);
        try {
            SafeUnzip.unzip(b, dest);
        } catch (IOException e) {
            if (e.getClass() == IOException.class || e instanceof java.util.zip.ZipException) {
                throw new BundleException(b + " is not a readable zip: " + e.getMessage(), e);
            }
            throw e;
        }
        checks.add("Zip entries safe, unpacked to " + dest);
        return dest;
    }

    private static void checkHashes(Path dir, JsonNode manifest) throws BundleException, IOException {
        JsonNode files = manifest.get("files");
        if (files == null || !files.isObject() || files.isEmpty()) {
            throw new BundleException(BundleLayout.MANIFEST + " has no 'files' map of sha256 hashes");
        }
        for (String required : BundleLayout.FILES) {
            if (!required.equals(BundleLayout.MANIFEST) && !files.has(required)) {
                throw new BundleException(BundleLayout.MANIFEST + " does not list " + required
                        + " in 'files'; every bundle file must be hashed");
            }
        }
        TreeSet<String> listed = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : files.properties()) {
            String f = e.getKey();
            listed.add(f);
            if (SafeUnzip.unsafe(f) != null) {
                throw new BundleException(BundleLayout.MANIFEST + " lists an unsafe path '" + f + "'");
            }
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new BundleException("missing file " + f + " (listed in " + BundleLayout.MANIFEST + ")");
            }
            String want = e.getValue().asString("");
            String have = "sha256:" + Sha256.ofFile(p);
            if (!have.equals(want)) {
                throw new BundleException("sha256 mismatch for " + f + ": " + BundleLayout.MANIFEST + " says " + want
                        + ", the file has " + have + "; the file was changed after packaging (rebuild the bundle)");
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!rel.equals(BundleLayout.MANIFEST) && !listed.contains(rel)) {
                    throw new BundleException("unexpected file " + rel + " (not listed in " + BundleLayout.MANIFEST
                            + " 'files'): the bundle was changed after packaging");
                }
            }
        }
    }

    private static JsonNode readJson(Path dir, String file) throws BundleException, IOException {
        try {
            return Json.MAPPER.readTree(Files.readString(dir.resolve(file)));
        } catch (JacksonException e) {
            throw new BundleException(file + " is not JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode checkSmokeTests(Path dir, Toolset toolset) throws BundleException, IOException {
        JsonNode doc = readJson(dir, BundleLayout.SMOKE_TESTS);
        String f = BundleLayout.SMOKE_TESTS;
        if (!doc.isObject() || !doc.path("cases").isArray() || doc.get("cases").isEmpty()) {
            throw new BundleException(f + " has no 'cases'");
        }
        if (!toolset.hash().equals(doc.path("toolset_hash").asString(""))) {
            throw new BundleException(f + " was written for another toolset (toolset_hash "
                    + doc.path("toolset_hash").asString("missing") + ", tools.json has " + toolset.hash() + ")");
        }
        for (JsonNode c : doc.get("cases")) {
            String id = c.path("id").asString("?");
            if (!c.path("messages").isArray() || c.get("messages").isEmpty()) {
                throw new BundleException(f + " case " + id + " has no prompt messages");
            }
            JsonNode calls = c.path("expected").path("tool_calls");
            if (!calls.isArray()) {
                throw new BundleException(f + " case " + id + " has no expected.tool_calls");
            }
            for (JsonNode call : calls) {
                if (toolset.find(call.path("name").asString("")).isEmpty()) {
                    throw new BundleException(f + " case " + id + " expects a call to '"
                            + call.path("name").asString("") + "', which is not in " + BundleLayout.TOOLS);
                }
            }
        }
        return doc;
    }

    /** Added, removed and changed tool names, or null when both toolsets hash the same. */
    static String drift(Toolset trained, Toolset live) {
        if (trained.hash().equals(live.hash())) {
            return null;
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (ToolDefinition t : live.tools()) {
            var old = trained.find(t.name());
            if (old.isEmpty()) {
                added.add(t.name());
            } else if (!Json.canonical(old.get().toJson()).equals(Json.canonical(t.toJson()))) {
                changed.add(t.name());
            }
        }
        for (ToolDefinition t : trained.tools()) {
            if (live.find(t.name()).isEmpty()) {
                removed.add(t.name());
            }
        }
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + added);
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + removed);
        }
        if (!changed.isEmpty()) {
            parts.add("changed " + changed);
        }
        if (parts.isEmpty()) {
            parts.add("the same tools in a different order");
        }
        return String.join(", ", parts);
    }
}
