package dev.mcpforge.pipeline;

import dev.mcpforge.engine.worker.WorkerClient;

/**
 * Whether the native engine (forge-native: llama.cpp through JNA) loads on this machine, for {@code forge:doctor}.
 * The probe runs in the engine's worker JVM, as all native work does, so a native crash is reported, not suffered.
 */
public final class EngineProbe {

    private EngineProbe() {
    }

    /**
     * What the doctor prints for the engine.
     *
     * @param loaded  true when the native libraries loaded
     * @param summary one line: version, backend variant, library path; or why it did not load
     */
    public record Status(boolean loaded, String summary) {
    }

    public static Status probe() {
        try (WorkerClient w = WorkerClient.start(WorkerClient.Options.defaults())) {
            dev.mcpforge.engine.EngineProbe p = w.probe();
            if (!p.loaded()) {
                return new Status(false, "does not load: " + p.error() + " (native cache: " + p.cacheDir()
                        + "; delete it to force re-extraction, or run with -Dforge.nativeLog=debug)");
            }
            return new Status(true, "llama.cpp " + p.llamaRelease() + " (" + p.llamaVersion() + ") from "
                    + p.npmPackage() + ", CPU variant " + p.cpuVariant() + ", libraries in " + p.libraryDir());
        } catch (RuntimeException e) {
            return new Status(false, "the engine worker failed: " + e.getMessage());
        }
    }
}
