package dev.kasane.autograd;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;

/**
 * Stable argsort along one dim, on the host (the result is copied back to the input's device). Order as PyTorch's
 * {@code sort(stable=True)}: NaN sorts above every number (last ascending, first descending), {@code -0.0} equals
 * {@code 0.0}, equal keys keep their input order in both directions.
 */
final class Sorting {
    private Sorting() {
    }

    /** Compares the keys at two positions of one row. */
    private interface KeyOrder {
        int compare(int i, int j);
    }

    static NDArray argsort(String op, NDArray x, int dim, boolean descending) {
        x.dtype().requireComputable(op, x.describe());
        if (x.dtype() == DType.BOOL) {
            x = x.toType(DType.U8);
        }
        int d = dim < 0 ? dim + x.dim() : dim;
        if (x.dim() == 0) {
            return NDArray.zeros(DType.I64, x.device());
        }
        if (d < 0 || d >= x.dim()) {
            throw new IllegalArgumentException(op + ": dim " + dim + " out of range for " + x.describe());
        }
        NDArray rows = x.transpose(d, x.dim() - 1).contiguous();
        int n = x.size(d);
        int count = n == 0 ? 0 : rows.numel() / n;
        long[] result = new long[rows.numel()];
        KeyOrder order = keyOrder(rows, descending);
        int[] idx = new int[n];
        int[] scratch = new int[n];
        for (int r = 0; r < count; r++) {
            int base = r * n;
            for (int i = 0; i < n; i++) {
                idx[i] = base + i;
            }
            mergeSort(idx, scratch, 0, n, order);
            for (int i = 0; i < n; i++) {
                result[base + i] = idx[i] - base;
            }
        }
        NDArray sorted = NDArray.fromHost(result, DType.I64, x.device(), rows.shape());
        return sorted.transpose(d, x.dim() - 1).contiguous();
    }

    private static KeyOrder keyOrder(NDArray rows, boolean descending) {
        int sign = descending ? -1 : 1;
        if (rows.dtype().isFloating()) {
            double[] k = rows.toDoubleArray();
            return (i, j) -> sign * compare(k[i], k[j]);
        }
        long[] k = rows.toLongArray();
        return (i, j) -> sign * Long.compare(k[i], k[j]);
    }

    /** {@code <} order with NaN above everything and {@code -0.0 == 0.0} (unlike {@link Double#compare}). */
    static int compare(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        boolean an = Double.isNaN(a);
        boolean bn = Double.isNaN(b);
        return an == bn ? 0 : an ? 1 : -1;
    }

    /** Stable top-down merge sort of {@code idx[from, to)}. */
    private static void mergeSort(int[] idx, int[] tmp, int from, int to, KeyOrder order) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(idx, tmp, from, mid, order);
        mergeSort(idx, tmp, mid, to, order);
        if (order.compare(idx[mid - 1], idx[mid]) <= 0) {
            return;
        }
        System.arraycopy(idx, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && order.compare(tmp[i], tmp[j]) <= 0)) {
                idx[k] = tmp[i++];
            } else {
                idx[k] = tmp[j++];
            }
        }
    }
}
