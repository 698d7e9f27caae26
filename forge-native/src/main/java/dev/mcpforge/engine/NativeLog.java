package dev.mcpforge.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives llama.cpp/ggml log messages (through {@code llama_log_set}) and routes them into slf4j. Quiet by default:
 * only native errors are logged (as warnings: llama.cpp reports e.g. a bad grammar as an error and the engine turns
 * it into an exception anyway). {@code -Dforge.nativeLog=off|error|warn|info|debug} lowers the threshold.
 * The last messages of level warn/error are kept so that exceptions can quote them.
 */
public final class NativeLog {
    /** System property choosing the threshold. */
    public static final String PROPERTY = "forge.nativeLog";

    /** Where messages go (slf4j by default; the worker process sends them over its protocol instead). */
    public interface Sink {
        void log(int ggmlLevel, String message);
    }

    private static final Logger LOG = LoggerFactory.getLogger("dev.mcpforge.engine.native");
    private static final int RECENT = 20;
    private static final ArrayDeque<String> recent = new ArrayDeque<>();
    private static volatile Sink sink = NativeLog::toSlf4j;
    private static volatile int threshold = initialThreshold();
    private static final StringBuilder pending = new StringBuilder();
    private static int pendingLevel = 2;

    private NativeLog() {
    }

    private static int initialThreshold() {
        try {
            return parse(System.getProperty(PROPERTY, "error"));
        } catch (EngineException e) {
            LOG.warn("{}; using 'error'", e.getMessage());
            return 4;
        }
    }

    /** Checks a -Dforge.nativeLog value (clear error when it is not a level). */
    public static void validate(String value) {
        parse(value);
    }

    /** ggml levels: 1 debug, 2 info, 3 warn, 4 error (0 none = off). */
    static int parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off": case "none": case "quiet": return Integer.MAX_VALUE;
            case "error": return 4;
            case "warn": case "warning": return 3;
            case "info": return 2;
            case "debug": case "all": case "trace": return 1;
            default:
                throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                        "-D" + PROPERTY + "=" + value + " is not a log level; use off, error, warn, info or debug");
        }
    }

    public static void setThreshold(String level) {
        threshold = parse(level);
    }

    public static void setSink(Sink newSink) {
        sink = newSink == null ? NativeLog::toSlf4j : newSink;
    }

    /** The last native warnings/errors (newest last), e.g. to quote why a grammar or model failed to load. */
    public static synchronized List<String> recentProblems() {
        return new ArrayList<>(recent);
    }

    public static synchronized void clearRecent() {
        recent.clear();
    }

    /** Called from the native log callback; assembles lines (ggml sends continuation level 5 for fragments). */
    static synchronized void accept(int level, String text) {
        if (text == null) {
            return;
        }
        if (level != 5) {
            pendingLevel = level;
        }
        pending.append(text);
        int nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
            String line = pending.substring(0, nl);
            pending.delete(0, nl + 1);
            emit(pendingLevel, line);
        }
    }

    private static void emit(int level, String line) {
        if (line.isBlank()) {
            return;
        }
        if (level >= 3) {
            recent.addLast(line.strip());
            while (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
        if (level >= threshold) {
            sink.log(level, line);
        }
    }

    private static void toSlf4j(int level, String line) {
        // info/debug lines are only forwarded when the user asked for them (-Dforge.nativeLog=info|debug), so they
        // are logged at INFO to be visible without mvn -X
        if (level >= 3) {
            LOG.warn("llama.cpp: {}", line);
        } else {
            LOG.info("llama.cpp: {}", line);
        }
    }
}
