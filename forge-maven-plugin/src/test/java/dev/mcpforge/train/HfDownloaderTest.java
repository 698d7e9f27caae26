package dev.mcpforge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mcpforge.pipeline.Fingerprint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf: downloads against a loopback HTTP server: token header, resume with Range, sha256, 404/401 messages. */
class HfDownloaderTest {
    @TempDir
    Path tmp;
    HttpServer server;
    final byte[] body = new byte[100_000];
    final List<String> auth = new ArrayList<>();
    final List<String> ranges = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            String path = ex.getRequestURI().getPath();
            if (path.contains("private")) {
                ex.sendResponseHeaders(401, -1);
            } else if (!path.equals("/owner/repo/resolve/main/dir/model.gguf")) {
                ex.sendResponseHeaders(404, -1);
            } else if (range != null) {
                int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
                ex.getResponseBody().write(body, from, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void downloadsWithTokenResumesAndRecordsTheHash() throws Exception {
        BaseModels.Spec spec = BaseModels.parse("hf:owner/repo/dir/model.gguf");
        Path part = tmp.resolve("hf/owner/repo/dir/model.gguf.part");
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(body, 40_000)); // an interrupted earlier download
        Path got = new HfDownloader(tmp, endpoint(), "secret").fetch(spec);
        assertArrayEquals(body, Files.readAllBytes(got));
        assertEquals(List.of("Bearer secret"), auth);
        assertEquals(List.of("bytes=40000-"), ranges);
        assertTrue(Files.readString(got.resolveSibling("model.gguf.sha256")).startsWith(Fingerprint.sha256Hex(got)));
        // cached: no second request
        new HfDownloader(tmp, endpoint(), null).fetch(spec);
        assertEquals(1, auth.size());
    }

    @Test
    void clearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HfDownloader(tmp, endpoint(), null).fetch(BaseModels.parse("hf:owner/repo/other.gguf")));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new HfDownloader(tmp, endpoint(), null).fetch(BaseModels.parse("hf:owner/private/x.gguf")));
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BaseModels.parse("hf:owner/repo"));
        assertTrue(e.getMessage().contains("hf:owner/repo/file.gguf"));
        assertEquals("null", ranges.isEmpty() ? "null" : ranges.get(0));
    }
}
