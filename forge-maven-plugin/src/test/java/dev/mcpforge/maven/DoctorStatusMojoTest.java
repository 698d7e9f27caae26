package dev.mcpforge.maven;

import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorStatusMojoTest {

    final MojoHarness harness = new MojoHarness();

    @TempDir
    Path base;

    @BeforeEach
    void start() throws Exception {
        harness.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    /** Captures what a Mojo logs at info level. */
    static final class CapturingLog extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            lines.add(content.toString());
        }
    }

    @Test
    void doctorPrintsTheReport() throws Exception {
        Mojo mojo = harness.configured(base, "doctor");
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        String all = String.join("\n", log.lines);
        assertTrue(all.contains("MCP-Forge environment"), all);
        assertTrue(all.contains("Java") && all.contains(System.getProperty("java.version")), all);
        assertTrue(all.contains("Native engine") && all.contains("llama.cpp v0.5.0") && all.contains("CPU variant"), all);
        assertTrue(all.contains("Qwen2.5-0.5B"), all);
    }

    @Test
    void statusWithoutAndWithState() throws Exception {
        Mojo status = harness.configured(base, "status");
        CapturingLog log = new CapturingLog();
        status.setLog(log);
        status.execute();
        assertTrue(String.join("\n", log.lines).contains("No pipeline state yet"), log.lines.toString());

        Path in = Files.copy(Path.of("src/test/resources/mcp-tools/time-tools.json"), base.resolve("time.json"));
        Mojo inspect = harness.configured(base, "inspect");
        harness.set(inspect, "toolsFile", in.toFile());
        inspect.execute();
        log.lines.clear();
        status.execute();
        String all = String.join("\n", log.lines);
        assertTrue(all.matches("(?s).*\\n\\s+inspect\\s+[0-9a-f]{12}\\s+\\S+ \\S+\\s+yes\\s+target/forge/tools.json.*"),
                all);
    }
}
