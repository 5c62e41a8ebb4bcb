package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;

/**
 * Calls one node's {@link Function#backward} and checks what it returned: one gradient per input, of the input's
 * shape (or one that broadcasts to it: summed back), device and dtype (converted), finite under anomaly detection.
 */
final class NodeBackward {
    private NodeBackward() {
    }

    /**
     * The gradients for the inputs of {@code f}, given its output's gradient {@code g}; null where an input needs
     * none in this run ({@code mask}, null for all) or comes from no node or leaf that requires grad.
     *
     * @throws IllegalStateException if a saved tensor was freed or modified in place, or backward returned a
     *                               gradient of the wrong count, shape or device
     */
    static Tensor[] call(Function f, boolean[] mask, Tensor g) {
        f.checkSaved();
        Tensor[] gin;
        f.execMask = mask;
        try {
            gin = f.backward(g);
        } finally {
            f.execMask = null;
        }
        int n = f.nextFns.length;
        if (gin == null || gin.length != n) {
            throw new IllegalStateException(f.name() + ".backward returned " + (gin == null ? "null" : gin.length + " gradients")
                    + " but the op has " + n + " inputs");
        }
        Tensor[] routed = new Tensor[n];
        for (int i = 0; i < n; i++) {
            boolean wanted = gin[i] != null && (mask == null || mask[i]);
            if (wanted && (f.nextFns[i] != null || f.nextLeaves[i] != null)) {
                routed[i] = checkFinite(f, i, conform(f, i, gin[i]));
            }
        }
        return routed;
    }

    /** Sums a broadcast gradient back to input {@code i}'s shape and converts it to its dtype. */
    private static Tensor conform(Function f, int i, Tensor g) {
        NDArray d = g.data;
        int[] want = f.inputShapes[i];
        int[] have = d.shape();
        if (!Arrays.equals(have, want)) {
            if (!Dims.broadcastsTo(want, have)) {
                throw new IllegalStateException(f.name() + ".backward returned a gradient of shape " + Arrays.toString(have)
                        + " for input " + i + " of shape " + Arrays.toString(want));
            }
            g = g.sumTo(want);
        }
        if (!g.data.device().equals(f.inputDevices[i])) {
            throw new IllegalStateException(f.name() + ".backward returned a gradient on " + g.data.device() + " for input " + i
                    + " on " + f.inputDevices[i]);
        }
        if (g.data.dtype() != f.inputTypes[i]) {
            g = g.toType(f.inputTypes[i]);
        }
        return g;
    }

    private static Tensor checkFinite(Function f, int i, Tensor g) {
        if (Autograd.anomalyDetection && ReductionOps.anyNonZero(g.data.isFinite().unary(UnaryOp.NOT))) {
            throw new IllegalStateException("anomaly detected: the backward of " + f.name() + " returned NaN or Inf in its "
                    + "gradient for input " + i + " of shape " + Arrays.toString(g.data.shape()) + "; the cause shows "
                    + "where the forward op " + f.name() + " was called", f.anomalyTrace);
        }
        return g;
    }
}
