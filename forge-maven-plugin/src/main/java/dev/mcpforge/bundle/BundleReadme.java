package dev.mcpforge.bundle;

import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.tools.ToolDefinition;
import dev.mcpforge.tools.Toolset;
import tools.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;

/** The bundle's README.md: what the agent does, its tools, its measured metrics, how to run it. */
final class BundleReadme {

    private BundleReadme() {
    }

    static String render(BundleRequest req, Toolset toolset, Map<String, JsonNode> reports, GgufFile gguf,
                         int smokeTests, int context, String license, PromptFormat format) {
        String n = req.name();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(n).append(' ').append(req.version()).append("\n\n");
        if (req.description() != null && !req.description().isBlank()) {
            sb.append(req.description().strip()).append("\n\n");
        }
        sb.append("A local tool-calling model for the ").append(toolset.tools().size())
                .append(" tools of `").append(cell(toolset.source())).append("`, built by MCP-Forge. It reads a ")
                .append("request, decides whether a tool is needed, and answers with `<tool_call>` blocks ")
                .append("(ChatML with Hermes-style tool calls) that your MCP client executes.\n\n");
        if (format == PromptFormat.CHATML_HERMES_NAMES) {
            sb.append("Tool prompt: the model expects the tools listed by name only (`").append(format.id())
                    .append("`: one name per line in the system turn, no schemas; it learned each tool's arguments in ")
                    .append("training). Pass `tools` as usual to llama.cpp's OpenAI-compatible server or Ollama: ")
                    .append("the chat template renders their names.\n\n");
        } else if (format == PromptFormat.CHATML_HERMES_IMPLICIT) {
            sb.append("Tool prompt: the model knows its tools from training, so the system turn lists none (`")
                    .append(format.id()).append("`: the system prompt alone). Pass `tools` as usual to llama.cpp's ")
                    .append("OpenAI-compatible server or Ollama (it is what tells Ollama the model takes tools); the ")
                    .append("chat template does not render them. The model calls only the tools listed below.\n\n");
        } else {
            sb.append("Tool prompt: the model expects every tool's JSON schema in the system turn (`")
                    .append(format.id()).append("`); pass `tools` as usual, the chat template renders them.\n\n");
        }

        sb.append("## Tools\n\n| tool | description | required arguments |\n|---|---|---|\n");
        for (ToolDefinition t : toolset.tools()) {
            sb.append("| `").append(t.name()).append("` | ").append(cell(t.description())).append(" | ")
                    .append(t.requiredArguments().isEmpty() ? "-" : "`" + String.join("`, `", t.requiredArguments())
                            + "`").append(" |\n");
        }
        sb.append("\nToolset hash: `").append(toolset.hash()).append("` (`agent.yaml` `toolset.hash`; ")
                .append("`forge:verify -Dforge.server=...` compares it with the live server).\n\n");

        sb.append("## Metrics\n\n");
        if (reports.isEmpty()) {
            sb.append("No qc, training, validation or benchmark report was available when this bundle was built.\n");
        } else {
            sb.append("| report | metric | value |\n|---|---|---|\n");
            for (Map.Entry<String, JsonNode> r : reports.entrySet()) {
                for (Map.Entry<String, JsonNode> e : r.getValue().properties()) {
                    if (e.getValue().isNumber() || e.getValue().isBoolean()) {
                        sb.append("| ").append(r.getKey()).append(" | ").append(e.getKey()).append(" | ")
                                .append(e.getValue().asString()).append(" |\n");
                    }
                }
            }
        }
        sb.append("\nModel: `").append(BundleLayout.MODEL).append("`, ").append(gguf.architecture()).append(", ")
                .append(gguf.parameterCount()).append(" parameters. Smoke tests: ").append(smokeTests)
                .append(" cases in `").append(BundleLayout.SMOKE_TESTS).append("`. Licence: ").append(cell(license))
                .append(" (`general.license` in the GGUF, `license` in `agent.yaml`).\n\n");

        sb.append("## Run it with Ollama\n\n```sh\nollama create ").append(n).append(" -f Modelfile\nollama run ")
                .append(n).append("\n```\n\nThe Modelfile's template has Ollama's `.Tools` and `.ToolCalls` ")
                .append("branches, so `/api/chat` with `tools` returns structured `tool_calls`.\n\n");
        String temp = String.format(Locale.ROOT, "%s", req.temperature());
        sb.append("## Run it with llama.cpp\n\n```sh\nllama-server -m model.gguf --jinja -c ").append(context)
                .append(" --temp ").append(temp).append(" --repeat-penalty 1")
                .append("\n```\n\nThe GGUF carries the chat template (`tokenizer.chat_template`, also in ")
                .append("`prompt_template.json`); with `--jinja` the OpenAI-compatible `/v1/chat/completions` ")
                .append("accepts `tools` and returns `tool_calls`. `--temp ").append(temp)
                .append("` is the decoding the validation was measured with (`runtime` in `agent.yaml`, as in the ")
                .append("Modelfile); llama.cpp samples at 0.8 unless told.\n\n");
        sb.append("## Check it\n\n```sh\nmvn dev.mcpforge:forge-maven-plugin:verify -Dforge.bundle=.\n```\n\n")
                .append("checks every file against the sha256 in `agent.yaml`, the tool schemas, the prompt template ")
                .append("and the model file.\n");
        return sb.toString();
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip();
    }
}
