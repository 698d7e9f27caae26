/**
 * The pipeline: stage services ({@link dev.mcpforge.pipeline.InspectService}, doctor, status) and the stage
 * state every goal uses to skip up-to-date work.
 * <p>
 * How a later goal (generate, qa, train, ...) uses the state, as {@code InspectService} does:
 * <pre>{@code
 * PipelineState state = PipelineState.load(forgeDir, baseDir);
 * String inputHash = Fingerprint.builder()
 *         .file("tools", toolsJson).file("plan", planFile)           // every input file, by content
 *         .config("pluginVersion", pluginVersion).config("samples", 500) // every setting that changes the output
 *         .build();
 * PipelineState.Decision d = state.check("generate", inputHash, force);  // force = -Dforge.force
 * if (d.upToDate()) { log.info("forge:generate is {}", d.reason()); return; }
 * ... do the work, writing outputs with AtomicFiles ...
 * state.record("generate", inputHash, List.of(trainJsonl, evalJsonl), Map.of("samples", "500"));
 * }</pre>
 * A stage is up to date when its fingerprint equals the recorded one and every recorded output is present with
 * the recorded sha256. Services here never import Maven types; the Mojos in {@code dev.mcpforge.maven} only turn
 * parameters into requests.
 */
package dev.mcpforge.pipeline;
