package dev.mcpforge.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start an MCP server over stdio.
 *
 * @param command          the executable and its arguments (command.get(0) is the program)
 * @param env              extra environment variables for the server; the child gets only these plus a few
 *                         basics (PATH, HOME, ...), never the whole parent environment (API keys stay out)
 * @param workingDirectory the server's working directory, or null for the current one
 * @param timeout          start-up (initialize) and per-request timeout
 */
public record ServerSpec(List<String> command, Map<String, String> env, Path workingDirectory, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ServerSpec {
        command = List.copyOf(command);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("empty MCP server command: set -Dforge.server=\"<program> <args>\" "
                    + "or a <server><command>...</command></server> block");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** The command line as one string, for logs and for {@code tools.json}'s {@code source}. */
    public String commandLine() {
        return String.join(" ", command);
    }

    /**
     * Splits a command line the way a POSIX shell does for words: whitespace separates, single and double
     * quotes group, backslash escapes. No variable expansion, no globbing.
     */
    public static List<String> splitCommandLine(String line) {
        Objects.requireNonNull(line, "command line");
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced " + quote + " quote in server command: " + line);
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
