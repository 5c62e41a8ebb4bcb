package dev.kasane.tensor;

import java.util.Arrays;

/**
 * {@link NDArray#matmul} composed over the backend's batched GEMM: 1-D operands become a row or column, the batch
 * dims broadcast and flatten to one, and the result is reshaped back with the vector dims removed.
 */
final class Matmul {
    private Matmul() {
    }

    static NDArray matmul(NDArray x, NDArray y) {
        String op = "matmul";
        Checks.matmul(op, x, y);
        NDArray a = x.dim() == 1 ? x.unsqueeze(0) : x;
        NDArray b = y.dim() == 1 ? y.unsqueeze(1) : y;
        int[] sa = a.layout().shape();
        int[] sb = b.layout().shape();
        int m = sa[sa.length - 2];
        int k = sa[sa.length - 1];
        int n = sb[sb.length - 1];
        int[] batch = Shapes.broadcast(op, () -> x.describe() + " @ " + y.describe(), Arrays.copyOf(sa, sa.length - 2),
                Arrays.copyOf(sb, sb.length - 2));
        int nb = Shapes.numel(op, batch);
        NDArray out = NDArray.empty(op, x.dtype(), x.device(), nb, m, n);
        if (out.numel() > 0 && k == 0) {
            out.fillUnchecked(0);
        } else if (out.numel() > 0) {
            NDArray a3 = a.expand(concat(batch, m, k)).reshape(nb, m, k);
            NDArray b3 = b.expand(concat(batch, k, n)).reshape(nb, k, n);
            x.storage().backend().matmul(a3, b3, out);
        }
        NDArray r = out.view(concat(batch, m, n));
        if (y.dim() == 1) {
            r = r.squeeze(-1);
        }
        return x.dim() == 1 ? r.squeeze(r.dim() - (y.dim() == 1 ? 1 : 2)) : r;
    }

    private static int[] concat(int[] head, int... tail) {
        int[] r = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, r, head.length, tail.length);
        return r;
    }
}
