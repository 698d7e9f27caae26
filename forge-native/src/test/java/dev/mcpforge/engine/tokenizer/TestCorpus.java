package dev.mcpforge.engine.tokenizer;

import java.util.Random;

/** A small deterministic ChatML tool-calling corpus for tests. */
public final class TestCorpus {
    private TestCorpus() {
    }

    public static String chatml(int conversations) {
        String[] files = {"/tmp/notes.txt", "/home/user/report.md", "src/main/App.java", "README.md", "data/config.json"};
        String[] asks = {"Please read the file %s", "What is in %s?", "Show me %s", "Open %s and tell me what it says"};
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < conversations; i++) {
            String f = files[r.nextInt(files.length)];
            sb.append("<|im_start|>system\nYou are a helpful assistant with file tools.<|im_end|>\n");
            sb.append("<|im_start|>user\n").append(String.format(asks[r.nextInt(asks.length)], f)).append("<|im_end|>\n");
            if (r.nextInt(4) == 0) {
                sb.append("<|im_start|>assistant\nHello! I can help you with your files. Just ask.<|im_end|>\n");
            } else {
                sb.append("<|im_start|>assistant\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"")
                        .append(f).append("\"}}\n</tool_call><|im_end|>\n");
                sb.append("<|im_start|>user\n<tool_response>\nThe file contains ").append(r.nextInt(1000))
                        .append(" lines of text.\n</tool_response><|im_end|>\n");
            }
        }
        return sb.toString();
    }
}
