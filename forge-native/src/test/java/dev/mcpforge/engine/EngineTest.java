package dev.mcpforge.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.engine.chat.ChatMessage;
import dev.mcpforge.engine.llama.Model;
import dev.mcpforge.engine.tiny.TinyModelBuilder;
import dev.mcpforge.engine.tokenizer.SpmTokenizer;
import dev.mcpforge.engine.tokenizer.TestCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine in-process on the CPU: fails loudly when the native libraries are missing. */
class EngineTest {
    private static final String PROMPT = "<|im_start|>user\nlist the files in /tmp<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    Path tmp;

    @Test
    void probeReportsTheLoadedEngineAndCpuVariant() {
        EngineProbe p = EngineProbe.probe();
        assertTrue(p.loaded(), "engine not loaded: " + p.error());
        assertEquals("v0.5.0", p.llamaRelease());
        assertTrue(p.llamaVersion().startsWith("0.5.0"), p.llamaVersion());
        assertEquals("@node-llama-cpp/linux-x64@3.22.1", p.npmPackage());
        assertFalse(p.cpuVariant().startsWith("unknown"), "no libggml-cpu-* variant mapped: " + p.cpuVariant());
        assertTrue(p.backends().contains("CPU"), p.backends().toString());
        assertTrue(p.devices().stream().anyMatch(d -> d.startsWith("CPU")), p.devices().toString());
        assertTrue(p.systemInfo().contains("CPU"), p.systemInfo());
        assertTrue(p.describe().get(1).contains(p.cpuVariant()));
    }

    @Test
    void loadsTheTinyModelWithItsMetadata() {
        TinyModelBuilder.Result r = TestModels.tiny();
        try (Model m = Model.load(r.path())) {
            assertEquals(r.parameterCount(), m.nParams());
            assertEquals(256, m.nCtxTrain());
            assertEquals(r.vocabulary().tokens().size(), m.vocab().nTokens());
            assertEquals("llama", m.meta("general.architecture"));
            assertEquals("llama", m.metadata().get("general.architecture"));
            assertTrue(m.chatTemplate().contains("<|im_start|>"), m.chatTemplate());
            assertTrue(m.description().startsWith("llama"), m.description());
            assertEquals(null, m.meta("no.such.key"));
        }
    }

    @Test
    void loadsAndRunsATinyModelWithItsOutputHeadTiedToTheEmbedding() throws IOException {
        TinyModelBuilder.Result r = TestModels.builder().tiedEmbeddings(true).build(tmp.resolve("tied.gguf"));
        assertEquals(TestModels.tiny().parameterCount() - 256L * r.vocabulary().size(), r.parameterCount());
        try (Model m = Model.load(r.path()); Generator g = new Generator(m, 256, 1)) {
            // llama.cpp projects onto token_embd when output.weight is missing
            assertEquals(r.parameterCount(), m.nParams());
            GenerationResult out = g.generate(GenerationRequest.greedy(PROMPT, 8));
            assertTrue(out.generatedTokens() >= 1 && out.generatedTokens() <= 8, out.toString());
            assertTrue(out.promptTokens() > 5, out.toString());
        }
    }

    @Test
    void tokenizeRoundTripsAndMatchesTheJavaTokenizer() {
        String text = TestCorpus.chatml(3);
        try (Model m = Model.load(TestModels.tinyPath())) {
            int[] ids = m.vocab().tokenize(text, false, true);
            assertTrue(ids.length > 10 && ids.length < text.length(), "suspicious token count " + ids.length);
            assertEquals(text, m.vocab().detokenize(ids, false, true));
            SpmTokenizer java = new SpmTokenizer(TestModels.tiny().vocabulary());
            assertArrayEquals(java.encode(text, false, true), ids, "llama.cpp and the Java tokenizer disagree");
            int[] plain = m.vocab().tokenize("hello", false, false);
            int[] withSpecial = m.vocab().tokenize("hello", true, false);
            assertEquals(plain.length + (m.vocab().addBos() ? 1 : 0), withSpecial.length);
            if (m.vocab().addBos()) {
                assertEquals(m.vocab().bos(), withSpecial[0]);
            }
            assertTrue(m.vocab().isEog(m.vocab().eos()));
        }
    }

