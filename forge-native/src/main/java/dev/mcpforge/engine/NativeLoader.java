package dev.mcpforge.engine;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.mcpforge.engine.llama.GgmlLibrary;
import dev.mcpforge.engine.llama.LlamaLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the llama.cpp libraries packaged in this jar ({@code native/linux-x86_64/} + {@code native.properties})
 * once per content hash into {@code ${MCP_FORGE_CACHE_DIR:-~/.cache/mcp-forge}/native/<hash>/}, keeping their file
 * names (their NEEDED entries and RUNPATH=$ORIGIN depend on them; JNA's own extraction would rename them), and loads
 * them in dependency order by absolute path.
 *
 * <p>Extraction is safe for concurrent builds: it happens under a {@link FileLock} on {@code <hash>.lock}, into a
 * temporary directory that is renamed atomically. Every file's sha256 is verified on each load; a corrupted cache
 * directory is moved aside and extracted again.
 */
public final class NativeLoader {
    /** Class-path folder holding the libraries. */
    public static final String RESOURCE_DIR = "native/linux-x86_64/";
    /** Environment variable naming the cache root. */
    public static final String CACHE_ENV = "MCP_FORGE_CACHE_DIR";
    /** System property overriding the cache root (tests, worker). */
    public static final String CACHE_PROPERTY = "forge.cacheDir";

    private static final Logger LOG = LoggerFactory.getLogger(NativeLoader.class);
    private static NativeEngine engine;
    private static EngineException failure;

    private NativeLoader() {
    }

    /** The cache root: -Dforge.cacheDir, else $MCP_FORGE_CACHE_DIR, else ~/.cache/mcp-forge. */
    public static Path cacheRoot() {
        String prop = System.getProperty(CACHE_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        String env = System.getenv(CACHE_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "mcp-forge");
    }

    /** Loads the engine once per JVM (later calls return the same instance or rethrow the same failure). */
    public static synchronized NativeEngine load() {
        if (engine != null) {
            return engine;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            engine = doLoad(cacheRoot());
            return engine;
        } catch (EngineException e) {
            failure = e;
            throw e;
        } catch (RuntimeException | LinkageError e) {
            failure = new EngineException(EngineException.Kind.NATIVE_LIBRARY,
                    "Could not load the llama.cpp libraries: " + e + ". The engine supports Linux x86-64 with glibc; "
                            + "delete " + cacheRoot().resolve("native") + " to force a fresh extraction.", e);
            throw failure;
        }
    }

    /** The packaged native.properties (release, npm package, file hashes). */
    public static Properties packagedProperties() {
        byte[] bytes = packagedPropertiesBytes();
        Properties p = new Properties();
        try {
            p.load(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static byte[] packagedPropertiesBytes() {
        String arch = System.getProperty("os.arch", "");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "The engine ships llama.cpp for Linux x86-64 "
                    + "only; this JVM runs on " + os + "/" + arch + ". Run the build on Linux x86-64 (or in a container).");
        }
        try (InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "native.properties")) {
            if (in == null) {
                throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "The llama.cpp libraries are missing from "
                        + "the class path (no " + RESOURCE_DIR + "native.properties): forge-native was built without them. "
                        + "Rebuild forge-native with npm available (its build fetches them with npm pack).");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Extracts (if needed) and verifies the libraries under {@code root/native/<hash>/}; returns that directory. */
    public static synchronized Path extract(Path root) { // synchronized: FileLock is per process, not per thread
        byte[] propsBytes = packagedPropertiesBytes();
        Properties props = packagedProperties();
        String hash = sha256(propsBytes).substring(0, 16);
        Path nativeRoot = root.resolve("native");
        Path dir = nativeRoot.resolve(hash);
        try {
            Files.createDirectories(nativeRoot);
            try (FileChannel ch = FileChannel.open(nativeRoot.resolve(hash + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (Files.isDirectory(dir)) {
                    String problem = verify(dir, props);
                    if (problem == null) {
                        return dir;
                    }
                    LOG.warn("Native library cache {} is corrupted ({}); extracting it again", dir, problem);
                    Path aside = nativeRoot.resolve(".corrupt-" + hash + "-" + System.nanoTime());
                    Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
                    deleteTree(aside);
                }
                Path tmp = Files.createTempDirectory(nativeRoot, ".tmp-" + hash + "-");
                try {
                    for (String name : files(props)) {
                        try (InputStream in = NativeLoader.class.getClassLoader()
                                .getResourceAsStream(RESOURCE_DIR + name)) {
                            if (in == null) {
                                throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "native.properties lists "
                                        + name + " but the jar does not contain it: rebuild forge-native.");
                            }
                            Files.copy(in, tmp.resolve(name));
                        }
                    }
                    Files.write(tmp.resolve("native.properties"), propsBytes);
                    String problem = verify(tmp, props);
                    if (problem != null) {
                        throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "The llama.cpp libraries in the "
                                + "jar do not match native.properties (" + problem + "): the forge-native jar is corrupt.");
                    }
                    try {
                        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                        throw new IOException("could not rename " + tmp + " to " + dir, e);
                    }
                } finally {
                    if (Files.exists(tmp)) {
                        deleteTree(tmp);
                    }
                }
                LOG.debug("Extracted llama.cpp libraries to {}", dir);
                return dir;
            }
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "Could not extract the llama.cpp libraries to "
                    + dir + ": " + e.getMessage() + ". Check that the cache directory is writable, or point "
                    + CACHE_ENV + " at another directory.", e);
        }
    }

    static List<String> files(Properties props) {
        String files = props.getProperty("files", "");
        if (files.isBlank()) {
            throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "native.properties lists no files: rebuild forge-native.");
        }
        return Arrays.asList(files.split(","));
    }

    /** Null when every listed file exists with its recorded sha256, else a description of the first problem. */
    static String verify(Path dir, Properties props) throws IOException {
        for (String name : files(props)) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                return name + " is missing";
            }
            String expected = props.getProperty("file." + name + ".sha256");
            String actual = sha256(Files.readAllBytes(f));
            if (!actual.equals(expected)) {
                return name + " has sha256 " + actual + ", expected " + expected;
            }
        }
        return null;
    }

    private static NativeEngine doLoad(Path root) {
        long t0 = System.nanoTime();
        Properties props = packagedProperties();
        Path dir = extract(root);
        List<String> names = files(props);
        String base = find(names, "libggml-base", dir);
        String ggml = find(names, "libggml.", dir);
        String llama = find(names, "libllama", dir);
        // dependency order: ggml-base <- ggml <- llama (RUNPATH=$ORIGIN resolves the NEEDED entries from the same dir)
        NativeLibrary baseLib = NativeLibrary.getInstance(dir.resolve(base).toString());
        GgmlLibrary g = Native.load(dir.resolve(ggml).toString(), GgmlLibrary.class);
        LlamaLibrary l = Native.load(dir.resolve(llama).toString(), LlamaLibrary.class);
        LlamaLibrary.LogCallback cb = (level, text, ud) -> NativeLog.accept(level, text);
        l.llama_log_set(cb, Pointer.NULL); // before loading backends so their messages are routed too
        g.ggml_backend_load_all_from_path(dir.toString());
        if (g.ggml_backend_dev_count() == 0) {
            throw new EngineException(EngineException.Kind.NATIVE_LIBRARY, "llama.cpp found no usable backend in " + dir
                    + " (no libggml-cpu-* variant supports this CPU?). Native log: " + NativeLog.recentProblems());
        }
        l.llama_backend_init();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        NativeEngine e = new NativeEngine(l, g, baseLib, cb, dir, props, ms);
        LOG.debug("llama.cpp {} loaded from {} in {} ms (CPU variant {})", e.llamaVersion(), dir, ms, e.cpuVariant());
        return e;
    }

    private static String find(List<String> names, String prefix, Path dir) {
        return names.stream().filter(n -> n.startsWith(prefix) && !n.startsWith("libllama-common")).findFirst()
                .orElseThrow(() -> new EngineException(EngineException.Kind.NATIVE_LIBRARY,
                        "No " + prefix + "* library among the packaged files in " + dir + ": rebuild forge-native."));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path x : all) {
                Files.deleteIfExists(x);
            }
        }
    }

    static String utf8(byte[] buf, int n) {
        return new String(buf, 0, Math.max(0, Math.min(n, buf.length)), StandardCharsets.UTF_8);
    }
}
