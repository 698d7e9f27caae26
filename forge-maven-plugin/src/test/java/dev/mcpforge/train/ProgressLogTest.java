package dev.mcpforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpforge.eval.BenchmarkService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress log writes the per-step loss log that forge:benchmark reads for its loss curve. */
class ProgressLogTest {
    private static final TrainSettings S = TrainSettings.resolve(TrainProfile.FAST_DEV, "tiny",
            TrainSettings.Overrides.none());

    private static String step(int epoch, long step, double loss) {
        return "{\"event\":\"step\",\"epoch\":" + epoch + ",\"epochs\":2,\"step\":" + step + ",\"totalSteps\":4,"
                + "\"trainLoss\":" + loss + ",\"trainAccuracy\":0.5,\"learningRate\":1e-3,\"tokensPerSecond\":100}";
    }

    @Test
    void writesStepLossesThatTheBenchmarkReads(@TempDir Path dir) throws Exception {
        Path log = dir.resolve(TrainService.LOSS_LOG);
        Files.writeString(log, "{\"step\":99,\"loss\":9.0}\n"); // left over from an earlier run
        TrainService.ProgressLog p = new TrainService.ProgressLog(S, log, 0);
        p.accept(step(1, 1, 7.5));
        p.accept("{\"event\":\"info\",\"message\":\"hello\"}");
        p.accept(step(1, 2, 6.25));
        p.accept("{\"event\":\"step\",\"epoch\":1,\"epochs\":2,\"step\":3,\"totalSteps\":4}"); // no loss: not logged
        assertEquals(List.of(new BenchmarkService.LossPoint(1, 7.5), new BenchmarkService.LossPoint(2, 6.25)),
                BenchmarkService.readLoss(log));

        // killed in epoch 2: a resumed run keeps epoch 1's curve and logs epoch 2 again
        p.accept(step(2, 3, 5.5));
        Files.writeString(log, "{\"step\":4,\"ep", java.nio.file.StandardOpenOption.APPEND); // torn last line
        TrainService.ProgressLog resumed = new TrainService.ProgressLog(S, log, 1);
        resumed.accept(step(2, 3, 5.0));
        assertEquals(List.of(new BenchmarkService.LossPoint(1, 7.5), new BenchmarkService.LossPoint(2, 6.25),
                new BenchmarkService.LossPoint(3, 5.0)), BenchmarkService.readLoss(log));
    }

    @Test
    void theEpochLineShowsTheHeldOutToolChoiceWhenMeasured() {
        assertEquals(", tool choice 71.9 % (41 of 57 held-out calls)", TrainService.ProgressLog.toolChoice(
                dev.mcpforge.tools.Json.MAPPER.readTree("{\"evalToolChoice\":0.7192982456,\"evalToolCalls\":57}")));
        assertEquals("", TrainService.ProgressLog.toolChoice(dev.mcpforge.tools.Json.MAPPER.readTree("{\"evalLoss\":1}")));
        assertEquals(", turn decision 88.2 % (120 of 136 held-out turns)", TrainService.ProgressLog.turnDecision(
                dev.mcpforge.tools.Json.MAPPER.readTree("{\"evalTurnDecision\":0.8823529412,\"evalTurns\":136}")));
        assertEquals("", TrainService.ProgressLog.turnDecision(dev.mcpforge.tools.Json.MAPPER.readTree("{\"evalTurns\":0}")));
    }
}
