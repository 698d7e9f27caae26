package dev.mcpforge.engine.llama;

import com.sun.jna.Pointer;
import dev.mcpforge.engine.EngineException;
import dev.mcpforge.engine.NativeEngine;
import dev.mcpforge.engine.NativeLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A loaded GGUF model ({@code llama_model*}); frees it on close. */
public final class Model implements AutoCloseable {
    private final NativeEngine engine;
    private final LlamaLibrary l;
    private final Path path;
    private Pointer handle;
    private final Vocab vocab;

    private Model(NativeEngine engine, Path path, Pointer handle) {
        this.engine = engine;
        this.l = engine.llama();
        this.path = path;
        this.handle = handle;
        this.vocab = new Vocab(l, l.llama_model_get_vocab(handle));
    }

    /** Loads with default parameters on the CPU, reading the file into memory (no mmap). */
    public static Model load(Path path) {
        return load(NativeLoader.load(), path, false);
    }

    /**
     * Loads a GGUF file. {@code vocabOnly} loads only the tokenizer. Throws {@link EngineException} naming the file
     * when it is missing ({@code MODEL_NOT_FOUND}) or unreadable by llama.cpp ({@code MODEL_INVALID}).
     */
    public static Model load(NativeEngine engine, Path path, boolean vocabOnly) {
        checkGgufFile(path);
        LlamaLibrary l = engine.llama();
        LlamaModelParams.ByValue p = l.llama_model_default_params();
        p.n_gpu_layers = 0;
        p.load_mode = LlamaModelParams.LOAD_MODE_NONE;
        p.vocab_only = (byte) (vocabOnly ? 1 : 0);
        dev.mcpforge.engine.NativeLogAccess.clearRecent();
        Pointer h = l.llama_model_load_from_file(path.toAbsolutePath().toString(), p);
        if (h == null) {
            throw new EngineException(EngineException.Kind.MODEL_INVALID, "llama.cpp could not load the model " + path
                    + ": " + dev.mcpforge.engine.NativeLogAccess.recentSummary("the file is truncated, corrupt or of an "
                    + "unsupported architecture") + ". Rebuild or re-download the GGUF file.");
        }
        return new Model(engine, path, h);
    }

    /** Fails with a clear message unless {@code path} is a readable file starting with the GGUF magic. */
    public static void checkGgufFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new EngineException(EngineException.Kind.MODEL_NOT_FOUND, "Model file " + path.toAbsolutePath()
                    + " does not exist. Build or train the model first, or point -Dforge.model at a GGUF file.");
        }
        byte[] magic = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(magic, 0, 4);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.MODEL_INVALID, "Cannot read model file " + path + ": " + e.getMessage(), e);
        }
        if (n < 4 || !"GGUF".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
            throw new EngineException(EngineException.Kind.MODEL_INVALID, "Model file " + path.toAbsolutePath()
                    + " is not a GGUF file (it does not start with the GGUF magic" + (n < 4 ? "; it is only " + n
                    + " bytes long" : "") + "). Point -Dforge.model at a .gguf model.");
        }
    }

    public Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException("model " + path + " is closed");
        }
        return handle;
    }

    public NativeEngine engine() {
        return engine;
    }

    public Path path() {
        return path;
    }

    public Vocab vocab() {
        return vocab;
    }

    public long nParams() {
        return l.llama_model_n_params(handle());
    }

    public int nCtxTrain() {
        return l.llama_model_n_ctx_train(handle());
    }

    public int nEmbd() {
        return l.llama_model_n_embd(handle());
    }

    public int nLayer() {
        return l.llama_model_n_layer(handle());
    }

    /** Size of the weights in bytes. */
    public long sizeBytes() {
        return l.llama_model_size(handle());
    }

    /** e.g. "llama ?B all F32". */
    public String description() {
        byte[] buf = new byte[256];
        int n = l.llama_model_desc(handle(), buf, buf.length);
        return new String(buf, 0, Math.max(0, Math.min(n, buf.length - 1)), StandardCharsets.UTF_8);
    }

    /** The default chat template ({@code tokenizer.chat_template}) or null. */
    public String chatTemplate() {
        return l.llama_model_chat_template(handle(), null);
    }

    /** One metadata value as a string, or null when the key is absent. */
    public String meta(String key) {
        byte[] buf = new byte[1024];
        int n = l.llama_model_meta_val_str(handle(), key, buf, buf.length);
        if (n < 0) {
            return null;
        }
        if (n >= buf.length) {
            buf = new byte[n + 1];
            n = l.llama_model_meta_val_str(handle(), key, buf, buf.length);
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** All metadata as strings (arrays are summarised by llama.cpp), in file order. */
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        int count = l.llama_model_meta_count(handle());
        for (int i = 0; i < count; i++) {
            out.put(str(i, true), str(i, false));
        }
        return out;
    }

    private String str(int i, boolean key) {
        byte[] buf = new byte[256];
        int n = key ? l.llama_model_meta_key_by_index(handle, i, buf, buf.length)
                : l.llama_model_meta_val_str_by_index(handle, i, buf, buf.length);
        if (n >= buf.length) {
            buf = new byte[n + 1];
            n = key ? l.llama_model_meta_key_by_index(handle, i, buf, buf.length)
                    : l.llama_model_meta_val_str_by_index(handle, i, buf, buf.length);
        }
        return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (handle != null) {
            l.llama_model_free(handle);
            handle = null;
        }
    }
}
