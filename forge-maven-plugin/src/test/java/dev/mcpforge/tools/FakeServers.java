package dev.mcpforge.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Small fake MCP servers (shell and node scripts) written into a test's temp dir. */
final class FakeServers {

    /**
     * A scriptable MCP server in plain node: its config file sets the tools, the page size, a stdout banner,
     * noise lines before replies, a tool-list change announced during the first tools/list, and tools
     * {@code echo}, {@code fail}, {@code sleep}, {@code env}; unknown tools get JSON-RPC -32602.
     */
    static final String NODE_SERVER = """
            const fs = require('fs');
            const readline = require('readline');
            const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
            const send = m => process.stdout.write(JSON.stringify(m) + '\\n');
            if (cfg.banner) process.stdout.write(cfg.banner + '\\n');
            let tools = cfg.tools || [];
            let listed = 0;
            const rl = readline.createInterface({ input: process.stdin });
            rl.on('line', line => {
              const m = JSON.parse(line);
              const reply = result => send({ jsonrpc: '2.0', id: m.id, result });
              if (m.method === 'initialize') {
                reply({ protocolVersion: m.params.protocolVersion, capabilities: { tools: { listChanged: true } },
                        serverInfo: { name: 'fake', version: '0.0.1' } });
              } else if (m.method === 'tools/list') {
                if (cfg.noise) process.stdout.write(cfg.noise + '\\n');
                listed++;
                const cur = m.params && m.params.cursor ? parseInt(m.params.cursor.slice(1)) : 0;
                const size = cfg.pageSize || Math.max(tools.length, 1);
                const page = tools.slice(cur, cur + size);
                const result = { tools: page };
                if (cur + size < tools.length) result.nextCursor = 'c' + (cur + size);
                if (cfg.toolsAfterFirstList && listed === 1) {
                  tools = cfg.toolsAfterFirstList;
                  send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
                }
                reply(result);
              } else if (m.method === 'tools/call') {
                const name = m.params.name, args = m.params.arguments || {};
                if (name === 'echo') reply({ content: [{ type: 'text', text: JSON.stringify(args) }], structuredContent: args });
                else if (name === 'raw') reply({ content: [{ text: 'odd order', type: 'text', annotations: { priority: 0.5 } }], extra: 1 });
                else if (name === 'fail') reply({ content: [{ type: 'text', text: 'it failed' }], isError: true });
                else if (name === 'env') reply({ content: [{ type: 'text', text: Object.keys(process.env).sort().join('\\n') }] });
                else if (name === 'sleep') setTimeout(() => reply({ content: [{ type: 'text', text: 'slept' }] }), args.ms);
                else send({ jsonrpc: '2.0', id: m.id, error: { code: -32602, message: 'Unknown tool: ' + name } });
              } else if (m.id !== undefined) {
                send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
              }
            });
            rl.on('close', () => process.exit(0));
            """;

    private FakeServers() {
    }

    static String tool(String name) {
        return "{\"name\":\"" + name + "\",\"description\":\"tool " + name + "\",\"inputSchema\":{\"type\":\"object\","
                + "\"properties\":{\"x\":{\"type\":\"string\"}},\"required\":[\"x\"]}}";
    }

    /** A node fake server with the given JSON config. */
    static ServerSpec node(Path dir, String configJson, Map<String, String> env, Duration timeout) throws IOException {
        Path script = dir.resolve("fake-mcp.js");
        Files.writeString(script, NODE_SERVER);
        Path cfg = Files.createTempFile(dir, "fake", ".json");
        Files.writeString(cfg, configJson);
        return new ServerSpec(List.of("node", script.toString(), cfg.toString()), env, null, timeout);
    }

    /** A {@code /bin/sh} script as the server. */
    static ServerSpec sh(Path dir, String body, Duration timeout) throws IOException {
        Path script = Files.createTempFile(dir, "fake", ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new ServerSpec(List.of(script.toString()), Map.of(), null, timeout);
    }

    /** Alive and not a zombie (a killed child whose parent is gone may linger as a zombie until reaped). */
    static boolean alive(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** Waits up to {@code d} for the process to be gone. */
    static boolean gone(long pid, Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
