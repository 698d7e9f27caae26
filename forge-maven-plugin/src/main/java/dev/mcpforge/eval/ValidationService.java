package dev.mcpforge.eval;

import dev.mcpforge.data.Sample;
import dev.mcpforge.data.SampleJsonl;
import dev.mcpforge.engine.chat.ToolCall;
import dev.mcpforge.tools.Json;
import dev.mcpforge.tools.McpToolProvider;
import dev.mcpforge.tools.ToolException;
import dev.mcpforge.tools.ToolProvider;
import dev.mcpforge.tools.Toolset;
import dev.mcpforge.tools.stub.Fixtures;
import dev.mcpforge.tools.stub.StubToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Looped validation: loads the eval set and the tools, runs {@link LoopedValidator}, writes the reports. */
public final class ValidationService {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationService.class);

    /**
     * @throws IllegalArgumentException bad input the user must fix (missing/malformed eval set, eval set for another
     *                                  toolset, no tool source)
     * @throws ToolException            the tool source could not be started or read
     */
    public ValidationResult validate(ValidationRequest req, ModelBackend model) throws IOException, ToolException {
        Sources src = openSources(req);
        List<EvalCase> cases = loadCases(req.evalFile(), src.toolset, req.samples());
        LOG.info("Looped validation of {} on {} case(s) x {} run(s){} against {}", model.name(), cases.size(),
                req.repeats(), req.options().constrained() ? " (" + req.options().decodingLabel() + ")" : "", src.label);
        LoopedValidator v = new LoopedValidator(model, src.toolset, src.providers, req.options());
        int[] n = {0};
        int total = cases.size() * req.repeats();
        List<CaseResult> runs = v.run(cases, req.repeats(), r -> {
            n[0]++;
            LOG.info("Test {}/{}: {} \"{}\"{}", n[0], total, r.passed() ? "✓" : "✗",
                    ToolCallParser.abbreviate(r.evalCase().userText()),
                    // one line per case: a failure reason can quote many lines of model output (the report keeps it whole)
                    r.passed() ? "" : " — " + ToolCallParser.abbreviate(r.failureReason()));
        });
        Metrics m = new Metrics(runs);
        List<String> failures = m.failures(req.thresholds());
        Files.createDirectories(req.reportsDir());
        Path json = req.reportsDir().resolve(req.reportName() + ".json");
        Path md = req.reportsDir().resolve(req.reportName() + ".md");
        ValidationResult result = new ValidationResult(m, failures, model.name(), req.options().constrained(),
                req.options().decoding(), json, md,
                ValidationReport.table(m, req.thresholds()));
        ValidationReport.write(result, req, src.toolset, src.label);
        return result;
    }

    private record Sources(Toolset toolset, Supplier<ToolProvider> providers, String label) {
    }

    private static Sources openSources(ValidationRequest req) throws IOException, ToolException {
        if (req.server() != null) {
            McpToolProvider first = McpToolProvider.start(req.server());
            Toolset ts;
            try {
                ts = first.listTools();
            } catch (ToolException | RuntimeException e) {
                first.close();
                throw e;
            }
            if (req.toolsFile() != null && Files.isRegularFile(req.toolsFile())) {
                Toolset recorded = readTools(req.toolsFile());
                if (!recorded.hash().equals(ts.hash())) {
                    LOG.warn("The server's tools differ from {} (hash {} vs {}): the model was trained on the recorded "
                            + "tools; run forge:inspect again if the server changed", req.toolsFile(), ts.hash(),
                            recorded.hash());
                }
            }
            ToolProvider[] firstOne = {first};
            Supplier<ToolProvider> providers = () -> {
                if (firstOne[0] != null) {
                    ToolProvider p = firstOne[0];
                    firstOne[0] = null;
                    return p;
                }
                try {
                    return McpToolProvider.start(req.server());
                } catch (ToolException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            };
            return new Sources(ts, providers, "the MCP server " + req.server().commandLine());
        }
        if (req.stubFixtures() != null) {
            if (req.toolsFile() == null || !Files.isRegularFile(req.toolsFile())) {
                throw new IllegalArgumentException("The stub needs the tools file: " + req.toolsFile()
                        + " does not exist. Run forge:inspect first or set -Dforge.tools=<tools.json>.");
            }
            Toolset ts = readTools(req.toolsFile());
            Fixtures fx = Fixtures.load(req.stubFixtures());
            return new Sources(ts, () -> new StubToolProvider(ts, fx), "the stub (" + req.stubFixtures().getFileName()
                    + ", " + fx.size() + " fixtures)");
        }
        throw new IllegalArgumentException("Looped validation executes the model's calls: set -Dforge.server=\"<command>\""
                + " (the live MCP server) or -Dforge.stub=<fixtures.jsonl> (the deterministic stub, with tools.json).");
    }

    static Toolset readTools(Path file) throws IOException {
        try {
            return Toolset.fromJson(Json.MAPPER.readTree(Files.readString(file)), file.toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot read the tools file " + file + ": " + e.getMessage()
                    + ". Run forge:inspect to write it again.", e);
        }
    }

    /** Reads the eval set, checks it against the toolset and picks {@code samples} cases round-robin by scenario. */
    public static List<EvalCase> loadCases(Path evalFile, Toolset toolset, int samples) throws IOException {
        if (evalFile == null || !Files.isRegularFile(evalFile)) {
            throw new IllegalArgumentException("No eval set at " + evalFile + ": run forge:generate (it writes "
                    + "data/eval.jsonl) or set -Dforge.eval=<cases.jsonl> (JSONL in the sample format).");
        }
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> samplesRead = SampleJsonl.readAll(evalFile, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("The eval set " + evalFile + " has " + errors.size() + " bad line(s), "
                    + "first: " + errors.get(0) + ". Fix or remove them (format: one sample per line).");
        }
        if (samplesRead.isEmpty()) {
            throw new IllegalArgumentException("The eval set " + evalFile + " is empty.");
        }
        List<EvalCase> all = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        for (Sample s : samplesRead) {
            EvalCase c = EvalCase.of(s);
            for (ToolCall call : c.expected()) {
                if (toolset.find(call.name()).isEmpty()) {
                    unknown.add(call.name());
                }
            }
            all.add(c);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("The eval set " + evalFile + " expects calls of tools the server does not "
                    + "have: " + unknown + " (the server has " + toolset.names() + "). It was made for another toolset: "
                    + "run forge:generate again for these tools, or point -Dforge.eval at the right file.");
        }
        if (samples <= 0 || samples >= all.size()) {
            return all;
        }
        Map<String, List<EvalCase>> byScenario = new LinkedHashMap<>();
        all.forEach(c -> byScenario.computeIfAbsent(c.scenario(), k -> new ArrayList<>()).add(c));
        Set<EvalCase> picked = new LinkedHashSet<>();
        for (int i = 0; picked.size() < samples; i++) {
            for (List<EvalCase> l : byScenario.values()) {
                if (i < l.size() && picked.size() < samples) {
                    picked.add(l.get(i));
                }
            }
        }
        List<EvalCase> out = new ArrayList<>(all);
        out.retainAll(picked);
        return out;
    }

    static String pct(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * d);
    }
}
