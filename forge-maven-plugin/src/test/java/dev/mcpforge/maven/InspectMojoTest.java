package dev.mcpforge.maven;

import dev.mcpforge.pipeline.InspectRequest;
import dev.mcpforge.tools.Json;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectMojoTest {

    final MojoHarness harness = new MojoHarness();

    @TempDir
    Path base;

    @BeforeEach
    void start() throws Exception {
        harness.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    @Test
    void toolsFileWritesToolsJsonAtTheDefaultPlaceAndRecordsState() throws Exception {
        Path in = Files.copy(Path.of("src/test/resources/mcp-tools/everything-tools.json"),
                base.resolve("everything.json"));
        Mojo mojo = harness.configured(base, "inspect");
        assertInstanceOf(InspectMojo.class, mojo);
        assertEquals(30, harness.get(mojo, "timeout"));
        harness.set(mojo, "toolsFile", in.toFile());
        mojo.execute();
        Path out = base.resolve("target/forge/tools.json");
        JsonNode tools = Json.MAPPER.readTree(Files.readString(out));
        assertEquals("everything.json", tools.get("source").asString());
        JsonNode expected = Json.MAPPER.readTree(Files.readString(in)).get("tools");
        assertEquals(expected.size(), tools.get("tools").size());
        assertEquals(Json.sha256(tools.get("tools")), tools.get("toolsetHash").asString());
        assertTrue(Files.readString(base.resolve("target/forge/state.json")).contains("\"stage\" : \"inspect\""));
    }

    @Test
    void malformedToolsFileFailsWithFileAndLine() throws Exception {
        Path in = Files.writeString(base.resolve("broken.json"), "{\"tools\": [\n  {\"name\": \"a\",,}\n]}");
        Mojo mojo = harness.configured(base, "inspect");
        harness.set(mojo, "toolsFile", in.toFile());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("malformed JSON in tools file " + in.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("line 2, column"), e.getMessage());
        assertFalse(Files.exists(base.resolve("target/forge/tools.json")));
    }

    @Test
    void noSourceAndTwoSourcesAreConfigurationErrors() throws Exception {
        Mojo mojo = harness.configured(base, "inspect");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("-Dforge.server") && e.getMessage().contains("-Dforge.toolsFile"),
                e.getMessage());
        harness.set(mojo, "toolsFile", new File("x.json"));
        harness.set(mojo, "serverCommandLine", "npx -y server");
        e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("set only one"), e.getMessage());
    }

    @Test
    void aServerThatCannotStartIsABuildFailureNamingTheCommand() throws Exception {
        Mojo mojo = harness.configured(base, "inspect");
        harness.set(mojo, "serverCommandLine", "/nonexistent/mcp-server --stdio");
        harness.set(mojo, "timeout", 5);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("/nonexistent/mcp-server"), e.getMessage());
        assertFalse(Files.exists(base.resolve("target/forge/tools.json")));
    }

    @Test
    void skipFlagsSkip() throws Exception {
        Mojo mojo = harness.configured(base, "inspect");
        harness.set(mojo, "inspectSkip", true);
        mojo.execute(); // would fail without a source if it ran
        harness.set(mojo, "inspectSkip", false);
        harness.set(mojo, "skip", true);
        mojo.execute();
        assertFalse(Files.exists(base.resolve("target")));
    }

    @Test
    void serverBlockFromThePomBecomesTheServerSpec() throws Exception {
        InspectMojo mojo = (InspectMojo) harness.fromPom("inspect",
                new File("src/test/resources/unit/inspect-server/pom.xml"));
        harness.set(mojo, "basedir", base.toFile());
        harness.set(mojo, "buildDirectory", base.resolve("target").toFile());
        harness.set(mojo, "tools", base.resolve("target/forge/tools.json").toFile());
        InspectRequest r = mojo.request();
        assertNull(r.toolsFile());
        assertEquals(List.of("node_modules/.bin/mcp-server-filesystem", "/tmp/a dir", "--flag"), r.server().command());
        assertEquals(Map.of("LOG_LEVEL", "debug"), r.server().env());
        assertEquals(Path.of("/tmp"), r.server().workingDirectory());
        assertEquals(Duration.ofSeconds(7), r.server().timeout());
    }

    @Test
    void serverCommandLineIsSplitLikeAShell() throws Exception {
        InspectMojo mojo = (InspectMojo) harness.configured(base, "inspect");
        harness.set(mojo, "serverCommandLine", "npx -y \"@scope/server x\" --root '/a b'");
        InspectRequest r = mojo.request();
        assertEquals(List.of("npx", "-y", "@scope/server x", "--root", "/a b"), r.server().command());
        assertEquals(Duration.ofSeconds(30), r.server().timeout());
        harness.set(mojo, "serverCommandLine", "npx 'unbalanced");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::request);
        assertTrue(e.getMessage().contains("unbalanced"), e.getMessage());
    }
}
