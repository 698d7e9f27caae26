package dev.mcpforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.engine.chat.ChatFormat;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;
import dev.mcpforge.tools.stub.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** benchmark.html opens in headless Chromium (Debian package {@code chromium}) and the screenshot shows the charts. */
class BenchmarkHtmlRenderTest {
    @TempDir
    Path dir;

    static Path chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        fail("headless Chromium is required to check that benchmark.html renders: install the Debian package "
                + "'chromium' (apt-get install chromium)");
        return null;
    }

    @Test
    void pageRendersWithCharts() throws Exception {
        Path browser = chromium();
        LoopedValidatorTest.Crafted c = LoopedValidatorTest.crafted();
        Path eval = dir.resolve("eval.jsonl");
        SampleJsonl.write(eval, c.samples);
        Path tools = dir.resolve("tools.json");
        Toolset.fromJson(Json.MAPPER.readTree(LoopedValidatorTest.TOOLS_JSON), "t").write(tools);
        Path fx = dir.resolve("fx.jsonl");
        new Fixtures().write(fx);
        Path loss = dir.resolve("loss.jsonl");
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            l.append("{\"step\": ").append(i * 10).append(", \"loss\": ").append(3.0 * Math.exp(-i / 12.0) + 0.2).append("}\n");
        }
        Files.writeString(loss, l.toString());
        ValidationRequest req = new ValidationRequest(eval, tools, null, fx, 0, 1, new ModelBackend.Options(64, false, 0f, 1),
                Thresholds.SEED, dir.resolve("reports"), null);
        BenchmarkService.Result r = new BenchmarkService().run(req,
                () -> ScriptedBackend.of(ChatFormat.chatml(), c.replies).named("tuned.gguf"),
                () -> new ScriptedBackend(ChatFormat.chatml(), (p, t) -> "No idea.").named("base.gguf"), loss);
        assertTrue(r.table().contains("Per-Tool Results:") && r.table().contains("vs Baseline: +"), r.table());

        Path png = dir.resolve("shot.png");
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1000,1800", "--screenshot=" + png, r.html().toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s: " + Files.readString(dir.resolve("chromium.log")));
        }
        assertTrue(Files.isRegularFile(png), "no screenshot; chromium said: " + Files.readString(dir.resolve("chromium.log")));
        // kept for a person to look at (CI artifact)
        Path keep = Path.of("target", "benchmark-html-screenshot.png");
        Files.createDirectories(keep.getParent());
        Files.copy(png, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1000, img.getWidth());
        int tuned = 0;
        int base = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                if (near(rgb, 0x2b6cb0)) {
                    tuned++;
                }
                if (near(rgb, 0xa0aec0)) {
                    base++;
                }
            }
        }
        // bars and the loss curve are drawn: thousands of pixels in each series colour
        assertTrue(tuned > 5000, "fine-tuned bars/curve pixels: " + tuned);
        assertTrue(base > 500, "baseline bar pixels: " + base);
    }

    private static boolean near(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) > 6) {
                return false;
            }
        }
        return true;
    }
}
