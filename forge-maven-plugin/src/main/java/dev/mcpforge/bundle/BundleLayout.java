package dev.mcpforge.bundle;

import java.util.List;

/** File names inside a bundle and the manifest format version this build writes and reads. */
public final class BundleLayout {

    /**
     * Version of the bundle layout and of {@code agent.yaml}'s schema. A reader refuses bundles with a higher
     * number (written by a newer MCP-Forge) instead of misreading them.
     */
    public static final int FORMAT_VERSION = 1;

    public static final String MODEL = "model.gguf";
    public static final String TOOLS = "tools.json";
    public static final String PROMPT_TEMPLATE = "prompt_template.json";
    public static final String MANIFEST = "agent.yaml";
    public static final String SMOKE_TESTS = "tests/validation.json";
    public static final String README = "README.md";
    public static final String MODELFILE = "Modelfile";

    /** Every file of a bundle, sorted as in the zip; all but {@link #MANIFEST} are hashed in the manifest. */
    public static final List<String> FILES = List.of(MODELFILE, README, MANIFEST, MODEL, PROMPT_TEMPLATE,
            SMOKE_TESTS, TOOLS);

    /**
     * GGUF metadata keys {@link #MODEL} must carry (forge:bundle stamps them; llama.cpp's model saver drops them):
     * the chat template the model was trained on, so llama.cpp and Ollama prompt it right, and its licence.
     */
    public static final List<String> MODEL_KEYS = List.of("tokenizer.chat_template", "general.license");

    private BundleLayout() {
    }
}
