package dev.mcpforge.tools;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An MCP server child process: started with a scrubbed environment, its stderr pumped into the log (and the
 * tail kept for error messages), and stopped the way the MCP stdio transport asks (close stdin, then SIGTERM,
 * then SIGKILL), on the whole process tree so that no orphan {@code node} survives.
 * <p>
 * Hand-written rather than the SDK's {@code StdioClientTransport}: that one passes the whole parent environment
 * (API keys included), sends SIGTERM without closing stdin first, only signals the direct child, and dies on the
 * first non-JSON stdout line.
 */
final class ServerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
    private static final Logger STDERR_LOG = LoggerFactory.getLogger("dev.mcpforge.tools.server.stderr");

    /**
     * Variables a child inherits from the parent environment: what a program needs to find its interpreter and
     * files, nothing else (no tokens or keys). Everything else must be listed in the server's {@code env}.
     */
    static final Set<String> BASIC_ENV = Set.of(
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE",
            "TMPDIR", "TMP", "TEMP", "TZ",
            // Windows: node and cmd.exe do not start without these
            "SYSTEMROOT", "SYSTEMDRIVE", "COMSPEC", "PATHEXT", "WINDIR", "APPDATA", "LOCALAPPDATA",
            "USERPROFILE", "PROGRAMDATA", "PROGRAMFILES");

    private static final int STDERR_TAIL_LINES = 20;
    private static final int MAX_LINE = 500;
    private static final Duration STDIN_GRACE = Duration.ofSeconds(2);
    private static final Duration TERM_GRACE = Duration.ofSeconds(2);

    private final String label;
    private final Process process;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread shutdownHook;
    private final Thread pump;
    private volatile boolean stopped;

    private ServerProcess(String label, Process process) {
        this.label = label;
        this.process = process;
        this.pump = new Thread(this::pumpStderr, "mcp-stderr-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        // if Maven is interrupted (Ctrl-C), do not leave the server behind
        this.shutdownHook = new Thread(() -> killTree(snapshotTree(), true), "mcp-kill-" + process.pid());
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; nothing to register
        }
    }

    /** Starts the server; a program that cannot be started gives a ToolException saying how to fix it. */
    static ServerProcess start(ServerSpec spec) throws ToolException {
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        Map<String, String> env = pb.environment();
        Map<String, String> child = childEnvironment(System.getenv(), spec.env());
        env.clear();
        env.putAll(child);
        if (spec.workingDirectory() != null) {
            if (!spec.workingDirectory().toFile().isDirectory()) {
                throw new ToolException("MCP server working directory does not exist: " + spec.workingDirectory()
                        + "; fix <server><workingDirectory> or create the directory");
            }
            pb.directory(spec.workingDirectory().toFile());
        }
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        String program = spec.command().get(0);
        try {
            Process p = pb.start();
            LOG.debug("started MCP server '{}' (pid {}), environment variables passed: {}", spec.commandLine(),
                    p.pid(), new TreeSet<>(child.keySet()));
            return new ServerProcess(spec.commandLine(), p);
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("error=2,") || msg.contains("No such file")) {
                throw new ToolException("MCP server command not found: '" + program + "' (command line: "
                        + spec.commandLine() + "). Install the server or use an absolute path; the program must be "
                        + "on the PATH (" + child.getOrDefault("PATH", "<unset>") + ") or given as a path. "
                        + "Set it with -Dforge.server=\"<program> <args>\" or <server><command>.", e);
            }
            if (msg.contains("error=13,")) {
                throw new ToolException("MCP server command is not executable: '" + program
                        + "' (permission denied); chmod +x it or start it through its interpreter (e.g. node "
                        + program + ")", e);
            }
            throw new ToolException("could not start MCP server '" + spec.commandLine() + "': " + msg, e);
        }
    }

    /**
     * The child's environment: the {@link #BASIC_ENV} variables taken from {@code parent}, then {@code extra}
     * (the server configuration's {@code env}) on top. Nothing else from the parent gets through, so
     * {@code OPENAI_API_KEY}, {@code HF_TOKEN} and the like never reach a server the user merely named.
     */
    static Map<String, String> childEnvironment(Map<String, String> parent, Map<String, String> extra) {
        Map<String, String> out = new LinkedHashMap<>();
        parent.forEach((k, v) -> {
            if (BASIC_ENV.contains(k.toUpperCase(Locale.ROOT))) {
                out.put(k, v);
            }
        });
        out.putAll(extra);
        return out;
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Whether the process has exited within {@code d}: a server that closed its stdout is usually exiting, but the
     * exit is reaped a moment after the EOF (measured: a clean-clone CI run saw it alive right after stdout closed).
     */
    boolean exitsWithin(Duration d) {
        try {
            return process.waitFor(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    /** The last lines the server wrote to stderr, for error messages ("" when it wrote none). */
    String stderrTail() {
        // the pump may still be reading the last lines of a process that just died
        if (!process.isAlive()) {
            try {
                pump.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    /** "Its stderr ended with: ..." or a note that it wrote nothing there. */
    String describeStderr() {
        String tail = stderrTail();
        return tail.isEmpty() ? "It wrote nothing to stderr."
                : "Its stderr ended with:\n    " + tail.replace("\n", "\n    ");
    }

    private void pumpStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                STDERR_LOG.debug("[{}] {}", label, line);
                synchronized (stderrTail) {
                    stderrTail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line);
                    while (stderrTail.size() > STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("stderr of '{}' closed: {}", label, e.getMessage());
        }
    }

    /**
     * Stops the server and everything it started: close stdin and wait, then SIGTERM the tree and wait, then
     * SIGKILL whatever is left. Idempotent; never throws.
     */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            List<ProcessHandle> tree = snapshotTree();
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the server already closed its end
            }
            if (!waitFor(process.toHandle(), STDIN_GRACE)) {
                tree = merge(tree, snapshotTree());
                LOG.debug("MCP server '{}' did not exit after stdin closed; sending SIGTERM", label);
                killTree(tree, false);
                if (!waitAll(tree, TERM_GRACE)) {
                    LOG.debug("MCP server '{}' ignored SIGTERM; sending SIGKILL", label);
                    killTree(merge(tree, snapshotTree()), true);
                    waitAll(tree, Duration.ofSeconds(2));
                }
            } else {
                // the server exited; make sure nothing it spawned lingers
                killTree(tree, false);
                if (!waitAll(tree, TERM_GRACE)) {
                    killTree(tree, true);
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // JVM shutting down: the hook runs anyway
            }
        }
    }

    /** The process and all its descendants, descendants first. */
    private List<ProcessHandle> snapshotTree() {
        List<ProcessHandle> out = new ArrayList<>();
        try {
            process.descendants().forEach(out::add);
        } catch (RuntimeException e) {
            LOG.debug("cannot list descendants of {}: {}", process.pid(), e.toString());
        }
        out.add(process.toHandle());
        return out;
    }

    private static List<ProcessHandle> merge(List<ProcessHandle> a, List<ProcessHandle> b) {
        List<ProcessHandle> out = new ArrayList<>(a);
        for (ProcessHandle h : b) {
            if (out.stream().noneMatch(x -> x.pid() == h.pid())) {
                out.add(0, h);
            }
        }
        return out;
    }

    private static void killTree(List<ProcessHandle> tree, boolean force) {
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                if (force) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            }
        }
    }

    private static boolean waitFor(ProcessHandle h, Duration d) {
        try {
            h.onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return !h.isAlive();
        }
    }

    private static boolean waitAll(List<ProcessHandle> tree, Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            if (h.isAlive() && (left <= 0 || !waitFor(h, Duration.ofNanos(left)))) {
                return false;
            }
        }
        return true;
    }
}
