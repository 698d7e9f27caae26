package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How user requests are worded, measured on the real filesystem tools: they must not all repeat the tool's own
 * name words and labelled, quoted values (what a model trained on them would key on), yet still state every value
 * verbatim and stay reproducible.
 */
class PhrasingTest {

    private static final Toolset FS = Fixtures.toolset("filesystem-tools");

    /** {@code perTool} samples of {@code scenario} for every tool of {@code ts}, seeds 1000.. (no duplicate index). */
    private static List<Sample> samples(Toolset ts, Scenario scenario, int perTool) {
        OfflineSynthesizer s = new OfflineSynthesizer(ts, null, new SchemaValidator());
        List<Sample> out = new ArrayList<>();
        int i = 0;
        for (int round = 0; round < perTool; round++) {
            for (ToolDefinition t : ts.tools()) {
                Sample x = s.generate(new SynthesisPlan.Slot(scenario, t.name()), "s" + i, 1000 + i, null, false);
                out.add(x);
                i++;
            }
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @Test
    void onlySomeRequestsRepeatTheToolsOwnActionPhrase() {
        List<Sample> all = samples(FS, Scenario.STANDARD, 25);
        int withAction = 0;
        int withToolWords = 0;
        for (Sample s : all) {
            ToolVocabulary v = ToolVocabulary.of(FS.find(s.toolName()).orElseThrow());
            String u = lower(s.userText());
            if (u.contains(lower(v.action()))) {
                withAction++;
            }
            if (u.contains(v.verb() + " ") && !v.object().isBlank() && u.contains(v.object())) {
                withToolWords++;
            }
        }
        double share = withAction / (double) all.size();
        // the old templates put "read the text file" / "list the directory with sizes" into ~80 % of requests
        assertTrue(share < 0.40, "share with the full action phrase: " + share);
        assertTrue(share > 0.05, "the tool's own words must still appear sometimes: " + share);
        assertTrue(withToolWords / (double) all.size() > 0.10, "tool words: " + withToolWords);
    }

    @Test
    void aReadLikeToolIsAskedForWithManyDifferentVerbsAndQuestions() {
        ToolVocabulary v = ToolVocabulary.of(FS.find("read_text_file").orElseThrow());
        assertEquals(NaturalRequests.Kind.READ, NaturalRequests.kind(v));
        List<Sample> all = samples(new Toolset("test", List.of(FS.find("read_text_file").orElseThrow())),
                Scenario.STANDARD, 200);
        Set<String> verbsSeen = new TreeSet<>();
        int questions = 0;
        int withRead = 0;
        int slices = 0;
        for (Sample s : all) {
            String u = lower(s.userText());
            for (String alt : NaturalRequests.alternatives(v)) {
                if (Pattern.compile("\\b" + Pattern.quote(alt) + "\\b").matcher(u).find()) {
                    verbsSeen.add(alt);
                }
            }
            if (u.contains("what's in") || u.contains("what does") || u.contains("can i see")
                    || u.contains("what's written")) {
                questions++;
            }
            if (Pattern.compile("\\bread\\b").matcher(u).find()) {
                withRead++;
            }
            if (Pattern.compile("the (first|last) \\d+ lines of ").matcher(u).find()) {
                slices++;
            }
        }
        // the old code only ever said "read"
        assertTrue(verbsSeen.size() >= 7, "everyday verbs used: " + verbsSeen);
        assertTrue(questions >= 10, "question forms: " + questions);
        assertTrue(slices >= 3, "'the first 3 lines of x': " + slices);
        assertTrue(withRead < all.size() * 0.6 && withRead > 0, "requests saying 'read': " + withRead);
    }

    @Test
    void valuesAreOftenWrittenBareWithoutTheParameterName() {
        List<Sample> all = samples(FS, Scenario.STANDARD, 25);
        int withPath = 0;
        int bare = 0;
        int unlabelled = 0;
        int valueFirst = 0;
        for (Sample s : all) {
            JsonNode p = s.toolCalls().get(0).arguments().get("path");
            if (p == null) {
                continue;
            }
            withPath++;
            String u = s.userText();
            String path = p.asString();
            if (u.matches("(?s).*(^|[\\s(])" + Pattern.quote(path) + "([\\s,.?)]|$).*")) {
                bare++;
            }
            if (!lower(u).contains("path")) {
                unlabelled++;
            }
            if (u.startsWith(path) || u.startsWith("\"" + path) || u.startsWith("'" + path)) {
                valueFirst++;
            }
        }
        // the old code always quoted the value and named the parameter: path "x", path: "x", path="x"
        assertTrue(bare > withPath * 0.3, bare + " of " + withPath + " bare");
        assertTrue(unlabelled > withPath * 0.35, unlabelled + " of " + withPath + " without the word 'path'");
        assertTrue(valueFirst > 0, "no value-first request");
    }

    @Test
    void destinationsAndSourcesAreNamedWithPrepositions() {
        List<Sample> all = samples(new Toolset("test", List.of(FS.find("move_file").orElseThrow())), Scenario.STANDARD, 100);
        int natural = 0;
        for (Sample s : all) {
            ObjectNode a = s.toolCalls().get(0).arguments();
            String u = s.userText();
            if (u.matches("(?s).*" + Pattern.quote(a.get("source").asString()) + "['\"]? (over )?(to|into) ['\"]?"
                    + Pattern.quote(a.get("destination").asString()) + ".*")) {
                natural++;
            }
        }
        assertTrue(natural > 25, natural + " of 100 say 'X to Y'");
    }

    @Test
    void everyUserSuppliedValueAppearsVerbatimOnAllFixtures() {
        for (String fx : Fixtures.ALL) {
            Toolset ts = Fixtures.toolset(fx);
            for (Scenario sc : List.of(Scenario.STANDARD, Scenario.EDGE, Scenario.ERROR)) {
                for (Sample s : samples(ts, sc, 8)) {
                    if (s == null) {
                        continue;
                    }
                    ObjectNode args = s.toolCalls().get(0).arguments();
                    for (String k : args.propertyNames()) {
                        assertVerbatim(fx, s.userText(), args.get(k));
                    }
                    String u = s.userText();
                    assertTrue(u.length() < 700, fx + ": too long: " + u);
                    assertFalse(u.contains("  ") || u.contains(" ,") || u.contains(" ?") || u.contains(", ,"),
                            fx + ": spacing: " + u);
                }
            }
        }
    }

    /** Booleans may be worded ("without dry run"); everything else must be copyable from the text. */
    private static void assertVerbatim(String fx, String text, JsonNode val) {
        if (val.isBoolean()) {
            return;
        }
        if (val.isString()) {
            assertTrue(text.contains(val.asString()), fx + ": '" + val.asString() + "' not in: " + text);
        } else if (val.isNumber()) {
            assertTrue(text.contains(Json.MAPPER.writeValueAsString(val)), fx + ": " + val + " not in: " + text);
        } else if (val.isArray() && NaturalRequests.nameable(val)) {
            val.forEach(x -> assertVerbatim(fx, text, x));
        } else {
            assertTrue(text.contains(Json.MAPPER.writeValueAsString(val)), fx + ": " + val + " not in: " + text);
        }
    }

    @Test
    void sameSeedGivesTheSameSamples() {
        for (String fx : List.of("filesystem-tools", "git-tools")) {
            Toolset ts = Fixtures.toolset(fx);
            List<Sample> a = samples(ts, Scenario.STANDARD, 5);
            List<Sample> b = samples(ts, Scenario.STANDARD, 5);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(Json.canonical(a.get(i).toJson()), Json.canonical(b.get(i).toJson()));
            }
        }
    }

    @Test
    void verbClassesComeFromNamesAndDescriptionsNotFromAServer() {
        record Case(String fixture, String tool, NaturalRequests.Kind kind) {
        }
        for (Case c : List.of(new Case("filesystem-tools", "read_text_file", NaturalRequests.Kind.READ),
                new Case("filesystem-tools", "list_directory", NaturalRequests.Kind.LIST),
                new Case("filesystem-tools", "directory_tree", NaturalRequests.Kind.LIST),
                new Case("filesystem-tools", "get_file_info", NaturalRequests.Kind.INFO),
                new Case("filesystem-tools", "search_files", NaturalRequests.Kind.SEARCH),
                new Case("filesystem-tools", "create_directory", NaturalRequests.Kind.CREATE),
                new Case("filesystem-tools", "write_file", NaturalRequests.Kind.WRITE),
                new Case("filesystem-tools", "edit_file", NaturalRequests.Kind.EDIT),
                new Case("filesystem-tools", "move_file", NaturalRequests.Kind.MOVE),
                new Case("memory-tools", "delete_entities", NaturalRequests.Kind.DELETE),
                new Case("memory-tools", "search_nodes", NaturalRequests.Kind.SEARCH),
                new Case("time-tools", "get_timestamp", NaturalRequests.Kind.INFO),
                new Case("sqlite-tools", "list_tables", NaturalRequests.Kind.LIST),
                new Case("sequential-thinking-tools", "sequentialthinking", NaturalRequests.Kind.OTHER))) {
            ToolVocabulary v = ToolVocabulary.of(Fixtures.toolset(c.fixture()).find(c.tool()).orElseThrow());
            assertEquals(c.kind(), NaturalRequests.kind(v), c.tool());
        }
        assertEquals("directory", NaturalRequests.head("directory with sizes"));
        assertEquals("file", NaturalRequests.head("text file"));
        assertEquals("files", NaturalRequests.head("multiple files"));
        // a tool without a known verb gets no natural wording (the templates take over)
        ToolVocabulary seq = ToolVocabulary.of(Fixtures.toolset("sequential-thinking-tools").tools().get(0));
        assertNull(NaturalRequests.request(seq, null, Json.MAPPER.createObjectNode().put("thought", "x"), false,
                new java.util.Random(1)));
    }

    @Test
    void siblingsSharingTheEverydayWordingKeepTheirDistinctiveWords() {
        assertEquals(Set.of("directory_tree", "list_directory_with_sizes", "read_file", "read_media_file",
                "read_multiple_files"), NaturalRequests.mustQualify(FS.tools()));
        int n = 0;
        for (Sample s : samples(FS, Scenario.STANDARD, 40)) {
            String u = lower(s.userText());
            switch (s.toolName()) {
                case "list_directory_with_sizes" -> assertTrue(u.contains("sizes"), u);
                case "directory_tree" -> assertTrue(u.contains("tree"), u);
                case "read_multiple_files" -> assertTrue(u.contains("multiple files"), u);
                default -> n++;
            }
        }
        assertTrue(n > 0);
    }

    @Test
    void aDescriptionThatStartsASiblingsDoesNotWordRequests() {
        assertEquals(Set.of("list_directory"), NaturalRequests.sharedPurpose(FS.tools()));
        String purpose = "detailed listing of all files and directories";
        int listed = 0;
        int sized = 0;
        for (Sample s : samples(FS, Scenario.STANDARD, 150)) {
            String u = lower(s.userText());
            if (s.toolName().equals("list_directory")) {
                listed++;
                assertFalse(u.contains(purpose), u);
            } else if (s.toolName().equals("list_directory_with_sizes") && u.contains(purpose)) {
                sized++;
            }
        }
        assertTrue(listed > 5 && sized > 0, listed + " list_directory samples, " + sized + " worded from the sizes tool's description");
    }

    @Test
    void aRequestStartingWithABareValueIsNotCapitalised() {
        ObjectNode args = Json.MAPPER.createObjectNode().put("path", "notes/todo.md");
        assertEquals("notes/todo.md — what's in it?", Phrasing.capitalizeUnlessValue("notes/todo.md — what's in it?",
                args));
        assertEquals("Open notes/todo.md", Phrasing.capitalizeUnlessValue("open notes/todo.md", args));
    }

    @Test
    void numbersGetEverydayWordsWhenTheParameterSaysWhatTheyCount() {
        ToolDefinition t = FS.find("read_text_file").orElseThrow();
        JsonNode props = t.inputSchema().get("properties");
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 60; i++) {
            String e = NaturalRequests.extra("head", Json.MAPPER.getNodeFactory().numberNode(3), props.get("head"),
                    new java.util.Random(i));
            seen.add(e);
            assertTrue(e.contains("3"), e);
        }
        assertTrue(seen.contains("first 3 lines"), seen.toString());
    }
}
