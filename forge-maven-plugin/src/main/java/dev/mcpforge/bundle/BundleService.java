package dev.mcpforge.bundle;

import dev.mcpforge.engine.gguf.GgufException;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.gguf.GgufWriter;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.SchemaCheck;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.Toolset;
import org.codehaus.plexus.archiver.ArchiverException;
import org.codehaus.plexus.archiver.zip.ZipArchiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes an Agent Bundle (the seed's §3.5 tree) and its reproducible zip: same inputs and timestamp give the same
 * bytes (nothing reads the clock, the host or absolute paths; zip entries are sorted, timed and permissioned by
 * plexus-archiver's reproducible mode, as maven-jar-plugin does).
 */
public final class BundleService {

    private static final Logger LOG = LoggerFactory.getLogger(BundleService.class);

    /** YAML for agent.yaml: block style, no document marker, quotes only where YAML needs them. */
    static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            // a version "1.10" must stay a string for every YAML reader, not become the number 1.1
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    public BundleResult build(BundleRequest req) throws BundleException, IOException {
        Toolset toolset = readToolset(req.tools());
        GgufFile gguf = readModel(req.model());
        List<JsonNode> samples = readSamples(req.evalData());
        String systemPrompt = req.systemPrompt() != null && !req.systemPrompt().isBlank() ? req.systemPrompt()
                : systemPromptOf(samples);
        if (systemPrompt.contains("\"\"\"")) {
            throw new BundleException("the system prompt contains \"\"\", which the Ollama Modelfile cannot quote; "
                    + "change forge.systemPrompt");
        }
        int context = req.contextLength() > 0 ? req.contextLength()
                : (int) Math.min(4096, gguf.contextLength().orElse(4096L));

        Path dir = req.bundleDir();
        deleteTree(dir);
        Files.createDirectories(dir.resolve("tests"));
        License license = license(req, gguf);
        Map<String, JsonNode> reports = readReports(req.reportsDir());
        PromptFormat format = promptFormat(req, gguf, reports);
        GgufWriter.copy(gguf, dir.resolve(BundleLayout.MODEL), modelMetadata(req, gguf, license, format));
        writeJson(dir.resolve(BundleLayout.TOOLS), toolset.toJson());
        writeJson(dir.resolve(BundleLayout.PROMPT_TEMPLATE), format.document(systemPrompt));
        ObjectNode smoke = smokeTests(samples, toolset, req.smokeTests());
        writeJson(dir.resolve(BundleLayout.SMOKE_TESTS), smoke);

        warnIfValidatedOtherwise(reports.get("validation"), req.temperature());
        Files.writeString(dir.resolve(BundleLayout.MODELFILE),
                modelfile(format, req.name(), req.version(), systemPrompt, req.temperature(), context));
        Files.writeString(dir.resolve(BundleLayout.README),
                BundleReadme.render(req, toolset, reports, gguf, smoke.get("cases").size(), context,
                        license.id(), format));

        Map<String, String> hashes = new TreeMap<>();
        for (String f : BundleLayout.FILES) {
            if (!f.equals(BundleLayout.MANIFEST)) {
                hashes.put(f, Sha256.ofFile(dir.resolve(f)));
            }
        }
        ObjectNode manifest = manifest(req, toolset, gguf, reports, hashes, context, systemPrompt, license, format);
        Files.writeString(dir.resolve(BundleLayout.MANIFEST), YAML.writeValueAsString(manifest));

        zip(dir, BundleLayout.FILES, req.zip(), req.timestamp());
        Path reportsZip = null;
        if (req.reportsZip() != null && !reports.isEmpty()) {
            List<String> names = new ArrayList<>();
            try (Stream<Path> s = Files.list(req.reportsDir())) {
                s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().forEach(names::add);
            }
            zip(req.reportsDir(), names, req.reportsZip(), req.timestamp());
            reportsZip = req.reportsZip();
        }
        LOG.debug("bundle {} written to {} and {}", req.name(), dir, req.zip());
        return new BundleResult(dir, req.zip(), reportsZip, hashes, smoke.get("cases").size(),
                toolset.tools().size());
    }

    static Toolset readToolset(Path file) throws BundleException {
        Toolset ts;
        try {
            ts = Toolset.fromJson(Json.MAPPER.readTree(Files.readString(file)), file.getFileName().toString());
        } catch (NoSuchFileException e) {
            throw new BundleException("no tools file at " + file + ": run forge:inspect first (it writes "
                    + "target/forge/tools.json) or point forge.tools at a tools.json");
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            throw new BundleException(file + " is not a valid tools.json: " + e.getMessage(), e);
        }
        try {
            SchemaCheck.check(ts);
        } catch (ToolException e) {
            throw new BundleException(file + ": " + e.getMessage(), e);
        }
        return ts;
    }

    static GgufFile readModel(Path model) throws BundleException {
        if (!Files.isRegularFile(model)) {
            throw new BundleException("no model at " + model + ": run forge:train and forge:gguf first, or set "
                    + "forge.bundleModel to a GGUF file");
        }
        try {
            return GgufReader.read(model);
        } catch (GgufException e) {
            throw new BundleException(model + " is not a valid GGUF model: " + e.getMessage(), e);
        }
    }

    static List<JsonNode> readSamples(Path evalData) throws BundleException, IOException {
        if (!Files.isRegularFile(evalData)) {
            throw new BundleException("no eval set at " + evalData + ": the bundle's smoke tests "
                    + "(tests/validation.json) are taken from it; run forge:generate first or set forge.evalData");
        }
        List<JsonNode> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(evalData, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = Json.MAPPER.readTree(lines.get(i));
            } catch (JacksonException e) {
                throw new BundleException(evalData + " line " + (i + 1) + " is not JSON: "
                        + e.getOriginalMessage());
            }
            if (!n.isObject() || !n.path("messages").isArray()) {
                throw new BundleException(evalData + " line " + (i + 1) + " is not a sample "
                        + "({id, scenario, tool_name, messages})");
            }
            out.add(n);
        }
        if (out.isEmpty()) {
            throw new BundleException(evalData + " holds no samples; the bundle needs at least one smoke test");
        }
        return out;
    }

    /** The system message the samples were made with (the model was trained with it), else the engine default. */
    static String systemPromptOf(List<JsonNode> samples) {
        for (JsonNode s : samples) {
            for (JsonNode m : s.get("messages")) {
                if ("system".equals(m.path("role").asString(null)) && m.path("content").isString()) {
                    return m.get("content").asString();
                }
            }
        }
        return dev.mcpforge.engine.chat.ChatMLFormat.DEFAULT_TOOL_SYSTEM_PROMPT;
    }

    /**
     * The smoke tests: up to {@code max} eval samples, taken round-robin over tools (no-tool samples count as one
     * group) so that each tool is tested. Each case holds the prompt (messages before the first assistant turn),
     * the expected first assistant turn (tool calls or a plain answer), and the tool results that followed, so a
     * stub can replay them.
     */
    static ObjectNode smokeTests(List<JsonNode> samples, Toolset toolset, int max) throws BundleException {
        Map<String, List<JsonNode>> byTool = new LinkedHashMap<>();
        for (JsonNode s : samples) {
            String tool = s.path("tool_name").isString() ? s.get("tool_name").asString() : "";
            byTool.computeIfAbsent(tool, k -> new ArrayList<>()).add(s);
        }
        List<JsonNode> picked = new ArrayList<>();
        for (int round = 0; picked.size() < max; round++) {
            boolean any = false;
            for (List<JsonNode> group : byTool.values()) {
                if (round < group.size() && picked.size() < max) {
                    picked.add(group.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("format_version", BundleLayout.FORMAT_VERSION);
        doc.put("toolset_hash", toolset.hash());
        ArrayNode cases = doc.putArray("cases");
        for (JsonNode s : picked) {
            cases.add(smokeCase(s, toolset));
        }
        return doc;
    }

    private static ObjectNode smokeCase(JsonNode s, Toolset toolset) throws BundleException {
        String id = s.path("id").asString("?");
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("id", id);
        c.put("scenario", s.path("scenario").asString(""));
        ArrayNode prompt = c.putArray("messages");
        JsonNode expected = null;
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (JsonNode m : s.get("messages")) {
            String role = m.path("role").asString("");
            if (expected == null) {
                if ("assistant".equals(role)) {
                    expected = m;
                } else {
                    prompt.add(m.deepCopy());
                }
            } else if ("tool".equals(role)) {
                results.add(m.deepCopy());
            } else {
                break;
            }
        }
        if (expected == null) {
            throw new BundleException("eval sample " + id + " has no assistant turn to test against");
        }
        ObjectNode exp = c.putObject("expected");
        ArrayNode calls = exp.putArray("tool_calls");
        for (JsonNode call : expected.path("tool_calls")) {
            String name = call.path("name").asString("");
            if (toolset.find(name).isEmpty()) {
                throw new BundleException("eval sample " + id + " calls '" + name + "', which is not in tools.json; "
                        + "the eval set is stale: re-run forge:generate");
            }
            ObjectNode o = calls.addObject();
            o.put("name", name);
            o.set("arguments", call.path("arguments").deepCopy());
        }
        if (calls.isEmpty()) {
            exp.put("content", expected.path("content").asString(""));
        }
        c.set("tool_results", results);
        return c;
    }

    /** The reports that exist ({@code qc, training, validation, benchmark}), by name. */
    static Map<String, JsonNode> readReports(Path reportsDir) throws BundleException {
        Map<String, JsonNode> out = new TreeMap<>();
        if (reportsDir == null || !Files.isDirectory(reportsDir)) {
            return out;
        }
        for (String name : List.of("qc", "training", "validation", "benchmark")) {
            Path f = reportsDir.resolve(name + ".json");
            if (Files.isRegularFile(f)) {
                try {
                    out.put(name, withoutRunSpecifics(Json.MAPPER.readTree(Files.readString(f))));
                } catch (IOException | JacksonException e) {
                    throw new BundleException("report " + f + " is not JSON: " + e.getMessage()
                            + "; re-run the goal that writes it");
                }
            }
        }
        return out;
    }

    /**
     * Report keys that describe one run on one machine (wall time, memory peak) or where it ran (absolute build
     * paths), as {@code key} or {@code object.key}. They are left out of agent.yaml and the bundle README, so two
     * builds of the same inputs (same seed and thread count: training is bit-deterministic) give the same bundle
     * bytes; the full reports stay in the {@code -reports.zip}.
     */
    static final List<String> RUN_SPECIFIC_KEYS = List.of("wallSeconds", "peakRssBytes", "baseModel.path", "eval_set");

    static JsonNode withoutRunSpecifics(JsonNode report) {
        if (!(report instanceof ObjectNode o)) {
            return report;
        }
        ObjectNode copy = o.deepCopy();
        for (String key : RUN_SPECIFIC_KEYS) {
            int dot = key.indexOf('.');
            if (dot < 0) {
                copy.remove(key);
            } else if (copy.get(key.substring(0, dot)) instanceof ObjectNode inner) {
                inner.remove(key.substring(dot + 1));
            }
        }
        return copy;
    }

    private ObjectNode manifest(BundleRequest req, Toolset toolset, GgufFile gguf, Map<String, JsonNode> reports,
                                Map<String, String> hashes, int context, String systemPrompt, License license,
                                PromptFormat format) throws IOException {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("format_version", BundleLayout.FORMAT_VERSION);
        m.put("name", req.name());
        m.put("version", req.version());
        m.put("created_at", DateTimeFormatter.ISO_INSTANT.format(req.timestamp().truncatedTo(ChronoUnit.SECONDS)));
        if (req.description() != null && !req.description().isBlank()) {
            m.put("description", req.description().strip());
        }
        m.put("license", license.id());
        m.put("license_source", license.source());

        ObjectNode base = m.putObject("base_model");
        JsonNode training = reports.get("training");
        // training.json (forge:train) writes "baseModel"; accept the seed's snake_case too
        JsonNode trainedFrom = training == null ? null
                : training.has("baseModel") ? training.get("baseModel") : training.get("base_model");
        if (trainedFrom != null && trainedFrom.isObject()) {
            base.setAll((ObjectNode) summary(trainedFrom));
        } else if (trainedFrom != null && trainedFrom.isString()) {
            base.put("name", trainedFrom.asString());
        }
        putIfAbsent(base, "name", gguf.getString("general.base_model.0.name").or(gguf::name).orElse(null));
        putIfAbsent(base, "revision", gguf.getString("general.base_model.0.version").orElse(null));
        putIfAbsent(base, "license", gguf.getString("general.license").orElse("unknown (no general.license in the GGUF)"));
        base.put("architecture", gguf.architecture());
        base.put("parameters", gguf.parameterCount());

        ObjectNode model = m.putObject("model");
        model.put("file", BundleLayout.MODEL);
        model.put("sha256", hashes.get(BundleLayout.MODEL));
        model.put("size", Files.size(req.bundleDir().resolve(BundleLayout.MODEL)));
        model.put("gguf_version", gguf.version());
        gguf.getLong("general.file_type").ifPresent(t -> model.put("file_type", t));

        ObjectNode train = m.putObject("training");
        if (training != null) {
            train.setAll((ObjectNode) summary(training));
            train.remove("base_model");
            train.remove("baseModel");
        } else {
            train.put("report", "none (no reports/training.json)");
        }

        ObjectNode dataset = m.putObject("dataset");
        JsonNode qc = reports.get("qc");
        if (qc != null) {
            dataset.setAll((ObjectNode) summary(qc));
        }
        ObjectNode prov = dataset.putObject("provenance");
        prov.put("eval_sha256", Sha256.ofFile(req.evalData()));
        if (req.trainData() != null && Files.isRegularFile(req.trainData())) {
            prov.put("train_sha256", Sha256.ofFile(req.trainData()));
        }
        prov.put("licence_note", "samples are synthesized from the toolset's schemas (and a teacher model when "
                + "configured); no third-party dataset is included");

        ObjectNode ts = m.putObject("toolset");
        ts.put("hash", toolset.hash());
        ts.put("source", toolset.source());
        ArrayNode tools = ts.putArray("tools");
        for (ToolDefinition t : toolset.tools()) {
            ObjectNode o = tools.addObject();
            o.put("name", t.name());
            o.put("description", t.description());
        }

        m.set("validation", reports.containsKey("validation") ? summary(reports.get("validation"))
                : Json.MAPPER.createObjectNode().put("executed", false));
        m.set("benchmark", reports.containsKey("benchmark") ? summary(reports.get("benchmark"))
                : Json.MAPPER.createObjectNode().put("executed", false));

        ObjectNode rt = m.putObject("runtime");
        rt.put("engine", "llama.cpp");
        rt.put("chat_format", format.id());
        rt.put("tool_prompt", format.toolPrompt());
        rt.put("recommended_context_length", context);
        PromptFormat.STOP.forEach(rt.putArray("stop_tokens")::add);
        rt.put("temperature", req.temperature());
        rt.put("repeat_penalty", 1.0);
        rt.put("supports_tools", true);
        rt.put("system_prompt_sha256", Sha256.of(systemPrompt.getBytes(StandardCharsets.UTF_8)));

        ObjectNode files = m.putObject("files");
        hashes.forEach((f, h) -> files.put(f, "sha256:" + h));
        return m;
    }

    /** The licence written into model.gguf ({@code general.license}) and agent.yaml, and where it came from. */
    record License(String id, String source) {
    }

    /** Stands in when nothing says a licence, so the key is always there (and agent.yaml says why). */
    static final String NO_LICENSE = "unspecified";

    /**
     * The agent's licence: {@code forge.license} when set; else the model's own {@code general.license} (a
     * fine-tune keeps its base model's licence, which forge:train carries over); else the pom's {@code <licenses>}
     * (a {@code tiny} model is built from scratch, so it is the project's own choice); else {@link #NO_LICENSE}.
     */
    static License license(BundleRequest req, GgufFile gguf) {
        Optional<String> fromModel = gguf.getString("general.license").filter(l -> !l.isBlank());
        if (req.license() != null && !req.license().isBlank()) {
            String l = req.license().strip();
            fromModel.filter(b -> !b.equalsIgnoreCase(l)).ifPresent(b -> LOG.warn("forge.license is {} but the model"
                    + " (its base) is licensed {}: check that the base model's licence allows this", l, b));
            return new License(l, "forge.license");
        }
        if (fromModel.isPresent()) {
            return new License(fromModel.get(), "the model's general.license (its base model's licence)");
        }
        if (req.projectLicense() != null && !req.projectLicense().isBlank()) {
            return new License(req.projectLicense().strip(), "the pom's <licenses>");
        }
        return new License(NO_LICENSE, "none configured: set forge.license (or <licenses> in the pom)");
    }

    /**
     * The bundle's prompt format: the one whose Jinja template the model carries (forge:train puts the base model's
     * template back into the trained model); for a model without one (llama.cpp's model saver drops it), the chat
     * format forge:train recorded in reports/training.json ({@code baseModel.chatFormat}), else the full
     * {@link PromptFormat#CHATML_HERMES}.
     */
    static PromptFormat promptFormat(BundleRequest req, GgufFile gguf, Map<String, JsonNode> reports)
            throws BundleException {
        Optional<String> template = gguf.chatTemplate();
        if (template.isPresent()) {
            return PromptFormat.forTemplate(template.get()).orElseThrow(() -> new BundleException(req.model()
                    + " carries a tokenizer.chat_template other than the bundle's " + PromptFormat.ids()
                    + " templates: bundles ship ChatML/Hermes models only (train from a ChatML base model or the tiny"
                    + " one)"));
        }
        JsonNode trained = reports.getOrDefault("training", Json.MAPPER.createObjectNode()).path("baseModel")
                .path("chatFormat");
        if (trained.isString()) {
            PromptFormat f;
            try {
                f = PromptFormat.forChatFormat(ChatFormat.byName(trained.asString())).orElse(null);
            } catch (IllegalArgumentException e) {
                f = null;
            }
            if (f == null) {
                throw new BundleException(req.model() + " has no chat template and reports/training.json says it "
                        + "was trained with the " + trained.asString() + " chat format: bundles ship ChatML/Hermes "
                        + "models only (" + PromptFormat.ids() + ")");
            }
            LOG.info("{} has no chat template: using {} (the chat format reports/training.json records)",
                    req.model().getFileName(), f.id());
            return f;
        }
        return PromptFormat.CHATML_HERMES;
    }

    /**
     * Metadata stamped into the bundle's model.gguf: the licence, the agent's name/version/description, and the
     * chat template of the bundle's format (put back when the model lacks one: llama.cpp's model saver drops it).
     */
    static Map<String, Object> modelMetadata(BundleRequest req, GgufFile gguf, License license, PromptFormat format) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("general.name", req.name());
        meta.put("general.version", req.version());
        if (req.description() != null && !req.description().isBlank()) {
            meta.put("general.description", req.description().strip());
        }
        meta.put("general.license", license.id());
        meta.put("tokenizer.chat_template", format.chatTemplate());
        return meta;
    }

    /** Scalars of a report and its objects of scalars (one level); lists such as issue examples are left out. */
    static JsonNode summary(JsonNode report) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> e : report.properties()) {
            JsonNode v = e.getValue();
            if (v.isValueNode()) {
                out.set(e.getKey(), v);
            } else if (v.isObject()) {
                ObjectNode inner = Json.MAPPER.createObjectNode();
                for (Map.Entry<String, JsonNode> ie : v.properties()) {
                    if (ie.getValue().isValueNode()) {
                        inner.set(ie.getKey(), ie.getValue());
                    }
                }
                if (!inner.isEmpty()) {
                    out.set(e.getKey(), inner);
                }
            }
        }
        return out;
    }

    private static void putIfAbsent(ObjectNode o, String key, String value) {
        if (!o.has(key) && value != null) {
            o.put(key, value);
        }
    }

    /**
     * Warns when the validation report was measured at another temperature than the one the bundle recommends: its
     * numbers are then not those of the agent as shipped. Reports without a temperature (older ones) are not checked.
     */
    static String warnIfValidatedOtherwise(JsonNode validation, double temperature) {
        if (validation == null || !validation.path("temperature").isNumber()) {
            return null;
        }
        double validated = validation.get("temperature").asDouble();
        if (Math.abs(validated - temperature) < 1e-6) {
            return null;
        }
        String msg = String.format(Locale.ROOT, "The bundle recommends temperature %s (forge.temperature), but its"
                + " validation report was measured at %s: its metrics are not those of the agent as shipped. Set"
                + " -Dforge.temperature=%s, or validate at %s with -Dforge.validate.temperature=%s.", temperature,
                validated, validated, temperature, temperature);
        LOG.warn(msg);
        return msg;
    }

    /**
     * The Ollama Modelfile: the model, the chat template with tool branches, stop strings, the system prompt and the
     * decoding: the temperature, and no repetition penalty (forge:validate measures without one; Ollama's default
     * is 1.1, which would otherwise apply).
     */
    static String modelfile(PromptFormat format, String name, String version, String systemPrompt, double temperature,
                            int context) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Ollama Modelfile for ").append(name).append(' ').append(version)
                .append(", written by MCP-Forge.\n");
        sb.append("# ollama create ").append(name).append(" -f Modelfile && ollama run ").append(name).append("\n");
        sb.append("FROM ./").append(BundleLayout.MODEL).append("\n\n");
        sb.append("TEMPLATE \"\"\"").append(format.ollamaTemplate()).append("\"\"\"\n\n");
        sb.append("SYSTEM \"\"\"").append(systemPrompt).append("\"\"\"\n\n");
        for (String stop : PromptFormat.STOP) {
            sb.append("PARAMETER stop \"").append(stop).append("\"\n");
        }
        sb.append("PARAMETER temperature ").append(String.format(Locale.ROOT, "%s", temperature)).append('\n');
        sb.append("PARAMETER repeat_penalty 1\n");
        sb.append("PARAMETER num_ctx ").append(context).append('\n');
        return sb.toString();
    }

    private static void writeJson(Path file, JsonNode node) throws IOException {
        Files.writeString(file, Json.PRETTY.writeValueAsString(node) + "\n");
    }

    /** A reproducible zip of {@code names} (relative to {@code dir}), written to a fresh file. */
    static void zip(Path dir, List<String> names, Path zip, Instant timestamp) throws IOException, BundleException {
        Files.createDirectories(zip.toAbsolutePath().getParent());
        Files.deleteIfExists(zip);
        ZipArchiver archiver = new ZipArchiver();
        archiver.setDestFile(zip.toFile());
        archiver.setCompress(true);
        archiver.setForced(true);
        // one mtime for every entry, entries sorted, uid/gid 0, umask 022 (plexus-archiver's reproducible mode)
        archiver.configureReproducibleBuild(FileTime.from(timestamp));
        archiver.setDirectoryMode(0755);
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.naturalOrder());
        for (String n : sorted) {
            archiver.addFile(dir.resolve(n).toFile(), n, 0644);
        }
        try {
            archiver.createArchive();
        } catch (ArchiverException e) {
            throw new IOException("could not write " + zip + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