    @Test
    void toolNamesAsWholeTokensTokenizeTheSameInLlamaCppAndJava() throws IOException {
        List<String> names = List.of("list_directory", "list_directory_with_sizes", "get-sum", "read_text_file");
        TinyModelBuilder.Result r = TestModels.builder().wordTokens(names).build(tmp.resolve("names.gguf"));
        SpmTokenizer spm = new SpmTokenizer(r.vocabulary());
        String text = TestCorpus.chatml(2) + "<tool_call>\n{\"name\": \"list_directory_with_sizes\", \"arguments\": {}}"
                + "</tool_call> then list_directory, read_text_file and get-sum; unlisted_directory and get-summary";
        try (Model m = Model.load(r.path())) {
            int[] ids = m.vocab().tokenize(text, false, true);
            assertArrayEquals(spm.encode(text, false, true), ids, "llama.cpp and the Java tokenizer disagree");
            assertEquals(text, m.vocab().detokenize(ids, false, true));
            for (String n : names) {
                int[] one = m.vocab().tokenize("\"" + n + "\"", false, false);
                assertEquals(3, one.length, n + " is not one token: " + Arrays.toString(one));
                assertEquals(n, r.vocabulary().token(one[1]));
            }
        }
    }

    @Test
    void sameSeedGivesTheSameOutput() {
        GenerationRequest req = GenerationRequest.greedy(PROMPT, 24).withSampling(0.9f, 40, 0.95f, 1234);
        GenerationResult a;
        GenerationResult b;
        GenerationResult c;
        try (Model m = Model.load(TestModels.tinyPath())) {
            try (Generator g = new Generator(m, 256, 1)) {
                a = g.generate(req);
                b = g.generate(req);
            }
            try (Generator g = new Generator(m, 512, 2)) {
                c = g.generate(req);
            }
            GenerationResult greedy1;
            GenerationResult greedy2;
            try (Generator g = new Generator(m, 256, 1)) {
                greedy1 = g.generate(GenerationRequest.greedy(PROMPT, 16));
                greedy2 = g.generate(GenerationRequest.greedy(PROMPT, 16));
            }
            assertEquals(greedy1.text(), greedy2.text());
        }
        assertTrue(a.generatedTokens() > 0);
        assertTrue(a.generatedTokens() <= 24);
        assertEquals(a.text(), b.text());
        assertEquals(a.text(), c.text(), "output depends on context size/threads");
        assertEquals(a.generatedTokens(), b.generatedTokens());
        assertTrue(a.promptTokens() > 5);
    }

    @Test
    void chatRequestUsesTheFormatsPromptAndStops() {
        ChatFormat f = ChatFormat.chatml();
        GenerationRequest req = GenerationRequest.chat(f, List.of(ChatMessage.user("list the files in /tmp")), null, 16);
        assertTrue(req.prompt().endsWith(f.generationPrompt()), req.prompt());
        assertEquals(f.stopStrings(), req.stop());
        try (Model m = Model.load(TestModels.tinyPath()); Generator g = new Generator(m, 256, 1)) {
            GenerationResult r = g.generate(req);
            assertTrue(r.generatedTokens() > 0 && r.generatedTokens() <= 16);
            for (String stop : f.stopStrings()) {
                assertFalse(r.text().contains(stop), r.text());
            }
            assertEquals(req.prompt().length() > 0, r.promptTokens() > 0);
            assertEquals(r.text(), g.generate(req).text());
        }
    }

    @Test
    void stopStringsAndMaxTokens() {
        // a grammar pins the text so the test does not depend on what the random model likes
        String alphabet = "root ::= \"alpha beta gamma delta epsilon\"";
        try (Model m = Model.load(TestModels.tinyPath()); Generator g = new Generator(m, 256, 1)) {
            GenerationResult full = g.generate(GenerationRequest.greedy(PROMPT, 64).withGrammar(alphabet));
            assertEquals("alpha beta gamma delta epsilon", full.text());
            assertEquals("eog", full.stopReason());

            GenerationResult cut = g.generate(GenerationRequest.greedy(PROMPT, 64).withGrammar(alphabet)
                    .withStop(List.of("delta", "gamma")));
            assertEquals("stop", cut.stopReason());
            assertEquals("alpha beta ", cut.text());
            assertTrue(cut.generatedTokens() < full.generatedTokens());

            GenerationResult capped = g.generate(GenerationRequest.greedy(PROMPT, 3).withGrammar(alphabet));
            assertEquals("max_tokens", capped.stopReason());
            assertEquals(3, capped.generatedTokens());
            assertTrue("alpha beta gamma delta epsilon".startsWith(capped.text()), capped.text());
            assertTrue(capped.text().length() < full.text().length());
        }
    }

    @Test
    void grammarConstrainsTheOutputAndABadGrammarFailsClearly() {
        try (Model m = Model.load(TestModels.tinyPath()); Generator g = new Generator(m, 256, 1)) {
            for (int seed = 0; seed < 5; seed++) {
                GenerationResult r = g.generate(GenerationRequest.greedy(PROMPT, 32).withSampling(1.0f, 0, 1f, seed)
                        .withGrammar("root ::= \"yes\" | \"no\" | \"maybe\""));
                assertTrue(Set.of("yes", "no", "maybe").contains(r.text()), "grammar violated: '" + r.text() + "'");
                assertEquals("eog", r.stopReason());
            }
            EngineException e = assertThrows(EngineException.class,
                    () -> g.generate(GenerationRequest.greedy(PROMPT, 4).withGrammar("root ::= (\"a\"")));
            assertEquals(EngineException.Kind.GRAMMAR, e.kind());
            assertTrue(e.getMessage().contains("does not compile"), e.getMessage());
        }
    }

