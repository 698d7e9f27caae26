package dev.mcpforge.engine;

import java.util.List;

/**
 * What {@code forge:doctor} reports about the engine. Obtain it in-process with {@link #probe()} or, as Maven goals
 * should, through the worker: {@code WorkerClient.probe()}.
 *
 * @param loaded      true when the libraries loaded and a backend was registered
 * @param error       why loading failed (null when loaded)
 * @param llamaRelease llama.cpp release the libraries were built from (e.g. v0.5.0)
 * @param llamaVersion what {@code llama_version()} reports
 * @param npmPackage  origin of the prebuilt libraries (package@version)
 * @param cacheDir    the cache root (${MCP_FORGE_CACHE_DIR:-~/.cache/mcp-forge})
 * @param libraryDir  where the libraries were extracted
 * @param cpuVariant  chosen libggml-cpu-* variant (e.g. zen4, haswell)
 * @param backends    registered ggml backends
 * @param devices     ggml devices ("name: description")
 * @param systemInfo  {@code llama_print_system_info()}
 * @param loadMillis  time to extract/verify/load the libraries
 */
public record EngineProbe(boolean loaded, String error, String llamaRelease, String llamaVersion, String npmPackage,
                          String cacheDir, String libraryDir, String cpuVariant, List<String> backends,
                          List<String> devices, String systemInfo, long loadMillis) {

    /** Loads the engine in this JVM if needed; never throws (a failure is reported in {@link #error()}). */
    public static EngineProbe probe() {
        try {
            return NativeLoader.load().probe();
        } catch (RuntimeException e) {
            String release = null;
            String pkg = null;
            try {
                var p = NativeLoader.packagedProperties();
                release = p.getProperty("llama.release");
                pkg = p.getProperty("npm.package") + "@" + p.getProperty("npm.version");
            } catch (RuntimeException ignored) {
                // reported through error
            }
            return new EngineProbe(false, e.getMessage(), release, null, pkg, NativeLoader.cacheRoot().toString(),
                    null, null, List.of(), List.of(), null, 0);
        }
    }

    /** Human-readable lines for doctor output. */
    public List<String> describe() {
        if (!loaded) {
            return List.of("engine: NOT loaded: " + error, "cache dir: " + cacheDir);
        }
        return List.of("engine: llama.cpp " + llamaRelease + " (" + llamaVersion + ") from " + npmPackage,
                "CPU backend variant: " + cpuVariant,
                "devices: " + String.join(", ", devices),
                "native libraries: " + libraryDir,
                "cache dir: " + cacheDir,
                "system info: " + systemInfo);
    }
}
