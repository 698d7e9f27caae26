package dev.mcpforge.engine.gguf;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the header (metadata and tensor index) of a GGUF v2/v3 file without loading tensor data.
 * Hand-written: there is no maintained Java GGUF library on Maven Central, and the format is small.
 */
public final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final int MAX_DIMS = 4;

    private GgufReader() {
    }

    /** Reads the header of {@code path}; errors name the file and say what is wrong. */
    public static GgufFile read(Path path) throws GgufException {
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new GgufException("GGUF model file not found: " + path.toAbsolutePath()
                    + ". Check the path (e.g. -Dforge.model=...) or build/download the model first.");
        } catch (IOException e) {
            throw new GgufException("Cannot read GGUF model file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        if (Files.isDirectory(path)) {
            throw new GgufException("Expected a GGUF model file but " + path.toAbsolutePath() + " is a directory.");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            return new Parser(path, size, in).parse();
        } catch (GgufException e) {
            throw e;
        } catch (EOFException e) {
            throw new GgufException("GGUF file " + path.toAbsolutePath() + " is truncated (" + size
                    + " bytes): the header ends prematurely. Re-download or rebuild the model.", e);
        } catch (IOException e) {
            throw new GgufException("Cannot read GGUF model file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the data of an F32 or F16 tensor as floats (for tests and inspection of small models). */
    public static float[] readFloats(GgufFile file, String tensorName) throws GgufException {
        GgufTensorInfo t = file.tensor(tensorName).orElseThrow(() -> new GgufException(
                "GGUF file " + file.path() + " has no tensor '" + tensorName + "'."));
        if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16) {
            throw new GgufException("Tensor '" + tensorName + "' in " + file.path() + " is " + t.type()
                    + "; only F32/F16 tensors can be read as floats.");
        }
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE / 4) {
            throw new GgufException("Tensor '" + tensorName + "' is too large to read into one array.");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            long pos = file.dataOffset() + t.offset();
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    throw new GgufException("GGUF file " + file.path() + " is truncated inside tensor '" + tensorName + "'.");
                }
            }
        } catch (GgufException e) {
            throw e;
        } catch (IOException e) {
            throw new GgufException("Cannot read tensor '" + tensorName + "' from " + file.path() + ": " + e.getMessage(), e);
        }
        buf.flip();
        float[] out = new float[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = t.type() == GgmlType.F32 ? buf.getFloat() : Half.toFloat(buf.getShort());
        }
        return out;
    }

    private static final class Parser {
        private final Path path;
        private final long size;
        private final InputStream in;
        private final byte[] scratch = new byte[8];
        private long pos;

        Parser(Path path, long size, InputStream in) {
            this.path = path;
            this.size = size;
            this.in = in;
        }

        GgufFile parse() throws IOException {
            if (size < 4) {
                throw new GgufException("Not a GGUF file: " + path.toAbsolutePath() + " has only " + size
                        + " bytes. Pass a .gguf model file.");
            }
            int magic = i32();
            if (magic != MAGIC) {
                byte[] m = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(magic).array();
                throw new GgufException("Not a GGUF file: " + path.toAbsolutePath() + " starts with '"
                        + printable(m) + "' instead of 'GGUF'. Pass a .gguf model file (convert other formats with llama.cpp's convert_hf_to_gguf.py).");
            }
            int version = i32();
            if (version != 2 && version != 3) {
                throw new GgufException("Unsupported GGUF version " + version + " in " + path.toAbsolutePath()
                        + " (supported: 2, 3). Re-convert the model with a current llama.cpp.");
            }
            long nTensors = i64();
            long nKv = i64();
            if (nTensors < 0 || nKv < 0 || nTensors > size || nKv > size
                    || nKv * 13 + nTensors * 32 > size - pos) {
                throw new GgufException("GGUF file " + path.toAbsolutePath() + " is truncated or corrupt: its header"
                        + " announces " + nTensors + " tensors and " + nKv + " metadata entries, which cannot fit in "
                        + size + " bytes. Re-download or rebuild the model.");
            }
            Map<String, Object> md = new LinkedHashMap<>();
            Map<String, GgufValueType> types = new LinkedHashMap<>();
            for (long i = 0; i < nKv; i++) {
                String key = string("metadata key #" + i);
                GgufValueType type = valueType("metadata '" + key + "'");
                if (md.containsKey(key)) {
                    throw malformed("duplicate metadata key '" + key + "'");
                }
                md.put(key, value(type, key));
                types.put(key, type);
            }
            int alignment = 32;
            Object a = md.get("general.alignment");
            if (a != null) {
                if (!(a instanceof Long l) || l <= 0 || Long.bitCount(l) != 1) {
                    throw malformed("general.alignment must be a power-of-two UINT32, found " + a);
                }
                alignment = (int) (long) l;
            }
            List<GgufTensorInfo> tensors = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (long i = 0; i < nTensors; i++) {
                String name = string("tensor name #" + i);
                int nDims = i32();
                if (nDims < 1 || nDims > MAX_DIMS) {
                    throw malformed("tensor '" + name + "' has " + nDims + " dimensions");
                }
                long[] shape = new long[nDims];
                for (int d = 0; d < nDims; d++) {
                    shape[d] = i64();
                    if (shape[d] < 0) {
                        throw malformed("tensor '" + name + "' has a negative dimension");
                    }
                }
                int typeId = i32();
                GgmlType type = GgmlType.byId(typeId);
                if (type == null) {
                    throw malformed("tensor '" + name + "' has unknown ggml type " + typeId);
                }
                long offset = i64();
                if (!names.add(name)) {
                    throw malformed("duplicate tensor '" + name + "'");
                }
                if (offset % alignment != 0) {
                    throw malformed("tensor '" + name + "' offset " + offset + " is not aligned to " + alignment);
                }
                tensors.add(new GgufTensorInfo(name, type, shape, offset));
            }
            long dataOffset = (pos + alignment - 1) / alignment * alignment;
            for (GgufTensorInfo t : tensors) {
                long end = dataOffset + t.offset() + t.byteSize();
                if (end > size) {
                    throw new GgufException("GGUF file " + path.toAbsolutePath() + " is truncated: tensor '" + t.name()
                            + "' needs bytes up to " + end + " but the file has " + size
                            + " bytes. Re-download or rebuild the model.");
                }
            }
            return new GgufFile(path, version, md, types, tensors, alignment, dataOffset, size);
        }

        private GgufException malformed(String what) {
            return new GgufException("Malformed GGUF file " + path.toAbsolutePath() + ": " + what
                    + " (at byte " + pos + "). The file is corrupt or not produced by a GGUF writer; re-download or rebuild it.");
        }

        private GgufValueType valueType(String what) throws IOException {
            int id = i32();
            GgufValueType t = GgufValueType.byId(id);
            if (t == null) {
                throw malformed(what + " has unknown value type " + id);
            }
            return t;
        }

        private Object value(GgufValueType type, String key) throws IOException {
            switch (type) {
                case UINT8: return readFully(1)[0] & 0xff;
                case INT8: return (int) readFully(1)[0];
                case UINT16: return (int) (short) le(2) & 0xffff;
                case INT16: return (int) (short) le(2);
                case UINT32: return i32() & 0xffffffffL;
                case INT32: return i32();
                case FLOAT32: return Float.intBitsToFloat(i32());
                case BOOL: {
                    int b = readFully(1)[0];
                    if (b != 0 && b != 1) {
                        throw malformed("metadata '" + key + "' has invalid BOOL value " + b);
                    }
                    return b == 1;
                }
                case STRING: return string("metadata '" + key + "'");
                case UINT64:
                case INT64: return i64();
                case FLOAT64: return Double.longBitsToDouble(i64());
                case ARRAY: {
                    GgufValueType et = valueType("array '" + key + "'");
                    long n = i64();
                    if (n < 0 || n > size - pos) {
                        throw new GgufException("GGUF file " + path.toAbsolutePath() + " is truncated or corrupt: array '"
                                + key + "' claims " + n + " elements but only " + (size - pos) + " bytes remain.");
                    }
                    List<Object> values = new ArrayList<>((int) Math.min(n, 1 << 20));
                    for (long i = 0; i < n; i++) {
                        values.add(value(et, key));
                    }
                    return new GgufArray(et, values);
                }
                default:
                    throw malformed("metadata '" + key + "' has unsupported type " + type);
            }
        }

        private String string(String what) throws IOException {
            long n = i64();
            if (n < 0 || n > size - pos) {
                throw new GgufException("GGUF file " + path.toAbsolutePath() + " is truncated or corrupt: " + what
                        + " claims a string of " + n + " bytes but only " + (size - pos) + " bytes remain.");
            }
            return new String(readFully((int) n), StandardCharsets.UTF_8);
        }

        private int i32() throws IOException {
            return (int) le(4);
        }

        private long i64() throws IOException {
            return le(8);
        }

        private long le(int n) throws IOException {
            readInto(scratch, n);
            long v = 0;
            for (int i = n - 1; i >= 0; i--) {
                v = (v << 8) | (scratch[i] & 0xff);
            }
            return v;
        }

        private byte[] readFully(int n) throws IOException {
            byte[] b = new byte[n];
            readInto(b, n);
            return b;
        }

        private void readInto(byte[] b, int n) throws IOException {
            int off = 0;
            while (off < n) {
                int r = in.read(b, off, n - off);
                if (r < 0) {
                    throw new GgufException("GGUF file " + path.toAbsolutePath() + " is truncated (" + size
                            + " bytes): the header ends prematurely at byte " + (pos + off)
                            + ". Re-download or rebuild the model.");
                }
                off += r;
            }
            pos += n;
        }

        private static String printable(byte[] b) {
            StringBuilder sb = new StringBuilder();
            for (byte x : b) {
                sb.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
            }
            return sb.toString();
        }
    }
}
