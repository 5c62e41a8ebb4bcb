package dev.kasane.backend.opencl;

import dev.kasane.tensor.NDArray;
import java.util.Locale;

/**
 * Batched matrix product through one of the two kernels of {@code gemm.cl}, picked per device (see {@link Kernel}):
 * A and B are read through their strides (transposed views and broadcast batches need no copy), except that the
 * blocked kernel copies a B whose rows are not contiguous.
 */
final class Gemm {
    /** Picks the kernel for every device: {@code auto} (the default), {@code tiled} or {@code blocked}. */
    static final String KERNEL_PROPERTY = "kasane.opencl.gemm";

    /** The GEMM kernels; {@link #forDevice} picks one from the device type unless {@link #KERNEL_PROPERTY} names one. */
    enum Kernel {
        /**
         * Work-groups of {@code (GEMM_TS / GEMM_WPT)^2} items share {@code GEMM_TS x GEMM_TS} tiles of A and B staged in
         * local memory, each item computing {@code GEMM_WPT x GEMM_WPT} outputs: the layout for GPUs.
         */
        TILED,
        /**
         * Each work item keeps a {@code GEMM_MR x (2 x vector width)} block of C in registers as native-width vectors
         * and needs no local memory or work-group: the layout for CPU devices (PoCL), where it runs at SIMD speed.
         */
        BLOCKED;

        /**
         * The kernel for a device: {@link #KERNEL_PROPERTY} if set, else TILED on GPUs and accelerators whose
         * work-groups hold the tile's {@code (GEMM_TS / GEMM_WPT)^2} items, BLOCKED otherwise (CPU devices).
         */
        static Kernel forDevice(boolean gpu, long maxWorkGroup) {
            String v = System.getProperty(KERNEL_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            int ls = Programs.GEMM_TS / Programs.GEMM_WPT;
            switch (v) {
                case "auto": return gpu && maxWorkGroup >= (long) ls * ls ? TILED : BLOCKED;
                case "tiled": return TILED;
                case "blocked": return BLOCKED;
                default: throw new IllegalArgumentException("opencl: -D" + KERNEL_PROPERTY + "=" + v
                        + " is not a GEMM kernel; use auto, tiled or blocked");
            }
        }
    }

    private Gemm() {
    }

    /** {@code dst[b] = a[b] @ b[b]} for [B, M, K] and [B, K, N] operands with the device's kernel. */
    static void matmul(OpenClContext ctx, NDArray a, NDArray b, NDArray dst) {
        matmul(ctx, a, b, dst, ctx.gemmKernel);
    }

    /** {@code dst[b] = a[b] @ b[b]} with {@code kernel}, whatever the device (tests run both everywhere). */
    static void matmul(OpenClContext ctx, NDArray a, NDArray b, NDArray dst, Kernel kernel) {
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
        if (kernel == Kernel.TILED) {
            tiled(ctx, a, b, dst, m, n, k, batch);
        } else {
            NDArray rows = b.stride(2) == 1 ? b : b.contiguous();
            blocked(ctx, a, rows, dst, m, n, k, batch);
            if (rows != b) {
                ((OpenClStorage) rows.storage()).close();  // freed once the kernel has run
            }
        }
    }

    private static void tiled(OpenClContext ctx, NDArray a, NDArray b, NDArray dst, int m, int n, int k, int batch) {
        Programs.Kernel kernel = ctx.programs.kernel(Programs.Family.GEMM, a.dtype(), "gemm");
        int ts = Programs.GEMM_TS;
        int ls = ts / Programs.GEMM_WPT;
        if (kernel.maxWorkGroup() < ls * ls) {
            throw new IllegalArgumentException("matmul: " + ctx.device + " (" + ctx.info.name() + ") runs at most "
                    + kernel.maxWorkGroup() + " work items per group for " + a.dtype() + ", the tiled GEMM needs " + ls * ls
                    + "; use -D" + KERNEL_PROPERTY + "=blocked");
        }
        operands(new Launch(ctx, kernel), a, b).i32(b.stride(2)).buf(Elementwise.storage(dst)).i32(dst.offset())
                .i32(m).i32(n).i32(k)
                .run(new long[] {(long) (n + ts - 1) / ts * ls, (long) (m + ts - 1) / ts * ls, batch}, new long[] {ls, ls, 1});
    }

    private static void blocked(OpenClContext ctx, NDArray a, NDArray b, NDArray dst, int m, int n, int k, int batch) {
        Programs.Kernel kernel = ctx.programs.kernel(Programs.Family.GEMM, a.dtype(), "gemm_blocked");
        int nr = Programs.GEMM_NV * ctx.vectorWidth(a.dtype());
        operands(new Launch(ctx, kernel), a, b).i32(b.storage().size()).buf(Elementwise.storage(dst)).i32(dst.offset()).i32(m).i32(n).i32(k)
                .run(new long[] {(m + Programs.GEMM_MR - 1) / Programs.GEMM_MR, (n + nr - 1) / nr, batch}, null);
    }

    /** The arguments both kernels start with: A with offset and three strides, B with offset and two. */
    private static Launch operands(Launch launch, NDArray a, NDArray b) {
        return launch.buf(Elementwise.storage(a)).i32(a.offset()).i32(a.stride(0)).i32(a.stride(1)).i32(a.stride(2))
                .buf(Elementwise.storage(b)).i32(b.offset()).i32(b.stride(0)).i32(b.stride(1));
    }
}