    @Test
    void quantizesToQ8AndQ4KmAndReloads() {
        Path in = TestModels.tinyPath();
        for (QuantFormat f : List.of(QuantFormat.Q8_0, QuantFormat.Q4_K_M)) {
            Path out = tmp.resolve("model-" + f.id() + ".gguf");
            Quantizer.Result r = Quantizer.quantize(in, out, f, 1);
            assertTrue(Files.isRegularFile(out));
            assertTrue(r.outputBytes() < r.inputBytes() / 2, f + ": " + r);
            try (Model m = Model.load(out); Generator g = new Generator(m, 256, 1)) {
                assertEquals(TestModels.tiny().parameterCount(), m.nParams());
                assertTrue(m.description().contains(f == QuantFormat.Q8_0 ? "Q8_0" : "Q4_K"), m.description());
                GenerationResult a = g.generate(GenerationRequest.greedy(PROMPT, 8));
                assertEquals(a.text(), g.generate(GenerationRequest.greedy(PROMPT, 8)).text());
            }
        }
        EngineException e = assertThrows(EngineException.class, () -> Quantizer.quantize(tmp.resolve("model-q8_0.gguf"),
                tmp.resolve("again.gguf"), QuantFormat.Q4_K_M, 1));
        assertEquals(EngineException.Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("already quantized"), e.getMessage());
        Path f32 = tmp.resolve("model-f32.gguf");
        Quantizer.quantize(tmp.resolve("model-q8_0.gguf"), f32, QuantFormat.F32, 1); // dequantize
        try (Model m = Model.load(f32)) {
            assertTrue(m.description().contains("F32"), m.description());
        }
    }

    @Test
    void missingTruncatedAndNonGgufFilesFailClearly() throws IOException {
        Path missing = tmp.resolve("nope.gguf");
        EngineException e = assertThrows(EngineException.class, () -> Model.load(missing));
        assertEquals(EngineException.Kind.MODEL_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        byte[] all = Files.readAllBytes(TestModels.tinyPath());
        Path truncated = tmp.resolve("truncated.gguf");
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
        e = assertThrows(EngineException.class, () -> Model.load(truncated));
        assertEquals(EngineException.Kind.MODEL_INVALID, e.kind());
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("file bounds"), e.getMessage());
        e = assertThrows(EngineException.class, () -> Quantizer.quantize(truncated, tmp.resolve("q.gguf"), QuantFormat.Q8_0, 1));
        assertEquals(EngineException.Kind.MODEL_INVALID, e.kind());
        assertFalse(Files.exists(tmp.resolve("q.gguf")));
        assertFalse(Files.exists(tmp.resolve("q.gguf.tmp")));

        Path text = tmp.resolve("model.gguf");
        Files.writeString(text, "not a model");
        e = assertThrows(EngineException.class, () -> Model.load(text));
        assertTrue(e.getMessage().contains("not a GGUF file"), e.getMessage());

        e = assertThrows(EngineException.class, () -> QuantFormat.parse("q5_1"));
        assertTrue(e.getMessage().contains("q8_0, q4_k_m"), e.getMessage());
    }

    @Test
    void unsupportedArchitectureFailsClearly() throws IOException {
        Path weird = tmp.resolve("weird.gguf");
        new dev.mcpforge.engine.gguf.GgufWriter().putString("general.architecture", "frobnicator")
                .addTensor("token_embd.weight", new long[] {4, 4}, new float[16]).write(weird);
        EngineException e = assertThrows(EngineException.class, () -> Model.load(weird));
        assertEquals(EngineException.Kind.MODEL_INVALID, e.kind());
        assertTrue(e.getMessage().contains(weird.toString()) && e.getMessage().contains("frobnicator"), e.getMessage());
    }

    @Test
    void promptLongerThanTheContextFailsClearly() {
        try (Model m = Model.load(TestModels.tinyPath()); Generator g = new Generator(m, 256, 1)) {
            String longPrompt = "files in /tmp ".repeat(400);
            EngineException e = assertThrows(EngineException.class, () -> g.generate(GenerationRequest.greedy(longPrompt, 4)));
            assertEquals(EngineException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(e.getMessage().contains("context"), e.getMessage());
            assertNotEquals(0, g.generate(GenerationRequest.greedy(PROMPT, 2)).generatedTokens());
        }
    }
}
