package dev.mcpforge.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What forge:train was asked to do (immutable; built by the Mojo or a test).
 *
 * @param forgeDir      target/forge
 * @param projectDir    the project base directory (paths in state.json are relative to it)
 * @param cleanData     data/train_clean.jsonl
 * @param toolsFile     tools.json (tool descriptions are rendered into every sample, as at inference)
 * @param baseModel     "tiny", a GGUF path, or "hf:owner/repo/file.gguf"
 * @param profile       training profile
 * @param overrides     single-value overrides of the profile
 * @param memoryLimit   bytes the training may use (null: MemAvailable)
 * @param force         retrain even when up to date
 * @param cacheDir      cache root for downloaded models and native libraries (null: default)
 * @param workerJvmArgs extra JVM options of the worker
 * @param testExitAtStep test hook: the first worker halts at this optimizer step (-1: off)
 * @param testExitCode  exit code of that halt (137 = what the out-of-memory killer leaves)
 */
public record TrainingRequest(Path forgeDir, Path projectDir, Path cleanData, Path toolsFile, String baseModel,
                              TrainProfile profile, TrainSettings.Overrides overrides, Long memoryLimit, boolean force,
                              Path cacheDir, List<String> workerJvmArgs, long testExitAtStep, int testExitCode) {
    public TrainingRequest {
        workerJvmArgs = List.copyOf(workerJvmArgs);
    }

    public static TrainingRequest of(Path forgeDir, Path projectDir, String baseModel, TrainProfile profile,
                                     TrainSettings.Overrides overrides) {
        return new TrainingRequest(forgeDir, projectDir, forgeDir.resolve("data/train_clean.jsonl"),
                forgeDir.resolve("tools.json"), baseModel, profile, overrides, null, false, null, List.of(), -1, 137);
    }

    public TrainingRequest withMemoryLimit(Long limit) {
        return new TrainingRequest(forgeDir, projectDir, cleanData, toolsFile, baseModel, profile, overrides, limit, force,
                cacheDir, workerJvmArgs, testExitAtStep, testExitCode);
    }

    public TrainingRequest withTestExit(long atStep, int code) {
        return new TrainingRequest(forgeDir, projectDir, cleanData, toolsFile, baseModel, profile, overrides, memoryLimit,
                force, cacheDir, workerJvmArgs, atStep, code);
    }

    public TrainingRequest withForce(boolean f) {
        return new TrainingRequest(forgeDir, projectDir, cleanData, toolsFile, baseModel, profile, overrides, memoryLimit,
                f, cacheDir, workerJvmArgs, testExitAtStep, testExitCode);
    }
}
