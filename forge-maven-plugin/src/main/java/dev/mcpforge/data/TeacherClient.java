package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A minimal OpenAI-compatible chat-completions client (OpenAI, vLLM, Ollama, llama.cpp server):
 * {@code POST {baseUrl}/chat/completions} with a bearer key, retries with exponential backoff on 429/5xx and I/O
 * errors, and a request budget.
 *
 * <p>Written on {@code java.net.http} instead of openai-java on purpose: openai-java 4.x brings about 81 MB of jars
 * (a 73 MB core jar, Kotlin, okhttp, Jackson 2) that every user of the plugin would download, although most never
 * use a teacher; one endpoint with a two-field request and a one-field answer does not justify that weight, and
 * resolving the SDK at run time into an isolated class loader was more machinery than this feature needs now.</p>
 */
public final class TeacherClient {

    private static final Logger LOG = LoggerFactory.getLogger(TeacherClient.class);

    private final TeacherConfig config;
    private final HttpClient http;
    private final URI endpoint;
    private final int maxAttempts;
    private final long backoffMillis;
    private int requests;

    public TeacherClient(TeacherConfig config) {
        this(config, 3, 500);
    }

    TeacherClient(TeacherConfig config, int maxAttempts, long backoffMillis) {
        if (config == null || config.baseUrl() == null || config.baseUrl().isBlank()) {
            throw new IllegalArgumentException("forge.teacher=openai needs -Dforge.teacher.baseUrl (e.g."
                    + " http://localhost:8000/v1 for a local OpenAI-compatible server)");
        }
        if (config.model() == null || config.model().isBlank()) {
            throw new IllegalArgumentException("forge.teacher=openai needs -Dforge.teacher.model (the model name the"
                    + " endpoint serves)");
        }
        String base = config.baseUrl().endsWith("/") ? config.baseUrl().substring(0, config.baseUrl().length() - 1)
                : config.baseUrl();
        try {
            this.endpoint = URI.create(base + "/chat/completions");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("forge.teacher.baseUrl is not a valid URL: " + config.baseUrl());
        }
        this.config = config;
        this.maxAttempts = maxAttempts;
        this.backoffMillis = backoffMillis;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public int requests() {
        return requests;
    }

    public boolean budgetLeft() {
        return requests < config.maxRequests();
    }

    /** The assistant text of one chat completion. */
    public String complete(String system, String user) throws TeacherException {
        if (!budgetLeft()) {
            throw new TeacherException("teacher request budget of " + config.maxRequests() + " is used up", true);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", config.model());
        body.put("temperature", 0.7);
        var msgs = body.putArray("messages");
        msgs.addObject().put("role", "system").put("content", system);
        msgs.addObject().put("role", "user").put("content", user);
        String json = Json.MAPPER.writeValueAsString(body);
        String last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            requests++;
            HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (config.apiKey() != null && !config.apiKey().isBlank()) {
                rb.header("Authorization", "Bearer " + config.apiKey());
            }
            HttpResponse<String> resp;
            try {
                resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new TeacherException("teacher endpoint " + endpoint + " is unreachable (" + redact(e.toString())
                        + "); check forge.teacher.baseUrl or use -Dforge.teacher=offline", true);
            } catch (HttpTimeoutException e) {
                last = "timed out";
                sleep(attempt);
                continue;
            } catch (IOException e) {
                last = redact(String.valueOf(e.getMessage()));
                sleep(attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TeacherException("interrupted while waiting for the teacher", true);
            }
            int code = resp.statusCode();
            if (code == 429 || code >= 500) {
                last = "HTTP " + code;
                LOG.debug("teacher returned HTTP {} (attempt {}/{})", code, attempt, maxAttempts);
                sleep(attempt);
                continue;
            }
            if (code != 200) {
                throw new TeacherException("teacher endpoint " + endpoint + " answered HTTP " + code + ": "
                        + redact(abbreviate(resp.body())) + (code == 401 || code == 403
                        ? " (check the OPENAI_API_KEY environment variable)" : ""), code == 401 || code == 403 || code == 404);
            }
            return content(resp.body());
        }
        throw new TeacherException("teacher endpoint " + endpoint + " failed " + maxAttempts + " times (last: " + last
                + ")", false);
    }

    private String content(String body) throws TeacherException {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new TeacherException("the teacher's answer is not JSON: " + redact(abbreviate(body)), false);
        }
        JsonNode c = n == null ? null : n.path("choices").path(0).path("message").path("content");
        if (c == null || !c.isString() || c.asString().isBlank()) {
            throw new TeacherException("the teacher's answer is not a chat completion with text content: "
                    + redact(abbreviate(body)), false);
        }
        return c.asString();
    }

    private void sleep(int attempt) {
        try {
            Thread.sleep(backoffMillis * (1L << (attempt - 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes the API key from any text that may be logged or shown. */
    String redact(String s) {
        String key = config.apiKey();
        return key == null || key.isEmpty() || s == null ? s : s.replace(key, "***");
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.replace('\n', ' ');
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }
}
