package dev.kasane.backend.opencl;

import dev.kasane.tensor.NDArray;

/**
 * Batched matrix product through the tiled local-memory kernel of {@code gemm.cl}: work-groups of
 * {@code (GEMM_TS / GEMM_WPT)^2} items, each computing a {@code GEMM_TS x GEMM_TS} tile of the output, with A and B
 * read through their strides (transposed views and broadcast batches need no copy).
 */
final class Gemm {
    private Gemm() {
    }

    static void matmul(OpenClContext ctx, NDArray a, NDArray b, NDArray dst) {
        int batch = a.size(0);
        int m = a.size(1);
        int k = a.size(2);
        int n = b.size(2);
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            throw new IllegalStateException("matmul: K == 0 must be handled by the caller (fill with zeros)");
        }
        Programs.Kernel kernel = ctx.programs.kernel(Programs.Family.GEMM, a.dtype(), "gemm");
        int ts = Programs.GEMM_TS;
        int ls = ts / Programs.GEMM_WPT;
        if (kernel.maxWorkGroup() < ls * ls) {
            throw new IllegalArgumentException("matmul: " + ctx.device + " (" + ctx.info.name() + ") runs at most "
                    + kernel.maxWorkGroup() + " work items per group for " + a.dtype() + ", the tiled GEMM needs " + ls * ls);
        }
        new Launch(ctx, kernel)
                .buf(Elementwise.storage(a)).i32(a.offset()).i32(a.stride(0)).i32(a.stride(1)).i32(a.stride(2))
                .buf(Elementwise.storage(b)).i32(b.offset()).i32(b.stride(0)).i32(b.stride(1)).i32(b.stride(2))
                .buf(Elementwise.storage(dst)).i32(dst.offset()).i32(m).i32(n).i32(k)
                .run(new long[] {(long) (n + ts - 1) / ts * ls, (long) (m + ts - 1) / ts * ls, batch}, new long[] {ls, ls, 1});
    }
}
