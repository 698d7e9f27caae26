package dev.mcpforge.engine.train;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * Works around the gradient-accumulator bug of llama.cpp v0.5.0's optimizer (engine-notes, top): llama.cpp builds
 * non-static graphs, so {@code ggml_graph_reset} zeroes the gradient accumulators only when they are first allocated;
 * afterwards AdamW receives the running sum of all gradients since step 1. After every optimizer step this class
 * zeroes every accumulator of a trained parameter (not the AdamW moments, which live in {@code grad_m}/{@code grad_v},
 * and not the loss's own scalar accumulator, which holds the backward seed 1.0).
 *
 * <p>The accumulators are reached through {@code std::vector<ggml_tensor*> grad_accs} of the library's private
 * {@code struct ggml_opt_context} (ggml/src/ggml-opt.cpp). The offsets below were printed by a C++ program that
 * copies that struct definition from the release source and prints {@code offsetof} (libstdc++ x86-64:
 * {@code std::mt19937} is 5000 bytes, a vector is three pointers): {@code forge-native/src/build/opt-context-offsets.sh}
 * reproduces them from the release source. They hold for this release only: {@link #check}
 * compares {@code opt_period} and {@code iter} with what the trainer knows, and the engine test
 * "two identical SGD steps give identical updates" fails if the reset stops working.
 */
final class GradientReset {
    static final long GRAD_ACCS_OFFSET = 5168;  // std::vector<ggml_tensor*> grad_accs: begin, end, capacity
    static final long ITER_OFFSET = 5240;       // int64_t iter (1 + optimizer steps taken)
    static final long OPT_PERIOD_OFFSET = 5248; // int32_t opt_period (n_batch / n_ubatch)
    static final long OPT_I_OFFSET = 5252;      // int32_t opt_i (ubatch index within the period, after eval)

    private final GgmlOptLibrary g;
    private List<Pointer> tensors;
    private List<Long> sizes;

    GradientReset(GgmlOptLibrary g) {
        this.g = g;
    }

    /** null when the private struct looks as expected, else what differs. */
    static String check(Pointer optCtx, int expectedPeriod, long expectedIterAtLeast) {
        int period = optCtx.getInt(OPT_PERIOD_OFFSET);
        long iter = optCtx.getLong(ITER_OFFSET);
        Pointer begin = optCtx.getPointer(GRAD_ACCS_OFFSET);
        Pointer end = optCtx.getPointer(GRAD_ACCS_OFFSET + 8);
        long n = begin == null || end == null ? -1 : (Pointer.nativeValue(end) - Pointer.nativeValue(begin)) / 8;
        if (period != expectedPeriod || iter < expectedIterAtLeast || iter > 1_000_000_000L || n <= 0 || n > 1_000_000) {
            return "ggml_opt_context layout differs from the one this engine was built for (opt_period " + period
                    + " expected " + expectedPeriod + ", iter " + iter + ", grad_accs entries " + n
                    + "): the gradient-reset workaround cannot run; re-derive the offsets in GradientReset from the"
                    + " library's ggml-opt.cpp";
        }
        return null;
    }

    /** Whether the ubatch just evaluated completed an optimizer step. */
    static boolean stepCompleted(Pointer optCtx) {
        return optCtx.getInt(OPT_I_OFFSET) == 0;
    }

    /** Zeroes every parameter gradient accumulator. */
    void zero(Pointer optCtx) {
        if (tensors == null) {
            tensors = new ArrayList<>();
            sizes = new ArrayList<>();
            Pointer begin = optCtx.getPointer(GRAD_ACCS_OFFSET);
            Pointer end = optCtx.getPointer(GRAD_ACCS_OFFSET + 8);
            long n = (Pointer.nativeValue(end) - Pointer.nativeValue(begin)) / 8;
            for (long i = 0; i < n; i++) {
                Pointer t = begin.getPointer(i * 8);
                if (t == null || g.ggml_nelements(t) == 1) {
                    continue; // not a parameter, or the loss's scalar seed (must stay 1.0)
                }
                tensors.add(t);
                sizes.add(g.ggml_nbytes(t));
            }
        }
        for (int i = 0; i < tensors.size(); i++) {
            g.ggml_backend_tensor_memset(tensors.get(i), (byte) 0, 0, sizes.get(i));
        }
    }

    int count() {
        return tensors == null ? 0 : tensors.size();
    }
}
