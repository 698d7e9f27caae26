package dev.mcpforge.qa;

import dev.mcpforge.data.GenerateService;
import dev.mcpforge.data.NearDuplicates;
import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.data.SchemaValidator;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.Toolset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code forge:qa} as a plain service: streams a JSONL dataset through {@link SampleChecker} and the near-duplicate
 * index, writes the clean samples, tops up tools under the coverage minimum through a {@link TopUp} (the seed's
 * "generate more for that tool"), writes {@code qc.json} and {@code qc.md} and decides the gate. Reports are written
 * before the gate decides; the caller turns a failed gate into a build failure.
 */
public final class QaService {

    private static final Logger LOG = LoggerFactory.getLogger(QaService.class);
    private static final int TOP_UP_ROUNDS = 3;

    /** Supplies more samples for a tool that is under the coverage minimum. */
    @FunctionalInterface
    public interface TopUp {
        List<Sample> more(String tool, int count, int round) throws IOException;
    }

    private final TopUp topUp;

    public QaService(TopUp topUp) {
        this.topUp = topUp;
    }

    public QaService() {
        this(null);
    }

    public QcReport run(QaRequest req) throws IOException {
        Toolset toolset = GenerateService.readTools(req.toolsFile());
        if (!Files.isRegularFile(req.dataFile())) {
            throw new IllegalArgumentException("dataset " + req.dataFile() + " does not exist: run forge:generate first"
                    + " or point -Dforge.data at a JSONL file");
        }
        QcReport report = new QcReport(toolset.names());
        report.schemaPassThreshold = req.schemaPassThreshold();
        report.minPassRate = req.minPassRate();
        report.minSamplesPerTool = req.minSamplesPerTool();
        SampleChecker checker = new SampleChecker(toolset, new SchemaValidator(), req.fix(), req.maxChars());
        NearDuplicates dedup = new NearDuplicates(req.dedupThreshold());
        long start = System.nanoTime();
        try (SampleJsonl.Writer clean = new SampleJsonl.Writer(req.cleanFile())) {
            SampleJsonl.read(req.dataFile(), new SampleJsonl.Handler() {
                @Override
                public void sample(long line, Sample sample) {
                    report.totalSamples++;
                    accept(report, checker, dedup, clean, line, sample);
                }

                @Override
                public void error(SampleJsonl.LineError error) {
                    report.totalSamples++;
                    report.drop(error.line(), null, "json_parse".equals(error.kind()) ? DropReason.JSON_PARSE
                            : DropReason.STRUCTURE, error.message() + (error.excerpt().isEmpty() ? ""
                            : " [" + error.excerpt() + "]"));
                }
            });
            if (topUp != null) {
                topUp(req, report, checker, dedup, clean);
            }
        }
        gate(req, toolset, report);
        Files.createDirectories(req.reportDir());
        Files.writeString(req.reportDir().resolve("qc.json"), Json.PRETTY.writeValueAsString(report.toJson()) + "\n");
        Files.writeString(req.reportDir().resolve("qc.md"), report.toMarkdown());
        report.consoleLines().forEach(l -> LOG.info("{}", l));
        LOG.info("QA of {} samples took {} ms; clean data: {}; reports: {}", report.totalSamples,
                (System.nanoTime() - start) / 1_000_000, req.cleanFile(), req.reportDir());
        return report;
    }

