package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * gather and scatterAdd. Every index value is validated before anything is written by scatterAdd. scatterAdd
 * runs in parallel only over positions outside {@code dim}, which always write distinct destination elements,
 * and adds along {@code dim} in order, so its result does not depend on the thread count.
 */
final class IndexOps {
    private static final int GRAIN = 1 << 14;
    /** scatterAdd walks dim innermost from this many steps along it (see there). */
    private static final int ALONG_DIM_STEPS = 16;

    private IndexOps() {
    }

    static void gather(Parallel par, View src, int dim, View index, View dst) {
        int[] srcStrides = src.strides.clone();
        int dimStride = src.strides[dim];
        int dimSize = src.shape[dim];
        srcStrides[dim] = 0;
        Iteration.Plan p = Iteration.elementwise(dst.shape, dst, index, src.withStrides(srcStrides));
        int sd = p.innerStride(0);
        int ss = p.innerStride(2);
        forCheckedIndices(par, p, 1, index, "gather", dim, dimSize, (off, done, idx, c) ->
                gatherRun(dst.dtype, src.data, off[2] + done * ss, ss, dimStride, idx, dst.data, off[0] + done * sd, sd, c));
    }

    /** What a walk over an index does with a chunk: {@code c} indices, {@code done} elements into the run at {@code off}. */
    private interface IndexChunk {
        void run(int[] off, int done, long[] idx, int c);
    }

    /**
     * Walks plan {@code p} in chunks of {@link Convert#CHUNK}, loading operand {@code indexOperand} ({@code index}) as
     * I64 and checking it against {@code size} before handing each chunk to {@code body}.
     */
    private static void forCheckedIndices(Parallel par, Iteration.Plan p, int indexOperand, View index, String op, int dim,
            int size, IndexChunk body) {
        int si = p.innerStride(indexOperand);
        Iteration.run(par, p, GRAIN, () -> {
            long[] idx = new long[Convert.CHUNK];
            return (off, n) -> {
                for (int done = 0; done < n; done += Convert.CHUNK) {
                    int c = Math.min(Convert.CHUNK, n - done);
                    Convert.loadLong(index.data, index.dtype, off[indexOperand] + done * si, si, idx, c);
                    check(op, idx, c, dim, size);
                    body.run(off, done, idx, c);
                }
            };
        });
    }

    private static void check(String op, long[] idx, int n, int dim, int size) {
        for (int i = 0; i < n; i++) {
            if (idx[i] < 0 || idx[i] >= size) {
                throw new IllegalArgumentException(op + ": index " + idx[i] + " out of range for dimension " + dim + " of size " + size);
            }
        }
    }

    /**
     * {@code d[i] = s[i + idx[i] * sDim]} over one run: a typed loop for F32 (the speed target), one element at a time
     * with System.arraycopy for the other dtypes.
     */
    private static void gatherRun(DType dt, Object s, int so, int ss, int sDim, long[] idx, Object d, int dof, int ds, int n) {
        if (dt == DType.F32) {
            float[] sa = (float[]) s;
            float[] da = (float[]) d;
            for (int i = 0; i < n; i++) {
                da[dof + i * ds] = sa[so + i * ss + (int) idx[i] * sDim];
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, so + i * ss + (int) idx[i] * sDim, d, dof + i * ds, 1);
        }
    }

    static void scatterAdd(Parallel par, View dst, int dim, View index, View src) {
        int dimSize = dst.shape[dim];
        // 1. validate every index (read-only, any order)
        forCheckedIndices(par, Iteration.elementwise(index.shape, index), 0, index, "scatterAdd", dim, dimSize,
                (off, done, idx, c) -> { });
        // 2. accumulate: parallel over positions outside dim, in order along dim
        int rank = src.rank();
        int[] outerShape = src.shape.clone();
        int steps = outerShape[dim];
        outerShape[dim] = 1;
        int[] dstStrides = dst.strides.clone();
        int dstDimStride = dst.strides[dim];
        dstStrides[dim] = 0;
        Iteration.Plan p = Iteration.elementwise(outerShape, dst.withStrides(dstStrides), index, src);
        int sd = p.innerStride(0);
        int si = p.innerStride(1);
        int ss = p.innerStride(2);
        int idxDimStride = rank == 0 ? 0 : index.strides[dim];
        int srcDimStride = rank == 0 ? 0 : src.strides[dim];
        int grain = Math.max(1, GRAIN / Math.max(1, steps));
        Iteration.run(par, p, grain, () -> {
            long[] idx = new long[Convert.CHUNK];
            if (steps >= ALONG_DIM_STEPS) {
                // Long runs along dim (max pooling's backward: a whole plane per position): each position's run in
                // one go, so that its part of dst stays in cache. The same additions in the same order as below.
                return (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        for (int k0 = 0; k0 < steps; k0 += Convert.CHUNK) {
                            int c = Math.min(Convert.CHUNK, steps - k0);
                            Convert.loadLong(index.data, index.dtype, off[1] + i * si + k0 * idxDimStride, idxDimStride,
                                    idx, c);
                            addRun(dst.dtype, src.data, off[2] + i * ss + k0 * srcDimStride, srcDimStride, idx,
                                    dstDimStride, dst.data, off[0] + i * sd, 0, c);
                        }
                    }
                };
            }
            return (off, n) -> {
                for (int done = 0; done < n; done += Convert.CHUNK) {
                    int c = Math.min(Convert.CHUNK, n - done);
                    for (int k = 0; k < steps; k++) {
                        Convert.loadLong(index.data, index.dtype, off[1] + done * si + k * idxDimStride, si, idx, c);
                        addRun(dst.dtype, src.data, off[2] + done * ss + k * srcDimStride, ss, idx, dstDimStride,
                                dst.data, off[0] + done * sd, sd, c);
                    }
                }
            };
        });
    }

    /**
     * {@code d[i + idx[i] * dDim] += s[i]} over one run: typed loops for F32 and F64, the integer dtypes and BOOL (not
     * a speed target) one element at a time through {@link Convert}'s long form, whose stores wrap as the typed
     * {@code +=} would and write BOOL's sum as {@code != 0} (a logical or).
     */
    private static void addRun(DType dt, Object s, int so, int ss, long[] idx, int dDim, Object d, int dof, int ds, int n) {
        if (dt == DType.F32) {
            float[] sa = (float[]) s;
            float[] da = (float[]) d;
            for (int i = 0; i < n; i++) da[dof + i * ds + (int) idx[i] * dDim] += sa[so + i * ss];
        } else if (dt == DType.F64) {
            double[] sa = (double[]) s;
            double[] da = (double[]) d;
            for (int i = 0; i < n; i++) da[dof + i * ds + (int) idx[i] * dDim] += sa[so + i * ss];
        } else {
            long[] add = new long[n];
            long[] sum = new long[1];
            Convert.loadLong(s, dt, so, ss, add, n);
            for (int i = 0; i < n; i++) {
                int at = dof + i * ds + (int) idx[i] * dDim;
                Convert.loadLong(d, dt, at, 1, sum, 1);
                sum[0] += add[i];
                Convert.storeLong(sum, 1, d, dt, at, 1);
            }
        }
    }
}
