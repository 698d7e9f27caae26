package dev.mcpforge.data.teacher;

import java.net.URI;

/**
 * An OpenAI-compatible teacher endpoint. The API key is never printed: {@link #toString()} redacts it.
 *
 * @param baseUrl      e.g. {@code http://localhost:8000/v1} (requests go to {@code {baseUrl}/chat/completions}, so
 *                     the URL must include {@code /v1} for llama-server, vLLM and Ollama)
 * @param model        model name the endpoint serves
 * @param apiKey       bearer key (from the {@code OPENAI_API_KEY} environment variable); null or blank for local
 *                     servers (a dummy is then sent: openai-java requires a credential)
 * @param maxRequests  request budget: HTTP requests, retries included
 * @param maxAttempts  attempts per completion (1 = no retry)
 * @param backoffMillis first retry delay; doubles per attempt
 * @param timeoutSeconds timeout of one request
 */
public record TeacherConfig(String baseUrl, String model, String apiKey, int maxRequests, int maxAttempts,
                            long backoffMillis, int timeoutSeconds) {

    /** With the defaults: 3 attempts, 500 ms first backoff, 60 s timeout. */
    public TeacherConfig(String baseUrl, String model, String apiKey, int maxRequests) {
        this(baseUrl, model, apiKey, maxRequests, 3, 500, 60);
    }

    /**
     * Checks what can be checked before anything is downloaded or sent.
     *
     * @throws IllegalArgumentException naming the missing or bad property and how to fix it
     */
    public TeacherConfig validate() {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("forge.teacher=openai needs -Dforge.teacher.baseUrl (e.g."
                    + " http://localhost:8000/v1 for a local OpenAI-compatible server; include /v1)");
        }
        try {
            URI u = new URI(baseUrl);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("forge.teacher.baseUrl must be an http(s) URL such as"
                        + " http://localhost:8000/v1, got " + baseUrl);
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("forge.teacher.baseUrl is not a valid URL: " + baseUrl);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("forge.teacher=openai needs -Dforge.teacher.model (the model name the"
                    + " endpoint serves)");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("forge.teacher.maxRequests must be at least 1, got " + maxRequests);
        }
        if (maxAttempts < 1 || backoffMillis < 0 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("teacher retry settings out of range: " + this);
        }
        return this;
    }

    /** Removes the API key from any text that may be logged or shown. */
    public String redact(String s) {
        return apiKey == null || apiKey.isEmpty() || s == null ? s : s.replace(apiKey, "***");
    }

    @Override
    public String toString() {
        return "TeacherConfig[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null || apiKey.isEmpty() ? "(none)" : "***") + ", maxRequests=" + maxRequests
                + ", maxAttempts=" + maxAttempts + ", backoffMillis=" + backoffMillis + ", timeoutSeconds="
                + timeoutSeconds + "]";
    }
}
