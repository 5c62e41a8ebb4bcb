package dev.kasane.tensor;

import java.util.Arrays;

/**
 * {@link NDArray}'s index ops composed over the backend's gather primitive, and the renaming of gather's errors to the
 * op the caller used.
 */
final class Indexing {
    private Indexing() {
    }

    /** {@link NDArray#indexSelect}: the index broadcast along every other dim, then one gather. */
    static NDArray indexSelect(NDArray a, int dim, NDArray index) {
        String op = "indexSelect";
        int d = Checks.indexSelect(op, a, dim, index);
        int[] is = index.layout().shape();
        if (a.dim() == 0) {
            return a.gather(0, index.reshape(-1)).reshape(is);
        }
        int[] outShape = a.shape();
        outShape[d] = index.numel();
        int[] idxShape = new int[outShape.length];
        Arrays.fill(idxShape, 1);
        idxShape[d] = index.numel();
        int n = Shapes.numel(op, outShape);
        NDArray out = NDArray.empty(op, a.dtype(), a.device(), outShape);
        if (n > 0) {
            gatherAs(op, a, d, index.reshape(idxShape).expand(outShape), out);
        }
        return out;
    }

    /** Runs the gather primitive, reporting a bad index under the name of the calling op. */
    static void gatherAs(String op, NDArray a, int d, NDArray index, NDArray out) {
        try {
            a.storage().backend().gather(a, d, index, out);
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(op + ": " + (msg.startsWith("gather: ") ? msg.substring(8) : msg) + " in "
                    + a.describe(), e);
        }
    }
}
