package dev.kasane.backend.opencl;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.lang.ref.Reference;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;

/**
 * gather and scatterAdd. Both validate every index on the device: the kernels record the first (row-major)
 * out-of-range position in the context's flag buffer, which is read back (4 bytes, counted by
 * {@link OpenClBackend#indexCheckCount}) so the op can throw before returning. scatterAdd validates in a separate
 * kernel first and its scatter kernel does nothing when the flag is set, so a bad index leaves {@code dst}
 * unchanged. scatterAdd runs one work item per fiber along {@code dim}, which walks the fiber in order: no two work
 * items write one element, so results are deterministic without atomics.
 */
final class IndexOps {
    private static final int NO_BAD = Integer.MAX_VALUE;

    private IndexOps() {
    }

    static void gather(OpenClContext ctx, NDArray src, int dim, NDArray index, NDArray dst) {
        int n = dst.numel();
        if (n == 0) {
            return;
        }
        int[] srcStrides = src.strides();
        srcStrides[dim] = 0;
        Layout l = Layout.raw("gather", dst.shape(), new int[][] {dst.strides(), index.strides(), srcStrides},
                new int[] {dst.offset(), index.offset(), src.offset()});
        Launch launch = new Launch(ctx, ctx.programs.kernel(Programs.Family.TENSOR, src.dtype(), "gather_" + suffix(index)))
                .buf(Elementwise.storage(src)).i32(src.stride(dim)).i32(src.size(dim)).buf(Elementwise.storage(index))
                .buf(Elementwise.storage(dst)).layout(l).i32(n).buf(ctx.flag);
        checked(ctx, "gather", index, dim, src.size(dim), launch, n);
    }

    static void scatterAdd(OpenClContext ctx, NDArray dst, int dim, NDArray index, NDArray src) {
        int n = index.numel();
        if (n == 0) {
            return;
        }
        Layout all = Layout.of("scatterAdd", index);
        Launch check = new Launch(ctx, ctx.programs.kernel(Programs.Family.TENSOR, dst.dtype(), "check_index_" + suffix(index)))
                .buf(Elementwise.storage(index)).layout(all).i32(n).i32(dst.size(dim)).buf(ctx.flag);
        int[] fiberShape = index.shape();
        int len = fiberShape[dim];
        fiberShape[dim] = 1;
        Layout fibers = Layout.raw("scatterAdd", fiberShape, new int[][] {dst.strides(), index.strides(), src.strides()},
                new int[] {dst.offset(), index.offset(), src.offset()});
        int nFibers = n / len;
        Launch scatter = new Launch(ctx, ctx.programs.kernel(Programs.Family.TENSOR, dst.dtype(), "scatter_add_" + suffix(index)))
                .buf(Elementwise.storage(dst)).i32(dst.stride(dim)).buf(Elementwise.storage(index)).i32(index.stride(dim))
                .buf(Elementwise.storage(src)).i32(src.stride(dim)).i32(len).layout(fibers).i32(nFibers).buf(ctx.flag);
        ctx.lock.lock();
        try {
            resetFlag(ctx);
            check.run1d(n);
            scatter.run1d(nFibers);
            int bad = readFlag(ctx);
            if (bad != NO_BAD) {
                throw outOfRange(ctx, "scatterAdd", index, bad, dim, dst.size(dim));
            }
        } finally {
            ctx.lock.unlock();
        }
    }

    /** Runs {@code launch} after resetting the flag, then throws if it recorded a bad index. */
    private static void checked(OpenClContext ctx, String op, NDArray index, int dim, int size, Launch launch, int n) {
        ctx.lock.lock();
        try {
            resetFlag(ctx);
            launch.run1d(n);
            int bad = readFlag(ctx);
            if (bad != NO_BAD) {
                throw outOfRange(ctx, op, index, bad, dim, size);
            }
        } finally {
            ctx.lock.unlock();
        }
    }

    private static void resetFlag(OpenClContext ctx) {
        CL.clEnqueueFillBuffer(ctx.queue, ctx.flag, Pointer.to(new int[] {NO_BAD}), Sizeof.cl_int, 0, Sizeof.cl_int, 0, null,
                null);
    }

    private static int readFlag(OpenClContext ctx) {
        int[] v = new int[1];
        CL.clEnqueueReadBuffer(ctx.queue, ctx.flag, true, 0, Sizeof.cl_int, Pointer.to(v), 0, null, null);
        ctx.countIndexCheck();
        return v[0];
    }

    private static IllegalArgumentException outOfRange(OpenClContext ctx, String op, NDArray index, int position, int dim,
            int size) {
        int off = index.offset();
        int rem = position;
        for (int d = index.dim() - 1; d >= 0; d--) {
            off += (rem % index.size(d)) * index.stride(d);
            rem /= index.size(d);
        }
        long value;
        OpenClStorage s = Elementwise.storage(index);
        if (index.dtype() == DType.I64) {
            long[] v = new long[1];
            CL.clEnqueueReadBuffer(ctx.queue, s.mem(), true, (long) off * Sizeof.cl_long, Sizeof.cl_long, Pointer.to(v), 0,
                    null, null);
            value = v[0];
        } else {
            int[] v = new int[1];
            CL.clEnqueueReadBuffer(ctx.queue, s.mem(), true, (long) off * Sizeof.cl_int, Sizeof.cl_int, Pointer.to(v), 0,
                    null, null);
            value = v[0];
        }
        Reference.reachabilityFence(s);
        return new IllegalArgumentException(op + ": index " + value + " out of range for dimension " + dim + " of size "
                + size);
    }

    private static String suffix(NDArray index) {
        if (index.dtype() != DType.I64 && index.dtype() != DType.I32) {
            throw new IllegalArgumentException("index must be I64 or I32, got " + index.describe());
        }
        return index.dtype() == DType.I64 ? "i64" : "i32";
    }
}
