package dev.mcpforge.engine.graph;

import dev.mcpforge.engine.gguf.GgmlType;
import dev.mcpforge.engine.gguf.GgufException;
import dev.mcpforge.engine.gguf.GgufFile;
import dev.mcpforge.engine.gguf.GgufReader;
import dev.mcpforge.engine.gguf.GgufTensorInfo;
import dev.mcpforge.engine.gguf.GgufWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The AdamW state of a {@link GraphSession} in a checkpoint: a GGUF file (the project's own {@link GgufWriter} and
 * {@link GgufReader}, so the tensors stream from and to the backend in chunks and the file is inspectable with any GGUF
 * tool) holding, for every trained tensor in the order of the trainable list, its first moment
 * {@code adam_m.<name>} and second moment {@code adam_v.<name>} (F32, the tensor's shape), and the metadata
 * {@code forge.optimizer.type = adamw}, {@code forge.optimizer.iteration} (AdamW steps taken: the bias corrections
 * continue from it), {@code forge.optimizer.beta1}, {@code .beta2}, {@code .eps}.
 *
 * <p>Written atomically (temporary file, then rename); {@link #write} returns its sha256 and size, which the
 * checkpoint's state JSON records so that {@link #read} can refuse a truncated or foreign file before touching the
 * session.
 */
final class OptimizerCheckpoint {
    static final String TYPE = "adamw";
    static final String KEY_TYPE = "forge.optimizer.type";
    static final String KEY_ITERATION = "forge.optimizer.iteration";
    static final String PREFIX_M = "adam_m.";
    static final String PREFIX_V = "adam_v.";
    private static final int CHUNK = 1 << 16;

    /** What {@link #write} produced. */
    record Written(String sha256, long bytes, long iteration) {
    }

    private OptimizerCheckpoint() {
    }

    /** Writes the moments and step count of {@code s} to {@code out} (atomically) and returns its sha256 and size. */
    static Written write(GraphSession s, Path out, float beta1, float beta2, float eps) throws IOException {
        GgmlTrainLibrary g = s.ggml();
        GgufWriter w = new GgufWriter();
        w.putString(KEY_TYPE, TYPE);
        w.putUInt64(KEY_ITERATION, s.iteration());
        w.putFloat32("forge.optimizer.beta1", beta1);
        w.putFloat32("forge.optimizer.beta2", beta2);
        w.putFloat32("forge.optimizer.eps", eps);
        for (GraphSession.Moments mo : s.moments()) {
            w.addTensor(PREFIX_M + mo.name(), GgmlType.F32, mo.shape(),
                    (buf, start, len) -> g.ggml_backend_tensor_get(mo.m(), buf, 4L * start, 4L * len));
            w.addTensor(PREFIX_V + mo.name(), GgmlType.F32, mo.shape(),
                    (buf, start, len) -> g.ggml_backend_tensor_get(mo.v(), buf, 4L * start, 4L * len));
        }
        Path abs = out.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        MessageDigest md = sha256();
        try {
            // the digest is taken while writing: no second pass over a file twice the size of the model
            try (OutputStream os = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20), md)) {
                w.writeTo(os);
            }
            long bytes = Files.size(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Written(HexFormat.of().formatHex(md.digest()), bytes, s.iteration());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Loads the moments and step count of {@code in} into {@code s}. The file must have exactly the recorded size and
     * sha256 and hold an F32 {@code adam_m}/{@code adam_v} pair of the right shape for every trained tensor and nothing
     * else; otherwise an {@link IOException} says what is wrong and the session is left untouched (fresh moments). A
     * failure while copying the data resets the session to fresh moments before rethrowing.
     *
     * @return the restored step count
     */
    static long read(GraphSession s, Path in, String expectedSha256, long expectedBytes) throws IOException {
        if (!Files.isRegularFile(in)) {
            throw new IOException(in.getFileName() + " is missing");
        }
        long size = Files.size(in);
        if (size != expectedBytes) {
            throw new IOException(in.getFileName() + " has " + size + " bytes, the checkpoint recorded " + expectedBytes
                    + " (truncated or from another checkpoint)");
        }
        String sha = dev.mcpforge.engine.train.Trainer.sha256(in);
        if (!sha.equals(expectedSha256)) {
            throw new IOException(in.getFileName() + " does not match the sha256 recorded in the checkpoint (corrupted"
                    + " or from another checkpoint)");
        }
        GgufFile f;
        try {
            f = GgufReader.read(in);
        } catch (GgufException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!TYPE.equals(f.getString(KEY_TYPE).orElse(null))) {
            throw new IOException(in.getFileName() + " holds no AdamW state (" + KEY_TYPE + " = "
                    + f.getString(KEY_TYPE).orElse("missing") + ")");
        }
        long iteration = f.getLong(KEY_ITERATION).orElse(-1L);
        if (iteration < 0) {
            throw new IOException(in.getFileName() + " lacks " + KEY_ITERATION);
        }
        List<GraphSession.Moments> moments = s.moments();
        Set<String> expected = new HashSet<>();
        for (GraphSession.Moments mo : moments) {
            for (String prefix : new String[] {PREFIX_M, PREFIX_V}) {
                String name = prefix + mo.name();
                expected.add(name);
                GgufTensorInfo t = f.tensor(name).orElseThrow(() -> new IOException(in.getFileName()
                        + " has no tensor " + name + " (trained with other tensors?)"));
                if (t.type() != GgmlType.F32 || !Arrays.equals(t.shape(), mo.shape())) {
                    throw new IOException(in.getFileName() + ": " + name + " is " + t.type() + " "
                            + Arrays.toString(t.shape()) + ", expected F32 " + Arrays.toString(mo.shape()));
                }
            }
        }
        for (GgufTensorInfo t : f.tensors()) {
            if (!expected.contains(t.name())) {
                throw new IOException(in.getFileName() + " holds " + t.name() + ", which this run does not train");
            }
        }
        GgmlTrainLibrary g = s.ggml();
        try (FileChannel ch = FileChannel.open(in, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            float[] buf = new float[CHUNK];
            for (GraphSession.Moments mo : moments) {
                copy(g, ch, f, f.tensor(PREFIX_M + mo.name()).orElseThrow(), mo.m(), bytes, buf);
                copy(g, ch, f, f.tensor(PREFIX_V + mo.name()).orElseThrow(), mo.v(), bytes, buf);
            }
            s.restoreIteration(iteration);
        } catch (IOException | RuntimeException e) {
            s.resetOptimizer();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return iteration;
    }

    private static void copy(GgmlTrainLibrary g, FileChannel ch, GgufFile f, GgufTensorInfo t, com.sun.jna.Pointer dst,
                             ByteBuffer bytes, float[] buf) throws IOException {
        long n = t.elementCount();
        long pos = f.dataOffset() + t.offset();
        for (long start = 0; start < n; start += CHUNK) {
            int len = (int) Math.min(CHUNK, n - start);
            bytes.clear().limit(4 * len);
            while (bytes.hasRemaining()) {
                if (ch.read(bytes, pos + 4 * start + bytes.position()) < 0) {
                    throw new IOException(f.path().getFileName() + " is truncated inside " + t.name());
                }
            }
            bytes.flip();
            bytes.asFloatBuffer().get(buf, 0, len);
            g.ggml_backend_tensor_set(dst, buf, 4L * start, 4L * len);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
