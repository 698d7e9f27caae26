package dev.mcpforge.maven;

import dev.mcpforge.data.Fixtures;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.data.teacher.FakeTeacher;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * forge:generate with -Dforge.teacher=openai: the Mojo resolves openai-java through Maven's resolver (here a stand-in
 * that answers with the openai-java jars of the test class path, or fails like an offline build) and only then.
 */
class GenerateTeacherMojoTest {

    @TempDir
    Path dir;

    private final List<DependencyRequest> resolved = new ArrayList<>();

    private RepositorySystem resolver(boolean fail) {
        return (RepositorySystem) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RepositorySystem.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("resolveDependencies")) {
                        throw new AssertionError("unexpected resolver call " + method.getName());
                    }
                    DependencyRequest req = (DependencyRequest) args[1];
                    resolved.add(req);
                    DependencyResult result = new DependencyResult(req);
                    if (fail) {
                        throw new DependencyResolutionException(result, "Could not find artifact"
                                + " com.openai:openai-java:jar:4.101.0 (offline)", null);
                    }
                    List<ArtifactResult> artifacts = new ArrayList<>();
                    for (Path jar : FakeTeacher.sdkJars()) {
                        ArtifactResult a = new ArtifactResult(new ArtifactRequest());
                        a.setArtifact(new DefaultArtifact("x:" + jar.getFileName() + ":1").setFile(jar.toFile()));
                        artifacts.add(a);
                    }
                    result.setArtifactResults(artifacts);
                    return result;
                });
    }

    private static RepositorySystemSession session(boolean offline) {
        return (RepositorySystemSession) Proxy.newProxyInstance(GenerateTeacherMojoTest.class.getClassLoader(),
                new Class<?>[]{RepositorySystemSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isOffline")) {
                        return offline;
                    }
                    throw new AssertionError("unexpected session call " + method.getName());
                });
    }

    private GenerateMojo generate(String teacher, String baseUrl, boolean failResolution) throws Exception {
        GenerateMojo m = new GenerateMojo();
        m.forgeDirectory = dir.resolve("target/forge").toFile();
        m.tools = Fixtures.toolsFile("time-tools", dir).toFile();
        m.samples = 60;
        m.seed = 42;
        m.evalRatio = 0.1;
        m.execute = "none";
        m.teacher = teacher;
        m.teacherBaseUrl = baseUrl;
        m.teacherModel = "tiny";
        m.teacherMaxRequests = 20;
        m.teacherMaxAttempts = 2;
        m.teacherTimeout = 10;
        m.repositorySystem = resolver(failResolution);
        m.repositorySession = session(failResolution);
        m.remoteRepositories = List.of();
        return m;
    }

    @Test
    void teacherSdkIsResolvedAtRunTimeAndUsed() throws Exception {
        try (FakeTeacher t = new FakeTeacher((hit, user) -> FakeTeacher.completion(user.contains("need none of")
                ? "[{\"request\":\"What is a leap year?\",\"answer\":\"A year with 366 days.\"}]"
                : "In other words: " + user))) {
            generate("openai", t.baseUrl(), false).execute();
            assertEquals(1, resolved.size());
            var root = resolved.get(0).getCollectRequest().getRoot();
            assertEquals("com.openai:openai-java:jar:4.101.0", root.getArtifact().toString());
            assertEquals("runtime", root.getScope());
            assertEquals(20, t.hits.get());
            List<Sample> train = SampleJsonl.readAll(dir.resolve("target/forge/data/train.jsonl"), new ArrayList<>());
            assertEquals(60, train.size());
            assertTrue(train.stream().anyMatch(s -> s.source().equals("teacher")
                    && s.userText().equals("What is a leap year?")), "the teacher's no-tool seed is used");
            assertTrue(train.stream().anyMatch(s -> s.source().equals("teacher")
                    && s.userText().startsWith("In other words: ")), "offline samples are paraphrased with the rest");
        }
    }

    @Test
    void offlineTeacherNeverResolvesTheSdk() throws Exception {
        generate("offline", null, true).execute();
        assertTrue(resolved.isEmpty(), "users without a teacher do not download openai-java");
    }

    @Test
    void failedResolutionSaysHowToFixIt() throws Exception {
        GenerateMojo m = generate("openai", "http://127.0.0.1:9/v1", true);
        MojoExecutionException e = assertThrows(MojoExecutionException.class, m::execute);
        assertTrue(e.getMessage().contains("com.openai:openai-java:4.101.0") && e.getMessage().contains("-o")
                && e.getMessage().contains("mirror") && e.getMessage().contains("-Dforge.teacher=offline"),
                e.getMessage());
    }

    @Test
    void missingBaseUrlFailsBeforeAnythingIsDownloaded() throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, generate("openai", null, false)::execute);
        assertTrue(e.getMessage().contains("forge.teacher.baseUrl"), e.getMessage());
        assertTrue(resolved.isEmpty());
    }
}
