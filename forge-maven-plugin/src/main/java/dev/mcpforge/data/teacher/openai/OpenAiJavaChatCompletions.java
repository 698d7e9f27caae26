package dev.mcpforge.data.teacher.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.mcpforge.data.teacher.ChatCompletions;
import dev.mcpforge.data.teacher.TeacherConfig;
import dev.mcpforge.data.teacher.TeacherException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * {@link ChatCompletions} on openai-java, for any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama-server).
 * Loaded only by {@code TeacherLoader}'s isolated class loader, next to the openai-java jars that GenerateMojo
 * resolves at run time; the plugin compiles against openai-java with scope {@code provided} and never ships it.
 *
 * <p>The SDK's own retries are off ({@code maxRetries(0)}): this class retries 429, 5xx, timeouts and I/O errors
 * itself with exponential backoff so that every HTTP attempt counts against the request budget. The API key is
 * redacted from every message (the SDK's error messages may echo the response body).</p>
 */
public final class OpenAiJavaChatCompletions implements ChatCompletions, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiJavaChatCompletions.class);
    /** openai-java refuses to build a client without a credential; local servers ignore it. */
    static final String DUMMY_KEY = "no-key";

    private final TeacherConfig config;
    private final OpenAIClient client;
    private final String endpoint;
    private int requests;

    public OpenAiJavaChatCompletions(TeacherConfig config) {
        this.config = config.validate();
        String base = config.baseUrl().endsWith("/") ? config.baseUrl().substring(0, config.baseUrl().length() - 1)
                : config.baseUrl();
        this.endpoint = base + "/chat/completions";
        String key = config.apiKey() == null || config.apiKey().isBlank() ? DUMMY_KEY : config.apiKey();
        this.client = withOwnLoader(() -> OpenAIOkHttpClient.builder()
                .baseUrl(base)
                .apiKey(key)
                .timeout(Duration.ofSeconds(config.timeoutSeconds()))
                .maxRetries(0)
                .build());
    }

    @Override
    public int requests() {
        return requests;
    }

    @Override
    public boolean budgetLeft() {
        return requests < config.maxRequests();
    }

    @Override
    public String complete(String system, String user) throws TeacherException {
        if (!budgetLeft()) {
            throw new TeacherException("teacher request budget of " + config.maxRequests() + " is used up", false);
        }
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(config.model())
                .temperature(0.7)
                .addSystemMessage(system)
                .addUserMessage(user)
                .build();
        String last = null;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            if (!budgetLeft()) {
                throw new TeacherException("teacher request budget of " + config.maxRequests() + " used up while"
                        + " retrying (last: " + last + ")", false);
            }
            requests++;
            try {
                ChatCompletion c = withOwnLoader(() -> client.chat().completions().create(params));
                String text = c.choices().isEmpty() ? null : c.choices().get(0).message().content().orElse(null);
                if (text == null || text.isBlank()) {
                    throw new TeacherException("the teacher's answer from " + endpoint + " has no text content", false);
                }
                return text;
            } catch (UnauthorizedException | PermissionDeniedException | NotFoundException e) {
                throw new TeacherException("teacher endpoint " + endpoint + " answered HTTP " + e.statusCode() + ": "
                        + clip(e.getMessage()) + (e instanceof NotFoundException
                        ? " (check forge.teacher.baseUrl, which must include /v1, and forge.teacher.model)"
                        : " (check the OPENAI_API_KEY environment variable)"), true);
            } catch (RateLimitException | InternalServerException e) {
                last = "HTTP " + e.statusCode();
            } catch (OpenAIServiceException e) {
                if (e.statusCode() < 500) {
                    throw new TeacherException("teacher endpoint " + endpoint + " answered HTTP " + e.statusCode()
                            + ": " + clip(e.getMessage()), false);
                }
                last = "HTTP " + e.statusCode();
            } catch (OpenAIIoException e) {
                Throwable refused = cause(e, ConnectException.class, UnknownHostException.class,
                        NoRouteToHostException.class);
                if (refused != null) {
                    throw new TeacherException("teacher endpoint " + endpoint + " is unreachable (" + clip(refused.toString())
                            + "); start the server or fix -Dforge.teacher.baseUrl, or use -Dforge.teacher=offline",
                            true);
                }
                // okhttp reports its call timeout as an InterruptedIOException somewhere in the chain
                last = cause(e, InterruptedIOException.class) != null
                        ? "timed out after " + config.timeoutSeconds() + " s" : clip(rootCause(e).toString());
            } catch (RuntimeException e) {
                // OpenAIInvalidDataException, Jackson parse errors: the body is not a chat completion
                throw new TeacherException("the teacher's answer from " + endpoint + " is not a chat completion: "
                        + clip(String.valueOf(rootCause(e).getMessage())), false);
            }
            LOG.debug("teacher attempt {}/{} failed: {}", attempt, config.maxAttempts(), last);
            if (attempt < config.maxAttempts()) {
                sleep(config.backoffMillis() * (1L << (attempt - 1)));
            }
        }
        throw new TeacherException("teacher endpoint " + endpoint + " failed " + config.maxAttempts() + " times (last: "
                + last + ")", false);
    }

    /** Releases the SDK's HTTP resources (connection pool). */
    @Override
    public void close() {
        client.close();
    }

    /** Runs {@code body} with this class's loader as context loader (the SDK's Jackson and Kotlin may consult it). */
    private static <T> T withOwnLoader(java.util.function.Supplier<T> body) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(OpenAiJavaChatCompletions.class.getClassLoader());
        try {
            return body.get();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /** The first throwable in the cause chain of {@code e} (itself included) of one of {@code types}, or null. */
    @SafeVarargs
    private static Throwable cause(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> c : types) {
                if (c.isInstance(t)) {
                    return t;
                }
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private String clip(String s) {
        String t = config.redact(s == null ? "" : s.replace('\n', ' '));
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    private static void sleep(long ms) throws TeacherException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TeacherException("interrupted while waiting for the teacher", true);
        }
    }
}
