package dev.mcpforge.data.teacher;

import com.sun.net.httpserver.HttpServer;
import dev.mcpforge.tools.Json;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A loopback server speaking the chat-completions protocol with canned answers, plus the openai-java jars of the test
 * class path (openai-java is a {@code provided} dependency, so it is on the test class path) for
 * {@link TeacherLoader}.
 */
public final class FakeTeacher implements AutoCloseable {

    /** A reply: HTTP status and body. */
    public record Reply(int status, String body) {
    }

    private final HttpServer server;
    public final List<String> authHeaders = new CopyOnWriteArrayList<>();
    public final List<String> userMessages = new CopyOnWriteArrayList<>();
    public final AtomicInteger hits = new AtomicInteger();

    /** @param answer (hit number from 1, user message) -> reply */
    public FakeTeacher(BiFunction<Integer, String, Reply> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            int n = hits.incrementAndGet();
            authHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            JsonNode req = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            String user = "";
            for (JsonNode m : req.path("messages")) {
                if ("user".equals(m.path("role").asString())) {
                    user = m.path("content").asString();
                }
            }
            userMessages.add(user);
            Reply r = answer.apply(n, user);
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(r.status(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A chat completion whose assistant message is {@code text}. */
    public static Reply completion(String text) {
        var n = Json.MAPPER.createObjectNode();
        n.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1_700_000_000L).put("model", "tiny");
        var msg = n.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message");
        msg.put("role", "assistant").put("content", text).putNull("refusal");
        n.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20);
        return new Reply(200, Json.MAPPER.writeValueAsString(n));
    }

    /**
     * The openai-java jars (and its runtime dependencies) on the test class path. Fails loudly when they are missing:
     * the isolated-loader tests must not pass vacuously.
     */
    public static List<Path> sdkJars() {
        List<Path> out = new ArrayList<>();
        boolean core = false;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String u = e.replace('\\', '/');
            if (u.endsWith(".jar") && (u.contains("/com/openai/") || u.contains("/com/fasterxml/")
                    || u.contains("/org/jetbrains/") || u.contains("/com/squareup/")
                    || u.contains("/com/github/victools/") || u.contains("/io/swagger/"))) {
                out.add(Path.of(e));
                core |= u.contains("/openai-java-core-");
            }
        }
        if (!core || out.stream().anyMatch(p -> !Files.exists(p))) {
            throw new IllegalStateException("openai-java-core is not on the test class path (it should be, as a"
                    + " provided dependency of forge-maven-plugin): " + out);
        }
        return out;
    }

    /**
     * A parent loader like the plugin's realm at run time: everything of the test class path except openai-java and
     * its dependencies, so the adapter can only work if the isolated loader supplies them.
     */
    public static ClassLoader pluginRealmWithoutSdk() {
        return new ClassLoader("no-sdk", FakeTeacher.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                for (String hidden : List.of("com.openai.", "com.fasterxml.jackson.databind.", "com.fasterxml.jackson.core.",
                        "com.fasterxml.jackson.module.", "com.fasterxml.jackson.datatype.", "kotlin.", "okhttp3.", "okio.",
                        "com.github.victools.", "io.swagger.")) {
                    if (name.startsWith(hidden)) {
                        throw new ClassNotFoundException(name + " (hidden: not in the plugin realm)");
                    }
                }
                if (name.startsWith(TeacherLoader.ADAPTER_PACKAGE)) {
                    throw new ClassNotFoundException(name + " (the adapter must come from the isolated loader)");
                }
                return super.loadClass(name, resolve);
            }
        };
    }

    /** Loads the openai-java adapter through the isolated loader from the test class path's SDK jars. */
    public static TeacherLoader.Loaded load(TeacherConfig config) {
        return TeacherLoader.load(sdkJars(), TeacherLoader.pluginLocation(), config, pluginRealmWithoutSdk());
    }
}
