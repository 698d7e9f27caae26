package dev.mcpforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMLFormat;
import dev.mcpforge.engine.chat.ChatTemplates;
import dev.mcpforge.engine.train.TrainRequest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
    @Test
    void overridesHashAndSchedule() {
        TrainSettings a = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals(2560, a.contextLength());                  // graph core: the longest row, not a padded n_ctx
        assertEquals(1024, TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().core("llama-opt").build()).contextLength());
        assertEquals(3, a.epochs());
        TrainSettings b = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().epochs(5).learningRate(3e-4).optimizer("sgd").schedule("constant").build());
        assertEquals(5, b.epochs());
        assertEquals("sgd", b.optimizer());
        assertNotEquals(a.sha256(), b.sha256());
        assertEquals(a.sha256(), TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none()).sha256());
        assertEquals(64, a.withUbatch(64).ubatch());
        assertEquals(512, a.withContext(512).contextLength());

        TrainRequest r = TrainRequest.builder(Path.of("m"), Path.of("o"), Path.of("c"), Path.of("t")).threads(1)
                .learningRate(1e-3, 1e-5).warmupSteps(10).seed(1).build();
        assertEquals(1e-4, r.learningRateAt(0, 100), 1e-9);      // warm-up starts at lr/warmup
        assertEquals(1e-3, r.learningRateAt(9, 100), 1e-9);      // end of warm-up: peak
        assertEquals(1e-5, r.learningRateAt(100, 100), 1e-9);    // cosine floor
        assertTrue(r.learningRateAt(50, 100) < 1e-3 && r.learningRateAt(50, 100) > 1e-5);
        assertEquals(r, TrainRequest.fromJson(r.toJson()));
    }

    @Test
    void loraDefaultsPerBaseModelAndCore() {
        TrainSettings tiny = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals(0, tiny.loraRank()); // the tiny model trains fully
        TrainSettings real = TrainSettings.resolve(TrainProfile.BALANCED, "hf:o/r/m.gguf", TrainSettings.Overrides.none());
        assertEquals(16, real.loraRank());
        assertEquals(32.0, real.loraAlpha());
        assertEquals(TrainSettings.DEFAULT_LORA_TARGETS, real.loraTargets());
        assertNotEquals(tiny.sha256(), TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().loraRank(4).loraTargets("attn_q, ffn_up").build()).sha256());
        TrainSettings full = TrainSettings.resolve(TrainProfile.BALANCED, "m.gguf", TrainSettings.Overrides.builder().loraRank(0).build());
        assertEquals(0, full.loraRank());
        assertEquals(List.of("attn_q", "ffn_up"), TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().loraRank(4).loraTargets("attn_q, ffn_up").build()).loraTargets());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().core("llama-opt").loraRank(8).build()));
        assertTrue(e.getMessage().contains("needs the graph core"), e.getMessage());
    }

    @Test
    void toolPromptAutoIsNoneForTinyAndFullOtherwiseAndNoneOrNamesNeedTiny() {
        TrainSettings tiny = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals("none", tiny.toolPrompt());
        assertEquals(ChatMLFormat.ToolList.NONE, tiny.toolList());
        assertSame(ChatFormat.chatmlImplicitTools(), tiny.tinyChatFormat());
        assertEquals(ChatTemplates.CHATML_IMPLICIT_TOOLS, tiny.tinyChatTemplate());
        assertEquals("none", tiny.toJson().get("toolPrompt").asString(), "recorded in training.json's config");
        assertEquals("tools in the prompt: none (the model learns its tools from the data) (forge.toolPrompt=auto, "
                + "tiny base model)", tiny.toolPromptLine(TrainSettings.Overrides.none().requestedToolPrompt()));
        TrainSettings real = TrainSettings.resolve(TrainProfile.BALANCED, "hf:o/r/m.gguf", TrainSettings.Overrides.none());
        assertEquals("full", real.toolPrompt());
        assertEquals(ChatMLFormat.ToolList.SCHEMAS, real.toolList());
        assertEquals("tools in the prompt: full JSON schemas (forge.toolPrompt=auto, base model hf:o/r/m.gguf)",
                real.toolPromptLine("auto"));
        // explicit values; none on tiny is auto's choice (same hash: the same training)
        assertEquals(tiny.sha256(), TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.none().withToolPrompt(" None ")).sha256());
        TrainSettings names = TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.none().withToolPrompt("names"));
        assertEquals(ChatMLFormat.ToolList.NAMES, names.toolList());
        assertSame(ChatFormat.chatmlToolNames(), names.tinyChatFormat());
        assertEquals(ChatTemplates.CHATML_TOOL_NAMES, names.tinyChatTemplate());
        assertEquals("tools in the prompt: names only (forge.toolPrompt=names, tiny base model)",
                names.toolPromptLine("names"));
        TrainSettings tinyFull = TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.none().withToolPrompt("full"));
        assertEquals("full", tinyFull.toolPrompt());
        assertSame(ChatFormat.chatml(), tinyFull.tinyChatFormat());
        assertEquals(ChatTemplates.CHATML_TOOLS, tinyFull.tinyChatTemplate());
        assertNotEquals(tiny.sha256(), tinyFull.sha256(), "changing forge.toolPrompt retrains");
        assertNotEquals(tiny.sha256(), names.sha256(), "changing forge.toolPrompt retrains");
        assertEquals("full", TrainSettings.resolve(TrainProfile.BALANCED, "m.gguf",
                TrainSettings.Overrides.none().withToolPrompt("full")).toolPrompt());
        assertEquals("none", tiny.withUbatch(64).withContext(512).toolPrompt());
        for (String tinyOnly : List.of("names", "none")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TrainSettings.resolve(TrainProfile.BALANCED, "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/q.gguf",
                            TrainSettings.Overrides.none().withToolPrompt(tinyOnly)));
            assertTrue(e.getMessage().contains("forge.toolPrompt=" + tinyOnly + " applies only to the tiny base model")
                    && e.getMessage().contains("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/q.gguf")
                    && e.getMessage().contains("-Dforge.toolPrompt=auto"), e.getMessage());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none()
                        .withToolPrompt("schemas")));
        assertTrue(e.getMessage().contains("auto, none, names or full") && e.getMessage().contains("'schemas'"),
                e.getMessage());
    }

    @Test
    void memorySizesAndChart() {
        assertEquals(2L << 30, MemoryEstimate.parseSize("2g"));
        assertEquals(512L << 20, MemoryEstimate.parseSize("512M"));
        MemoryEstimate adam = MemoryEstimate.of(1_000_000, 2048, 2, 256, 768, 1024, 256, "adamw");
        MemoryEstimate sgd = MemoryEstimate.of(1_000_000, 2048, 2, 256, 768, 1024, 256, "sgd");
        assertEquals(8_000_000, adam.total() - sgd.total());
        String svg = LossChart.svg(Arrays.asList(2.0, 1.0, 0.5), Arrays.asList(1.5, null, 0.7), "t");
        assertTrue(svg.startsWith("<svg") && svg.contains("<polyline") && svg.endsWith("</svg>\n"));
        assertEquals(svg, LossChart.svg(Arrays.asList(2.0, 1.0, 0.5), Arrays.asList(1.5, null, 0.7), "t"));
    }

    @Test
    void sharedPrefixIsTheGraphCoresDefaultAndRecordedInTheConfig() {
        TrainSettings g = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertTrue(g.sharedPrefix());
        assertEquals(0, g.rowTokens()); // the engine's default budget
        assertTrue(g.toJson().path("sharedPrefix").asBoolean());
        assertEquals(0, g.toJson().path("rowTokens").asInt());
        assertEquals(0, g.withContext(2048).rowTokens());
        TrainSettings opt = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().core("llama-opt").build());
        assertEquals(false, opt.sharedPrefix());
        TrainSettings off = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().sharedPrefix(false).rowTokens(512).build());
        assertEquals(false, off.sharedPrefix());
        assertEquals(512, off.rowTokens());
        assertNotEquals(g.sha256(), off.sha256());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrainSettings.resolve(
                TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().rowTokens(4).build()));
    }

    private static TrainSettings.Overrides decision(String core, Double weight, Integer tokens) {
        return TrainSettings.Overrides.builder().core(core).decisionWeight(weight).decisionTokens(tokens).build();
    }

    @Test
    void decisionWeightNeedsTheGraphCoreAndReachesTheRequest() {
        TrainSettings off = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals(1.0, off.decisionWeight());
        assertEquals(0, off.decisionTokens());
        TrainSettings on = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", decision(null, 4.0, null));
        assertEquals(4.0, on.decisionWeight());
        assertEquals(TrainSettings.DEFAULT_DECISION_TOKENS, on.decisionTokens());
        assertNotEquals(off.sha256(), on.sha256());
        assertEquals(24, TrainSettings.resolve(TrainProfile.BALANCED, "tiny", decision(null, 2.0, 24)).decisionTokens());
        IllegalArgumentException opt = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", decision("llama-opt", 4.0, null)));
        assertTrue(opt.getMessage().contains("needs the graph core"), opt.getMessage());
        IllegalArgumentException low = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", decision(null, 0.5, null)));
        assertTrue(low.getMessage().contains("forge.train.decisionWeight"), low.getMessage());

        TrainRequest r = TrainRequest.builder(Path.of("m"), Path.of("o"), Path.of("c"), Path.of("t")).threads(1)
                .learningRate(1e-3, 1e-5).warmupSteps(10).seed(1).core("graph", "assistant").sharedPrefix(true, 0)
                .decision(4.0, 16).stopAfterEpochs(2).build();
        assertEquals(r, TrainRequest.fromJson(r.toJson()));
        assertEquals(r, r.withCore("graph", "assistant"));
        assertEquals(2, TrainRequest.fromJson(r.toJson()).stopAfterEpochs());
        assertEquals(0, r.withStopAfterEpochs(0).stopAfterEpochs());
    }

    @Test
    void tinyModelShapeOverridesTheProfileAndOnlyForTheTinyBase() {
        TrainSettings def = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals("small", def.tinySize());
        TrainSettings h8 = TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().tinyModel("4x256/8").build());
        assertEquals("4x256/8", h8.tinySize());
        assertNotEquals(def.sha256(), h8.sha256());              // another shape retrains
        assertEquals("base", TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().tinyModel("BASE").build()).tinySize());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().tinyModel("4x300").build()));
        assertTrue(e.getMessage().contains("multiple of 256"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "m.gguf", TrainSettings.Overrides.builder().tinyModel("6x256").build()));
        assertTrue(e.getMessage().contains("forge.baseModel=tiny"), e.getMessage());
    }

    @Test
    void toolNameTokensAreForTheTinyModelsTokenizerOnly() {
        TrainSettings def = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals(TrainSettings.DEFAULT_TOOL_NAME_TOKENS, def.toolNameTokens());
        TrainSettings on = TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().toolNameTokens(!TrainSettings.DEFAULT_TOOL_NAME_TOKENS).build());
        assertNotEquals(def.toolNameTokens(), on.toolNameTokens());
        assertNotEquals(def.sha256(), on.sha256());             // another tokenizer retrains
        assertFalse(TrainSettings.resolve(TrainProfile.BALANCED, "m.gguf", TrainSettings.Overrides.none()).toolNameTokens());
        assertFalse(TrainSettings.resolve(TrainProfile.BALANCED, "m.gguf",
                TrainSettings.Overrides.builder().toolNameTokens(false).build()).toolNameTokens());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "m.gguf", TrainSettings.Overrides.builder().toolNameTokens(true).build()));
        assertTrue(e.getMessage().contains("brings its own tokenizer"), e.getMessage());
    }

    @Test
    void copyInitIsOffByDefaultForTheTinyModelOnAndTheGraphCoreOnly() {
        TrainSettings def = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals(0.0, def.copyInit());
        TrainSettings on = TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().copyInit(1.0).build());
        assertEquals(1.0, on.copyInit());
        assertNotEquals(def.sha256(), on.sha256());             // other initial weights retrain
        assertEquals(1.0, on.toJson().get("copyInit").asDouble());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().copyInit(5.0).build()));
        assertTrue(bad.getMessage().contains("between 0") && bad.getMessage().contains("got 5.0"), bad.getMessage());
        var base = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "m.gguf", TrainSettings.Overrides.builder().copyInit(1.0).build()));
        assertTrue(base.getMessage().contains("brings trained weights"), base.getMessage());
        var opt = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.builder().copyInit(1.0)
                        .core("llama-opt").build()));
        assertTrue(opt.getMessage().contains("needs the graph core"), opt.getMessage());
    }

    @Test
    void drawsAreOffByDefaultCheckedAndPartOfTheConfiguration() {
        TrainSettings def = TrainSettings.resolve(TrainProfile.BALANCED, "tiny", TrainSettings.Overrides.none());
        assertEquals(1, def.draws());
        assertEquals(0, def.drawEpochs()); // no trial without draws, whatever forge.train.drawEpochs says
        assertEquals(def, TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().drawEpochs(3).build()));
        TrainSettings three = TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().draws(3).seed(42L).epochs(5).build());
        assertEquals(3, three.draws());
        assertEquals(3, three.drawEpochs()); // half of the 5 epochs, rounded up
        assertEquals(2, TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                TrainSettings.Overrides.builder().draws(2).epochs(4).build()).drawEpochs());
        assertEquals(List.of(42L, 43L, 44L), List.of(three.drawSeed(0), three.drawSeed(1), three.drawSeed(2)));
        assertNotEquals(def.sha256(), three.sha256());
        for (TrainSettings.Overrides bad : List.of(TrainSettings.Overrides.builder().draws(0).build(),
                TrainSettings.Overrides.builder().draws(TrainSettings.MAX_DRAWS + 1).build(),
                TrainSettings.Overrides.builder().draws(2).drawEpochs(6).epochs(5).build(),
                TrainSettings.Overrides.builder().draws(2).drawEpochs(0).build())) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny", bad));
            assertTrue(e.getMessage().contains("forge.train.draw"), e.getMessage());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.resolve(TrainProfile.BALANCED, "tiny",
                        TrainSettings.Overrides.builder().draws(2).core("llama-opt").build()));
        assertTrue(e.getMessage().contains("needs the graph core"), e.getMessage());
    }
}