    private static void accept(QcReport report, SampleChecker checker, NearDuplicates dedup,
                               SampleJsonl.Writer clean, long line, Sample sample) {
        SampleChecker.Outcome o = checker.check(sample);
        if (o.schemaChecked()) {
            report.schemaChecked++;
            if (o.schemaPassed()) {
                report.schemaPassed++;
            }
        }
        if (!o.valid()) {
            report.drop(line, sample.id(), o.reason(), o.message());
            return;
        }
        report.dedupChecked++;
        if (!dedup.add(o.sample().userText())) {
            report.duplicates++;
            report.drop(line, sample.id(), DropReason.DUPLICATE, "user text near-duplicates an earlier sample: \""
                    + abbreviate(o.sample().userText()) + "\"");
            return;
        }
        if (!o.repairs().isEmpty()) {
            report.repairedSamples++;
            o.repairs().forEach((k, v) -> report.repaired.merge(k, (long) v, Long::sum));
        }
        report.validSamples++;
        Sample s = o.sample();
        if (s.toolName() != null) {
            report.toolCoverage.merge(s.toolName(), 1L, Long::sum);
        }
        report.scenarioCoverage.merge(s.scenario(), 1L, Long::sum);
        try {
            clean.write(s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void topUp(QaRequest req, QcReport report, SampleChecker checker, NearDuplicates dedup,
                       SampleJsonl.Writer clean) throws IOException {
        for (int round = 1; round <= TOP_UP_ROUNDS; round++) {
            boolean any = false;
            for (Map.Entry<String, Long> e : new ArrayList<>(report.toolCoverage.entrySet())) {
                long missing = req.minSamplesPerTool() - e.getValue();
                if (missing <= 0) {
                    continue;
                }
                any = true;
                LOG.info("Tool {} has {} samples (min {}): generating {} more (round {})", e.getKey(), e.getValue(),
                        req.minSamplesPerTool(), missing, round);
                long before = report.validSamples;
                for (Sample s : topUp.more(e.getKey(), (int) missing, round)) {
                    accept(report, checker, dedup, clean, 0, s);
                }
                report.toppedUp += report.validSamples - before;
            }
            if (!any) {
                return;
            }
        }
    }

    private static void gate(QaRequest req, Toolset toolset, QcReport report) throws IOException {
        List<String> f = report.gateFailures;
        if (report.totalSamples == 0) {
            f.add("empty_dataset: " + req.dataFile() + " contains no samples");
        }
        if (req.planFile() != null && Files.isRegularFile(req.planFile())) {
            JsonNode plan = Json.MAPPER.readTree(Files.readString(req.planFile()));
            String planned = plan.path("toolset_hash").isString() ? plan.get("toolset_hash").asString() : null;
            if (planned != null && !planned.equals(toolset.hash())) {
                f.add("toolset_mismatch: the dataset was generated for toolset " + planned + " (" + req.planFile()
                        + ") but tools.json now hashes to " + toolset.hash()
                        + "; the tools changed since forge:generate: run forge:generate again");
            }
        }
        long unknown = report.droppedByReason.get(DropReason.UNKNOWN_TOOL.id());
        if (report.schemaChecked + unknown > 0 && unknown * 2 >= report.schemaChecked + unknown && unknown > 0) {
            f.add("toolset_mismatch: " + unknown + " samples call tools that are not in " + req.toolsFile()
                    + "; this dataset was probably made for a different toolset: regenerate it with forge:generate"
                    + " or point -Dforge.tools at the tools.json it was made for");
        }
        if (report.schemaPassRate() < req.schemaPassThreshold()) {
            f.add(String.format(Locale.ROOT, "schema_pass_rate: %s < threshold %s (%d of %d samples with calls failed:"
                            + " schema_violation %d, missing_required %d, unexpected_param %d)",
                    QcReport.pct(report.schemaPassRate()), QcReport.pct(req.schemaPassThreshold()),
                    report.schemaChecked - report.schemaPassed, report.schemaChecked,
                    report.droppedByReason.get("schema_violation"), report.droppedByReason.get("missing_required"),
                    report.droppedByReason.get("unexpected_param")));
        }
        if (report.totalSamples > 0 && report.passRate() < req.minPassRate()) {
            StringBuilder why = new StringBuilder();
            report.droppedByReason.forEach((k, v) -> {
                if (v > 0) {
                    why.append(why.isEmpty() ? "" : ", ").append(k).append(' ').append(v);
                }
            });
            f.add(String.format(Locale.ROOT, "pass_rate: %s of samples valid after repair < forge.qa.minPassRate %s"
                            + " (%d dropped: %s)", QcReport.pct(report.passRate()), QcReport.pct(req.minPassRate()),
                    report.droppedSamples(), why));
        }
        List<String> low = new ArrayList<>();
        report.toolCoverage.forEach((k, v) -> {
            if (v < req.minSamplesPerTool()) {
                low.add(k + " (" + v + ")");
            }
        });
        if (!low.isEmpty()) {
            f.add("tool_coverage: " + low.size() + " tool(s) under forge.qa.minSamplesPerTool=" + req.minSamplesPerTool()
                    + ": " + String.join(", ", low.subList(0, Math.min(10, low.size())))
                    + (low.size() > 10 ? ", …" : "") + "; raise forge.samples or the tools' weights");
        }
        if (report.validSamples >= 50) {
            for (String sc : List.of("standard", "no_tool")) {
                if (report.scenarioCoverage.getOrDefault(sc, 0L) == 0) {
                    f.add("scenario_coverage: no valid '" + sc + "' samples; the model needs "
                            + (sc.equals("no_tool") ? "no-tool samples to learn when not to call a tool"
                            : "standard tool-call samples"));
                }
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
