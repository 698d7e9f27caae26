package dev.mcpforge.data;

/**
 * An OpenAI-compatible teacher endpoint. The API key is never printed: {@link #toString()} redacts it.
 *
 * @param baseUrl   e.g. {@code http://localhost:8000/v1}
 * @param model     model name the endpoint serves
 * @param apiKey    bearer key (from the {@code OPENAI_API_KEY} environment variable), may be null for local servers
 * @param maxRequests request budget
 */
public record TeacherConfig(String baseUrl, String model, String apiKey, int maxRequests) {
    @Override
    public String toString() {
        return "TeacherConfig[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null || apiKey.isEmpty() ? "(none)" : "***") + ", maxRequests=" + maxRequests + "]";
    }
}
