package dev.mcpforge.bundle;

import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.gguf.GgufWriter;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.tools.Json;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleServiceTest {

    @TempDir
    Path dir;

    @Test
    void warnsWhenTheValidationWasMeasuredAtAnotherTemperature() throws Exception {
        JsonNode greedy = Json.MAPPER.readTree("{\"temperature\": 0.0}");
        String msg = BundleService.warnIfValidatedOtherwise(greedy, 0.7);
        assertTrue(msg != null && msg.contains("temperature 0.7") && msg.contains("measured at 0.0")
                && msg.contains("-Dforge.temperature=0.0"), msg);
        assertNull(BundleService.warnIfValidatedOtherwise(greedy, 0.0));
        // a report of before the temperature was recorded, or none: nothing to compare
        assertNull(BundleService.warnIfValidatedOtherwise(Json.MAPPER.readTree("{\"decoding\": \"plain\"}"), 0.7));
        assertNull(BundleService.warnIfValidatedOtherwise(null, 0.7));
    }

    @Test
    void writesTheSeedTreeWithAManifestHashingEveryFile() throws Exception {
        BundleRequest req = BundleFixture.inputs(dir, "time-agent");
        BundleResult r = new BundleService().build(req);
        Path b = r.bundleDir();
        for (String f : BundleLayout.FILES) {
            assertTrue(Files.isRegularFile(b.resolve(f)), "missing " + f);
        }
        JsonNode m = BundleService.YAML.readTree(Files.readString(b.resolve("agent.yaml")));
        assertEquals(1, m.get("format_version").asInt());
        assertEquals("time-agent", m.get("name").asString());
        assertTrue(m.get("version").isString(), "1.0.0 stays a string");
        assertEquals("2026-11-28T00:00:00Z", m.get("created_at").asString());
        assertEquals(6, m.get("files").size());
        assertFalse(m.get("files").has("agent.yaml"));
        for (var e : m.get("files").properties()) {
            assertEquals("sha256:" + Sha256.ofFile(b.resolve(e.getKey())), e.getValue().asString(), e.getKey());
        }
        JsonNode tools = Json.MAPPER.readTree(Files.readString(b.resolve("tools.json")));
        assertEquals(tools.get("toolsetHash").asString(), m.get("toolset").get("hash").asString());
        assertEquals(40, m.get("dataset").get("total_samples").asInt());
        assertEquals(20, m.get("dataset").get("tool_coverage").get("current_time").asInt());
        assertFalse(m.get("dataset").has("issues"), "lists of a report stay out of the manifest");
        assertEquals("llama", m.get("base_model").get("architecture").asString());
        assertFalse(m.get("validation").get("executed").asBoolean());
        assertEquals(256, m.get("runtime").get("recommended_context_length").asInt());
        assertEquals(1.0, m.get("runtime").get("repeat_penalty").asDouble());

        JsonNode prompt = Json.MAPPER.readTree(Files.readString(b.resolve("prompt_template.json")));
        assertEquals("You are a time assistant.", prompt.get("system_prompt").asString(),
                "the system prompt the samples were made with");
        assertTrue(PromptFormat.problems(prompt).isEmpty());

        JsonNode smoke = Json.MAPPER.readTree(Files.readString(b.resolve("tests/validation.json")));
        assertEquals(3, smoke.get("cases").size());
        JsonNode first = smoke.get("cases").get(0);
        assertEquals("current_time", first.get("expected").get("tool_calls").get(0).get("name").asString());
        assertEquals("Asia/Tokyo", first.get("expected").get("tool_calls").get(0).get("arguments")
                .get("timezone").asString());
        assertEquals(2, first.get("messages").size(), "system + user, before the first assistant turn");
        assertEquals(1, first.get("tool_results").size());
        assertEquals("I can only help with time questions.",
                smoke.get("cases").get(2).get("expected").get("content").asString());

        String modelfile = Files.readString(b.resolve("Modelfile"));
        assertTrue(modelfile.contains("FROM ./model.gguf\n"));
        assertTrue(modelfile.contains("PARAMETER stop \"<|im_end|>\""));
        assertTrue(modelfile.contains("SYSTEM \"\"\"You are a time assistant.\"\"\""));
        assertTrue(modelfile.contains("{{- if .Tools }}") && modelfile.contains("{{- range .ToolCalls }}"));
        String readme = Files.readString(b.resolve("README.md"));
        assertTrue(readme.contains("| `relative_time` |") && readme.contains("ollama create time-agent"));
        // llama.cpp is told the recommended decoding too (it samples at 0.8 by default)
        assertTrue(readme.contains("llama-server -m model.gguf --jinja -c 256 --temp 0.7 --repeat-penalty 1"), readme);
        assertTrue(readme.contains("| qc | valid_samples | 38 |"));

        assertTrue(Files.isRegularFile(r.reportsZip()));
        try (ZipFile z = ZipFile.builder().setPath(r.reportsZip()).get()) {
            assertEquals(List.of("qc.json"), Collections.list(z.getEntries()).stream()
                    .filter(e -> !e.isDirectory()).map(ZipArchiveEntry::getName).toList());
        }
    }

    @Test
    void theZipIsByteIdenticalAcrossBuildsAndTimezonesWithSortedEntriesAtTheOutputTimestamp() throws Exception {
        BundleRequest a = BundleFixture.inputs(dir.resolve("a"), "time-agent");
        BundleRequest b = BundleFixture.inputs(dir.resolve("b"), "time-agent");
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            new BundleService().build(a);
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            new BundleService().build(b);
        } finally {
            TimeZone.setDefault(saved);
        }
        assertArrayEquals(Files.readAllBytes(a.zip()), Files.readAllBytes(b.zip()));
        try (ZipFile z = ZipFile.builder().setPath(a.zip()).get()) {
            List<String> names = new ArrayList<>();
            for (ZipArchiveEntry e : Collections.list(z.getEntries())) {
                names.add(e.getName());
                if (!e.isDirectory()) {
                    assertEquals(0644, e.getUnixMode() & 0777, e.getName());
                }
            }
            List<String> files = names.stream().filter(n -> !n.endsWith("/")).toList();
            assertEquals(List.of("Modelfile", "README.md", "agent.yaml", "model.gguf", "prompt_template.json",
                    "tests/validation.json", "tools.json"), files);
        }
    }

    @Test
    void runMeasurementsAndBuildPathsOfTheReportsStayOutOfTheBundle() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("run-reports"));
        Files.writeString(reports.resolve("training.json"), "{\"optimizerSteps\": 216, \"wallSeconds\": 299.7, "
                + "\"peakRssBytes\": 210468864, \"baseModel\": {\"name\": \"tiny\", \"path\": \"/build/base.gguf\"}}");
        Files.writeString(reports.resolve("validation.json"), "{\"passed\": false, \"eval_set\": \"/build/eval.jsonl\"}");
        var read = BundleService.readReports(reports);
        assertEquals("{\"optimizerSteps\":216,\"baseModel\":{\"name\":\"tiny\"}}", read.get("training").toString());
        assertEquals("{\"passed\":false}", read.get("validation").toString());
        assertTrue(Files.readString(reports.resolve("training.json")).contains("wallSeconds"),
                "the report file itself (the -reports.zip) keeps the measurements");
    }

    private static BundleRequest withLicense(BundleRequest r, Path model, String license, String projectLicense) {
        return new BundleRequest(r.name(), r.version(), r.description(), r.tools(), model, r.evalData(),
                r.trainData(), r.reportsDir(), r.systemPrompt(), r.smokeTests(), r.contextLength(), r.temperature(),
                r.timestamp(), r.bundleDir(), r.zip(), r.reportsZip(), license, projectLicense);
    }

    /** The model as llama_model_save_to_file leaves it after training: no chat template, no licence. */
    private Path savedByLlamaCpp(Path model) throws Exception {
        Map<String, Object> drop = new HashMap<>();
        drop.put("tokenizer.chat_template", null);
        drop.put("general.license", null);
        GgufWriter.copy(GgufReader.read(model), model, drop);
        assertTrue(GgufReader.read(model).chatTemplate().isEmpty());
        return model;
    }

    @Test
    void theBundledModelCarriesTheChatTemplateLicenseAndNameAndLlamaCppReadsThem() throws Exception {
        BundleRequest in = BundleFixture.inputs(dir, "time-agent");
        Path model = savedByLlamaCpp(in.model());
        BundleResult r = new BundleService().build(withLicense(in, model, null, "Apache-2.0"));
        Path bundled = r.bundleDir().resolve("model.gguf");
        GgufFile g = GgufReader.read(bundled);
        assertEquals(ChatTemplates.CHATML_TOOLS, g.chatTemplate().orElse(null));
        assertEquals("Apache-2.0", g.getString("general.license").orElse(null));
        assertEquals("time-agent", g.name().orElse(null));
        assertEquals("1.0.0", g.getString("general.version").orElse(null));
        assertEquals("Answers time questions.", g.getString("general.description").orElse(null));
        GgufFile src = GgufReader.read(model);
        assertEquals(src.tensors().size(), g.tensors().size());
        assertEquals(src.tensorDataSize(), g.tensorDataSize());
        JsonNode m = BundleService.YAML.readTree(Files.readString(r.bundleDir().resolve("agent.yaml")));
        assertEquals("Apache-2.0", m.get("license").asString());
        assertEquals("the pom's <licenses>", m.get("license_source").asString());
        assertTrue(Files.readString(r.bundleDir().resolve("README.md")).contains("Licence: Apache-2.0 ("));
        assertEquals(Files.size(bundled), m.get("model").get("size").asLong());
        try (Model lm = Model.load(bundled)) {
            assertEquals(ChatTemplates.CHATML_TOOLS, lm.chatTemplate());
            assertEquals("Apache-2.0", lm.meta("general.license"));
            assertEquals("time-agent", lm.meta("general.name"));
        }
    }

    @Test
    void theLicenseIsForgeLicenseElseTheModelsElseThePomsElseUnspecified() throws Exception {
        BundleRequest in = BundleFixture.inputs(dir, "time-agent");
        Path plain = in.model();
        Path licensed = dir.resolve("licensed.gguf");
        GgufWriter.copy(GgufReader.read(plain), licensed, Map.of("general.license", "qwen-research"));
        GgufFile p = GgufReader.read(plain);
        GgufFile l = GgufReader.read(licensed);
        assertEquals(new BundleService.License("MIT", "forge.license"),
                BundleService.license(withLicense(in, licensed, "MIT", "Apache-2.0"), l));
        assertEquals("qwen-research", BundleService.license(withLicense(in, licensed, null, "Apache-2.0"), l).id());
        assertEquals("Apache-2.0", BundleService.license(withLicense(in, plain, " ", "Apache-2.0"), p).id());
        BundleService.License none = BundleService.license(withLicense(in, plain, null, null), p);
        assertEquals("unspecified", none.id());
        assertTrue(none.source().contains("set forge.license"), none.source());
    }

    @Test
    void aModelWithAnotherChatTemplateIsRefusedAtBundleTime() throws Exception {
        BundleRequest in = BundleFixture.inputs(dir, "time-agent");
        GgufWriter.copy(GgufReader.read(in.model()), in.model(), Map.of("tokenizer.chat_template",
                "{{ bos_token }}{% for m in messages %}[INST] {{ m.content }} [/INST]{% endfor %}"));
        BundleException e = assertThrows(BundleException.class, () -> new BundleService().build(in));
        assertTrue(e.getMessage().contains("tokenizer.chat_template other than the bundle's chatml-hermes, "
                + "chatml-hermes-names, chatml-hermes-implicit templates"),
                e.getMessage());
    }

    @Test
    void theBaseModelRecordedByForgeTrainReachesTheManifest() throws Exception {
        BundleRequest req = BundleFixture.inputs(dir, "time-agent");
        Files.writeString(req.reportsDir().resolve("training.json"), "{\"optimizerSteps\": 10, \"baseModel\": "
                + "{\"spec\": \"tiny\", \"sha256\": \"sha256:0123\", \"path\": \"/build/base.gguf\"}}");
        JsonNode m = BundleService.YAML.readTree(Files.readString(new BundleService().build(req).bundleDir()
                .resolve("agent.yaml")));
        assertEquals("sha256:0123", m.get("base_model").get("sha256").asString(), m.toString());
        assertEquals("tiny", m.get("base_model").get("spec").asString(), m.toString());
        assertFalse(m.get("base_model").has("path"), "build paths stay out of the bundle");
        assertFalse(m.get("training").has("baseModel"), "recorded once, under base_model");
    }

    @Test
    void aMissingEvalSetIsNamedWithTheGoalThatWritesIt() throws Exception {
        BundleRequest req = BundleFixture.inputs(dir, "x");
        Files.delete(req.evalData());
        BundleException e = assertThrows(BundleException.class, () -> new BundleService().build(req));
        assertTrue(e.getMessage().contains("eval.jsonl") && e.getMessage().contains("forge:generate"),
                e.getMessage());
    }

    @Test
    void aModelThatIsNotGgufIsRefused() throws Exception {
        BundleRequest req = BundleFixture.inputs(dir, "x");
        Files.writeString(req.model(), "not a model");
        BundleException e = assertThrows(BundleException.class, () -> new BundleService().build(req));
        assertTrue(e.getMessage().contains("is not a valid GGUF model"), e.getMessage());
    }

    @Test
    void anEvalSampleCallingAToolNotInTheToolsetIsStale() throws Exception {
        BundleRequest req = BundleFixture.inputs(dir, "x");
        Files.writeString(req.evalData(), Files.readString(req.evalData()).replace("relative_time", "gone_tool"));
        BundleException e = assertThrows(BundleException.class, () -> new BundleService().build(req));
        assertTrue(e.getMessage().contains("'gone_tool'") && e.getMessage().contains("re-run forge:generate"),
                e.getMessage());
    }

    @Test
    void theOllamaTemplatesAreBalanced() {
        for (PromptFormat f : PromptFormat.values()) {
            String t = f.ollamaTemplate();
            int opens = count(t, "{{- if ") + count(t, "{{ if ") + count(t, "{{- range ");
            int ends = count(t, "{{- end }}") + count(t, "{{ end }}");
            assertEquals(opens, ends, t);
            assertTrue(t.contains(".Function.Arguments") && t.contains("<tool_response>"));
        }
    }

    /** The fixture's model with the names variant's chat template (as forge:train writes the tiny model's). */
    static Path namesModel(BundleRequest in) throws Exception {
        GgufWriter.copy(GgufReader.read(BundleFixture.model()), in.model(),
                Map.of("tokenizer.chat_template", ChatTemplates.CHATML_TOOL_NAMES));
        return in.model();
    }

    @Test
    void aNamesVariantModelBundlesWithTheNamesTemplatesEverywhere() throws Exception {
        BundleRequest in = BundleFixture.inputs(dir, "time-agent");
        namesModel(in);
        Path b = new BundleService().build(in).bundleDir();
        JsonNode prompt = assertBundledAs(b, PromptFormat.CHATML_HERMES_NAMES, "names");
        assertFalse(Files.readString(b.resolve("Modelfile")).contains("{{ . }}"), "no tool JSON in the Modelfile's template");
        assertTrue(Files.readString(b.resolve("README.md")).contains("the model expects the tools listed by name only"));

        // the full variant's bundle says so too
        BundleRequest fullIn = BundleFixture.inputs(dir.resolve("full"), "time-agent");
        Path fb = new BundleService().build(fullIn).bundleDir();
        JsonNode fm = BundleService.YAML.readTree(Files.readString(fb.resolve("agent.yaml")));
        assertEquals("chatml-hermes", fm.get("runtime").get("chat_format").asString());
        assertEquals("full", fm.get("runtime").get("tool_prompt").asString());

        // a prompt_template.json whose template is not its chat_format's is not usable
        ((tools.jackson.databind.node.ObjectNode) prompt).put("chat_template", ChatTemplates.CHATML_TOOLS);
        assertEquals(List.of("\"chat_template\" is not the chatml-hermes-names template its \"chat_format\" names"),
                PromptFormat.problems(prompt));
        ((tools.jackson.databind.node.ObjectNode) prompt).put("chat_format", "chatml-xml");
        assertTrue(PromptFormat.problems(prompt).get(0).contains("this build knows only chatml-hermes, "
                + "chatml-hermes-names"), PromptFormat.problems(prompt).toString());
    }

    @Test
    void anImplicitVariantModelBundlesWithTheImplicitTemplatesEverywhere() throws Exception {
        BundleRequest in = BundleFixture.inputs(dir, "time-agent");
        GgufWriter.copy(GgufReader.read(BundleFixture.model()), in.model(),
                Map.of("tokenizer.chat_template", ChatTemplates.CHATML_IMPLICIT_TOOLS));
        Path b = new BundleService().build(in).bundleDir();
        assertBundledAs(b, PromptFormat.CHATML_HERMES_IMPLICIT, "none");
        assertFalse(Files.readString(b.resolve("Modelfile")).contains("<tools>"), "no tool section in the Modelfile's template");
        assertTrue(Files.readString(b.resolve("README.md")).contains("the model knows its tools from training"));
    }

    /**
     * The bundle in {@code b} carries {@code f} everywhere: prompt_template.json (format, tool prompt, template, usable),
     * the GGUF's chat template, the Modelfile's TEMPLATE and agent.yaml's runtime; returns prompt_template.json.
     */
    static JsonNode assertBundledAs(Path b, PromptFormat f, String toolPrompt) throws Exception {
        JsonNode prompt = Json.MAPPER.readTree(Files.readString(b.resolve("prompt_template.json")));
        assertEquals(f.id(), prompt.get("chat_format").asString());
        assertEquals(toolPrompt, prompt.get("tool_prompt").asString());
        assertEquals(f.chatTemplate(), prompt.get("chat_template").asString());
        assertTrue(PromptFormat.problems(prompt).isEmpty(), PromptFormat.problems(prompt).toString());
        assertEquals(f.chatTemplate(), GgufReader.read(b.resolve("model.gguf")).chatTemplate().orElse(null));
        String modelfile = Files.readString(b.resolve("Modelfile"));
        assertTrue(modelfile.contains("TEMPLATE \"\"\"" + f.ollamaTemplate() + "\"\"\""), modelfile);
        JsonNode m = BundleService.YAML.readTree(Files.readString(b.resolve("agent.yaml")));
        assertEquals(f.id(), m.get("runtime").get("chat_format").asString());
        assertEquals(toolPrompt, m.get("runtime").get("tool_prompt").asString());
        return prompt;
    }

    @Test
    void aModelWithoutATemplateGetsTheChatFormatForgeTrainRecorded() throws Exception {
        BundleRequest in = BundleFixture.inputs(dir, "time-agent");
        savedByLlamaCpp(namesModel(in));
        Files.writeString(in.reportsDir().resolve("training.json"), "{\"optimizerSteps\": 10, \"baseModel\": "
                + "{\"spec\": \"tiny\", \"chatFormat\": \"chatml-names\"}}");
        BundleResult r = new BundleService().build(in);
        assertEquals(ChatTemplates.CHATML_TOOL_NAMES, GgufReader.read(r.bundleDir().resolve("model.gguf"))
                .chatTemplate().orElse(null));
        assertEquals("chatml-hermes-names", Json.MAPPER.readTree(Files.readString(r.bundleDir()
                .resolve("prompt_template.json"))).get("chat_format").asString());
        // a recorded format bundles cannot ship is named
        Files.writeString(in.reportsDir().resolve("training.json"), "{\"baseModel\": {\"chatFormat\": \"llama3\"}}");
        BundleException e = assertThrows(BundleException.class, () -> new BundleService().build(in));
        assertTrue(e.getMessage().contains("trained with the llama3 chat format"), e.getMessage());
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
