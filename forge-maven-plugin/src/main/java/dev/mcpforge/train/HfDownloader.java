package dev.mcpforge.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads {@code hf:owner/repo/file.gguf} once into the cache ({@code <cache>/models/hf/owner/repo/file}), with the
 * {@code HF_TOKEN} bearer header when set, resuming a partial download with an HTTP Range request, and records the
 * file's sha256 next to it. The endpoint is {@code -Dforge.hfEndpoint}, else the {@code HF_ENDPOINT} environment
 * variable (the Hub client's own convention), else the public Hub. Uses the JDK's HTTP client.
 */
public final class HfDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(HfDownloader.class);
    private final Path cache;
    private final String endpoint;
    private final String token;

    public HfDownloader(Path cache) {
        this(cache, endpoint(), System.getenv("HF_TOKEN"));
    }

    public HfDownloader(Path cache, String endpoint, String token) {
        this.cache = cache;
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    static String endpoint() {
        String p = System.getProperty("forge.hfEndpoint");
        if (p != null && !p.isBlank()) {
            return p;
        }
        String e = System.getenv("HF_ENDPOINT");
        return e != null && !e.isBlank() ? e : "https://" + "huggingface.co";
    }

    public Path fetch(BaseModels.Spec spec) throws IOException {
        Path target = cache.resolve("hf").resolve(spec.owner()).resolve(spec.repo()).resolve(spec.file());
        Path shaFile = target.resolveSibling(target.getFileName() + ".sha256");
        if (Files.isRegularFile(target) && Files.isRegularFile(shaFile)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long have = Files.exists(part) ? Files.size(part) : 0;
        URI uri = URI.create(endpoint + "/" + spec.owner() + "/" + spec.repo() + "/resolve/main/" + spec.file());
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).GET();
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        if (have > 0) {
            rb.header("Range", "bytes=" + have + "-");
            LOG.info("Resuming the download of {} at byte {}", uri, have);
        } else {
            LOG.info("Downloading {} into {}", uri, target);
        }
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of " + uri + " interrupted", e);
        }
        int code = resp.statusCode();
        if (code == 401 || code == 403) {
            resp.body().close();
            throw new IllegalArgumentException("Access to " + uri + " was refused (HTTP " + code + "). "
                    + (token == null ? "Set HF_TOKEN to a token that may read the repository." : "Check that HF_TOKEN may read it."));
        }
        if (code == 404) {
            resp.body().close();
            throw new IllegalArgumentException("No such model file: " + uri + " (HTTP 404). Check -Dforge.baseModel.");
        }
        boolean append = code == 206;
        if (code != 200 && code != 206) {
            resp.body().close();
            throw new IOException("Downloading " + uri + " failed with HTTP " + code);
        }
        try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        }
        String sha = dev.mcpforge.pipeline.Fingerprint.sha256Hex(part);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(shaFile, sha + "  " + target.getFileName() + "\n");
        LOG.info("Downloaded {} ({} bytes, sha256 {})", target, Files.size(target), sha);
        return target;
    }
}
