package dev.mcpforge.maven;

import dev.mcpforge.bundle.BundleFixture;
import dev.mcpforge.bundle.BundleRequest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** forge:bundle's attach logic and parameter checks, and the train/validate placeholders, through the harness. */
class BundleMojoTest {

    @TempDir
    Path dir;
    final MojoHarness harness = new MojoHarness();

    @BeforeEach
    void start() throws Exception {
        harness.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    private MavenProject project(String packaging) {
        MavenProject p = new MavenProject();
        p.setGroupId("dev.mcpforge.test");
        p.setArtifactId("time-agent");
        p.setVersion("1.0.0");
        p.setPackaging(packaging);
        p.setFile(dir.resolve("pom.xml").toFile());
        p.getBuild().setDirectory(dir.resolve("target").toString());
        DefaultArtifactHandler h = new DefaultArtifactHandler(packaging);
        h.setExtension("zip");
        p.setArtifact(new DefaultArtifact("dev.mcpforge.test", "time-agent", "1.0.0", null, packaging, null, h));
        return p;
    }

    private Mojo bundle(MavenProject project) throws Exception {
        BundleRequest in = BundleFixture.inputs(dir.resolve("in"), "time-agent");
        Mojo m = harness.fromPom("bundle", writePom());
        harness.set(m, "project", project);
        harness.set(m, "basedir", dir.toFile());
        harness.set(m, "buildDirectory", dir.resolve("target").toFile());
        harness.set(m, "name", "time-agent");
        harness.set(m, "finalName", "time-agent-1.0.0");
        harness.set(m, "tools", in.tools().toFile());
        harness.set(m, "bundleModel", in.model().toFile());
        harness.set(m, "evalData", in.evalData().toFile());
        harness.set(m, "trainData", in.trainData().toFile());
        harness.set(m, "reports", in.reportsDir().toFile());
        harness.set(m, "format", "q8_0");
        harness.set(m, "smokeTests", 5);
        harness.set(m, "temperature", 0.7);
        harness.set(m, "outputTimestamp", "2026-11-28T00:00:00Z");
        return m;
    }

    private java.io.File writePom() throws Exception {
        Path pom = dir.resolve("pom.xml");
        Files.writeString(pom, "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId>"
                + "<version>1</version><build><plugins><plugin><groupId>dev.mcpforge</groupId>"
                + "<artifactId>forge-maven-plugin</artifactId><configuration/></plugin></plugins></build></project>");
        return pom.toFile();
    }

    @Test
    void inAnAgentBundleProjectTheZipIsTheMainArtifactAndReportsAreAttached() throws Exception {
        MavenProject p = project("agent-bundle");
        bundle(p).execute();
        Path zip = dir.resolve("target/time-agent-1.0.0.zip");
        assertEquals(zip.toFile(), p.getArtifact().getFile());
        assertEquals(1, p.getAttachedArtifacts().size());
        Artifact reports = p.getAttachedArtifacts().get(0);
        assertEquals("reports", reports.getClassifier());
        assertEquals(dir.resolve("target/time-agent-1.0.0-reports.zip").toFile(), reports.getFile());
        assertTrue(Files.isRegularFile(dir.resolve("target/agent-bundle/time-agent/agent.yaml")));
    }

    @Test
    void inAnyOtherProjectTheBundleIsAttachedWithAClassifier() throws Exception {
        MavenProject p = project("pom");
        bundle(p).execute();
        assertNull(p.getArtifact().getFile());
        Artifact b = p.getAttachedArtifacts().stream().filter(a -> "agent-bundle".equals(a.getClassifier()))
                .findFirst().orElseThrow();
        assertEquals("zip", b.getArtifactHandler().getExtension());
        assertEquals(dir.resolve("target/time-agent-1.0.0.zip").toFile(), b.getFile());
    }

    @Test
    void badParametersNameTheProperty() throws Exception {
        Mojo m = bundle(project("agent-bundle"));
        harness.set(m, "name", "../evil");
        assertTrue(assertThrows(MojoFailureException.class, m::execute).getMessage().startsWith("forge.name '../evil'"));
        harness.set(m, "name", "ok");
        harness.set(m, "outputTimestamp", "yesterday");
        assertTrue(assertThrows(MojoFailureException.class, m::execute).getMessage()
                .contains("project.build.outputTimestamp 'yesterday'"));
    }

    @Test
    void aBundleProblemIsABuildFailureNamingTheInput() throws Exception {
        Mojo m = bundle(project("agent-bundle"));
        harness.set(m, "evalData", dir.resolve("nope.jsonl").toFile());
        String msg = assertThrows(MojoFailureException.class, m::execute).getMessage();
        assertTrue(msg.startsWith("forge:bundle: no eval set at ") && msg.contains("forge.evalData"), msg);
    }
}
