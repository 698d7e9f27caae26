import dev.mcpforge.engine.gguf.*;
import java.nio.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
/**
 * PrevInit in.gguf out.gguf a sign: makes head 0 of layer 0 a previous-token head at init. token_embd gets a constant
 * dimension 0 (1/16: with the tied head it shifts every logit alike); W_q of head 0 reads it into each RoPE pair as
 * (a, 0), W_k as a(cos t_i, sign * sin t_i), so q.k peaks at a distance of one position.
 */
public class PrevInit {
    public static void main(String[] a) throws Exception {
        Path in = Path.of(a[0]), out = Path.of(a[1]);
        float amp = Float.parseFloat(a[2]);
        int sign = Integer.parseInt(a[3]);
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        GgufFile g = GgufReader.read(out);
        int d = (int) g.tensor("token_embd.weight").orElseThrow().shape()[0];
        int heads = g.getLong("llama.attention.head_count").orElseThrow().intValue();
        int hd = d / heads;
        float[] emb = GgufReader.readFloats(g, "token_embd.weight");
        for (int t = 0; t < emb.length / d; t++) emb[t * d] = 1f / 16;
        write(g, "token_embd.weight", emb);
        float[] q = GgufReader.readFloats(g, "blk.0.attn_q.weight");
        float[] k = GgufReader.readFloats(g, "blk.0.attn_k.weight");
        for (int i = 0; i < hd / 2; i++) {
            double theta = Math.pow(10000.0, -2.0 * i / hd);
            // row r of W (output r) holds inputs at [r*d, r*d+d); head 0 owns outputs 0..hd-1
            for (int c = 0; c < d; c++) { q[(2 * i) * d + c] = 0; q[(2 * i + 1) * d + c] = 0; k[(2 * i) * d + c] = 0; k[(2 * i + 1) * d + c] = 0; }
            q[(2 * i) * d] = amp;
            k[(2 * i) * d] = (float) (amp * Math.cos(theta));
            k[(2 * i + 1) * d] = (float) (sign * amp * Math.sin(theta));
        }
        write(g, "blk.0.attn_q.weight", q);
        write(g, "blk.0.attn_k.weight", k);
        System.out.println("previous-token head written, head dim " + hd);
    }
    static void write(GgufFile g, String name, float[] v) throws Exception {
        GgufTensorInfo t = g.tensor(name).orElseThrow();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        b.flip();
        try (FileChannel ch = FileChannel.open(g.path(), StandardOpenOption.WRITE)) {
            ch.write(b, g.dataOffset() + t.offset());
        }
    }
}
