package dev.mcpforge.maven;

import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.testing.AbstractMojoTestCase;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.nio.file.Path;

/**
 * maven-plugin-testing-harness 3.3.0's base class is a JUnit 3 TestCase; this adapter lets JUnit 5 tests use it
 * (start/stop the Plexus container, look up Mojos from the real plugin descriptor) without the vintage engine.
 */
final class MojoHarness extends AbstractMojoTestCase {

    void start() throws Exception {
        setUp();
    }

    void stop() throws Exception {
        tearDown();
    }

    /** The Mojo with its defaults evaluated against a project in {@code base} (build directory base/target). */
    Mojo configured(Path base, String goal) throws Exception {
        MavenProject project = new MavenProject();
        project.setFile(base.resolve("pom.xml").toFile());
        project.getBuild().setDirectory(base.resolve("target").toString());
        return lookupConfiguredMojo(project, goal);
    }

    /** The Mojo configured from the plugin's {@code <configuration>} in a test pom (no defaults applied). */
    Mojo fromPom(String goal, File pom) throws Exception {
        return lookupMojo(goal, pom);
    }

    void set(Object mojo, String field, Object value) throws Exception {
        setVariableValueToObject(mojo, field, value);
    }

    Object get(Object mojo, String field) throws Exception {
        return getVariableValueFromObject(mojo, field);
    }
}
