package dev.mcpforge.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code <server>} block of {@code forge:inspect}:
 * <pre>
 * &lt;server&gt;
 *   &lt;command&gt;node_modules/.bin/mcp-server-filesystem&lt;/command&gt;
 *   &lt;args&gt;&lt;arg&gt;${project.basedir}&lt;/arg&gt;&lt;/args&gt;
 *   &lt;env&gt;&lt;LOG_LEVEL&gt;info&lt;/LOG_LEVEL&gt;&lt;/env&gt;
 *   &lt;workingDirectory&gt;${project.basedir}&lt;/workingDirectory&gt;
 * &lt;/server&gt;
 * </pre>
 * Only the variables listed in {@code env} (plus PATH/HOME-like basics) reach the server.
 */
public class Server {

    /** The program to start. */
    private String command;

    /** Its arguments, one per {@code <arg>}. */
    private List<String> args = new ArrayList<>();

    /** Extra environment variables for the server. */
    private Map<String, String> env = new LinkedHashMap<>();

    /** The server's working directory (default: the current one). */
    private File workingDirectory;

    public String getCommand() {
        return command;
    }

    public void setCommand(String command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args == null ? new ArrayList<>() : args;
    }

    public Map<String, String> getEnv() {
        return env;
    }

    public void setEnv(Map<String, String> env) {
        this.env = env == null ? new LinkedHashMap<>() : env;
    }

    public File getWorkingDirectory() {
        return workingDirectory;
    }

    public void setWorkingDirectory(File workingDirectory) {
        this.workingDirectory = workingDirectory;
    }
}
