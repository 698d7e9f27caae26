package dev.mcpforge.data.teacher;

/**
 * One OpenAI-compatible chat-completions endpoint, as the teacher sees it. The implementation
 * ({@code dev.mcpforge.data.teacher.openai.OpenAiJavaChatCompletions}, on openai-java) lives in an isolated class
 * loader built by {@link TeacherLoader}; only this interface (loaded by the plugin) crosses the boundary, so it uses
 * JDK types only.
 */
public interface ChatCompletions {

    /**
     * The assistant text of one chat completion (system + user message). Retries transient failures (429, 5xx,
     * I/O, timeouts) with backoff; every HTTP attempt counts against the budget.
     *
     * @throws TeacherException with {@link TeacherException#fatal()} true when further requests are pointless
     *                          (unreachable endpoint, 401/403/404, budget used up); messages never contain the key
     */
    String complete(String system, String user) throws TeacherException;

    /** HTTP requests made so far (retries included). */
    int requests();

    /** True while the request budget allows another request. */
    boolean budgetLeft();
}
