package dev.mcpforge.tools.stub;

import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.Toolset;
import tools.jackson.core.JacksonException;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The stub MCP server as a program speaking MCP over stdio:
 * <pre>java -cp &lt;plugin classpath&gt; dev.mcpforge.tools.stub.StubServerMain --tools tools.json [--fixtures calls.jsonl]</pre>
 * It exits when its stdin closes. Logs go to stderr; stdout carries only JSON-RPC.
 */
public final class StubServerMain {

    private StubServerMain() {
    }

    public static void main(String[] args) {
        // stdout belongs to JSON-RPC: anything else printing there would corrupt the stream
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        System.setOut(System.err);
        Path toolsFile = null;
        Path fixturesFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tools" -> toolsFile = Path.of(value(args, ++i));
                case "--fixtures" -> fixturesFile = Path.of(value(args, ++i));
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (toolsFile == null) {
            usage("--tools is required");
        }
        try {
            Toolset tools = readTools(toolsFile);
            Fixtures fixtures = fixturesFile == null ? new Fixtures() : Fixtures.load(fixturesFile);
            CountDownLatch stdinClosed = new CountDownLatch(1);
            InputStream in = new FilterInputStream(new FileInputStream(FileDescriptor.in)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        stdinClosed.countDown();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n < 0) {
                        stdinClosed.countDown();
                    }
                    return n;
                }
            };
            StubServer server = StubServer.start(tools, fixtures, in, stdout);
            System.err.println("stub MCP server: " + tools.tools().size() + " tools from " + toolsFile + ", "
                    + fixtures.size() + " fixtures");
            stdinClosed.await();
            server.close();
            System.exit(0);
        } catch (ToolException e) {
            System.err.println("stub MCP server: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            System.exit(1);
        }
    }

    static Toolset readTools(Path file) throws ToolException {
        try {
            return Toolset.fromJson(Json.MAPPER.readTree(Files.readString(file)), file.toString());
        } catch (IOException e) {
            throw new ToolException("cannot read tools file " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new ToolException("tools file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ToolException("tools file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("stub MCP server: " + problem + "\nusage: java -cp <classpath> "
                + StubServerMain.class.getName() + " --tools tools.json [--fixtures fixtures.jsonl]");
        System.exit(2);
    }
}
