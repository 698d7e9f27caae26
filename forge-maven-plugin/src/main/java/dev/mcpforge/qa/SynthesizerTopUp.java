package dev.mcpforge.qa;

import dev.mcpforge.data.NearDuplicates;
import dev.mcpforge.data.OfflineSynthesizer;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.Scenario;
import dev.mcpforge.data.SchemaValidator;
import dev.mcpforge.data.SynthesisPlan;
import dev.mcpforge.tools.Toolset;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "generate more for that tool": asks the offline synthesizer for standard samples of one tool.
 * Deterministic for a seed; ids are {@code topup-<tool>-<round>-<n>}.
 */
public final class SynthesizerTopUp implements QaService.TopUp {

    private final OfflineSynthesizer synth;
    private final long seed;

    public SynthesizerTopUp(Toolset toolset, long seed) {
        this.synth = new OfflineSynthesizer(toolset, null, new SchemaValidator());
        this.seed = seed;
    }

    @Override
    public List<Sample> more(String tool, int count, int round) {
        List<Sample> out = new ArrayList<>();
        long base = NearDuplicates.mix(seed ^ tool.hashCode() * 0x9E3779B97F4A7C15L ^ round);
        // ask for a few more than missing: some may be duplicates of existing samples
        int want = count + Math.max(2, count / 2);
        for (int i = 0; i < want; i++) {
            Sample s = synth.generate(new SynthesisPlan.Slot(Scenario.STANDARD, tool),
                    "topup-" + tool + "-" + round + "-" + (i + 1), base + i, null, false);
            if (s != null) {
                out.add(s.withId("topup-" + tool + "-" + round + "-" + (i + 1)));
            }
        }
        return out;
    }
}
