package dev.mcpforge.data;

import dev.mcpforge.data.teacher.TeacherConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@code forge:generate} needs, as one immutable value.
 *
 * @param toolsFile   tools.json ({@code forge.tools})
 * @param trainFile   where train.jsonl goes
 * @param evalFile    where eval.jsonl goes
 * @param planFile    where synthesis_plan.json goes
 * @param samples     training samples ({@code forge.samples})
 * @param evalRatio   eval samples as a share of {@code samples} ({@code forge.evalRatio})
 * @param seed        random seed ({@code forge.seed})
 * @param weights     scenario weights
 * @param toolWeights per-tool weight overrides (may be empty)
 * @param teacher     {@code offline} or {@code openai}
 * @param teacherConfig teacher endpoint settings (used when teacher is openai; may be null otherwise)
 */
public record GenerateRequest(Path toolsFile, Path trainFile, Path evalFile, Path planFile, int samples,
                              double evalRatio, long seed, ScenarioWeights weights, Map<String, Double> toolWeights,
                              String teacher, TeacherConfig teacherConfig) {

    public GenerateRequest {
        Objects.requireNonNull(toolsFile, "toolsFile");
        Objects.requireNonNull(trainFile, "trainFile");
        Objects.requireNonNull(evalFile, "evalFile");
        Objects.requireNonNull(planFile, "planFile");
        toolWeights = toolWeights == null ? Map.of() : Map.copyOf(toolWeights);
        teacher = teacher == null ? "offline" : teacher;
        weights = weights == null ? ScenarioWeights.DEFAULT : weights;
        if (!(evalRatio >= 0 && evalRatio < 1)) {
            throw new IllegalArgumentException("forge.evalRatio must be in [0, 1), got " + evalRatio);
        }
    }

    /** Standard layout under {@code target/forge}: data/train.jsonl, data/eval.jsonl, synthesis_plan.json. */
    public static GenerateRequest under(Path forgeDir, Path toolsFile, int samples, double evalRatio, long seed,
                                        ScenarioWeights weights) {
        return new GenerateRequest(toolsFile, forgeDir.resolve("data/train.jsonl"), forgeDir.resolve("data/eval.jsonl"),
                forgeDir.resolve("synthesis_plan.json"), samples, evalRatio, seed, weights, Map.of(), "offline", null);
    }
}
