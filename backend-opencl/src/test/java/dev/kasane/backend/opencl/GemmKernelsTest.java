package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Both GEMM kernels of {@code gemm.cl}, whichever the device would pick, against the CPU backend: shapes on either
 * side of the blocks (rows past M, columns past the vector blocks), transposed and broadcast operands, F32 and F64.
 * The operands are quarter-integers small enough that every product and sum is exact in F32 (K at most 64), so results
 * must be equal (tolerance 0).
 */
@RequiresOpenCl
class GemmKernelsTest {
    private static final Device D = OpenClTestSupport.DEVICE;

    /** Runs {@code kernel} on [B, M, K] x [B, K, N] operands (optionally transposed views, B broadcast) and compares. */
    private static void check(Gemm.Kernel kernel, DType t, int batch, int m, int k, int n, boolean aT, boolean bT,
            boolean broadcastB) {
        NDArray a = OpenClTestSupport.randomQuarters(m * 31L + k, t, batch, aT ? k : m, aT ? m : k);
        NDArray b = OpenClTestSupport.randomQuarters(n * 17L + k, t, broadcastB ? 1 : batch, bT ? n : k, bT ? k : n);
        UnaryOperator<NDArray> va = x -> aT ? x.transpose(1, 2) : x;
        UnaryOperator<NDArray> vb = x -> {
            NDArray y = bT ? x.transpose(1, 2) : x;
            return broadcastB ? y.expand(batch, k, n) : y;
        };
        NDArray expected = va.apply(a).matmul(vb.apply(b));
        NDArray dst = NDArray.empty(t, D, batch, m, n);
        Gemm.matmul(OpenClContext.of(D), va.apply(a.to(D)), vb.apply(b.to(D)), dst, kernel);
        String what = kernel + " " + t + " batch " + batch + " " + m + "x" + k + "x" + n + (aT ? " A^T" : "") + (bT ? " B^T" : "")
                + (broadcastB ? " broadcast B" : "");
        assertArrayEquals(expected.toDoubleArray(), dst.toDoubleArray(), 0, what);
    }

    @Test
    void bothKernelsMatchTheCpuExactly() {
        int[] ms = {1, 7, 8, 9, 33};
        int[] ns = {1, 15, 16, 33, 64, 70};
        int[] ks = {1, 19, 64};
        for (Gemm.Kernel kernel : Gemm.Kernel.values()) {
            for (int m : ms) {
                for (int n : ns) {
                    for (int k : ks) {
                        check(kernel, DType.F32, 1, m, k, n, false, false, false);
                    }
                }
            }
            for (boolean aT : new boolean[] {false, true}) {
                for (boolean bT : new boolean[] {false, true}) {
                    check(kernel, DType.F32, 3, 9, 21, 40, aT, bT, false);
                    check(kernel, DType.F32, 3, 17, 5, 33, aT, bT, true);
                    if (OpenClContext.of(D).fp64) {
                        check(kernel, DType.F64, 2, 11, 23, 37, aT, bT, false);
                    }
                }
            }
        }
    }

    /** A and B walked backwards along K (negative strides), with a last block that reads past N. */
    @Test
    void flippedOperandsWithEdgeBlocks() {
        NDArray a = OpenClTestSupport.randomQuarters(5, DType.F32, 2, 9, 12);
        NDArray b = OpenClTestSupport.randomQuarters(6, DType.F32, 2, 12, 33);
        UnaryOperator<NDArray> flipA = x -> x.slice(2, -1, Integer.MIN_VALUE, -1);
        UnaryOperator<NDArray> flipB = x -> x.slice(1, -1, Integer.MIN_VALUE, -1);
        NDArray expected = flipA.apply(a).matmul(flipB.apply(b));
        for (Gemm.Kernel kernel : Gemm.Kernel.values()) {
            NDArray dst = NDArray.empty(DType.F32, D, 2, 9, 33);
            NDArray bv = flipB.apply(b.to(D));
            assertEquals(-33, bv.stride(1), "a view walking B's rows backwards");
            Gemm.matmul(OpenClContext.of(D), flipA.apply(a.to(D)), bv, dst, kernel);
            assertArrayEquals(expected.toDoubleArray(), dst.toDoubleArray(), 0, kernel + " flipped");
        }
    }

    @Test
    void cpuDevicesGetTheBlockedKernelGpusTheTiledOneUnlessThePropertyPicks() {
        OpenClContext ctx = OpenClContext.of(D);
        assertEquals(Gemm.Kernel.forDevice(ctx.isGpu(), ctx.info.maxWorkGroupSize()), ctx.gemmKernel);
        String old = System.getProperty(Gemm.KERNEL_PROPERTY);
        try {
            System.clearProperty(Gemm.KERNEL_PROPERTY);
            assertEquals(Gemm.Kernel.BLOCKED, Gemm.Kernel.forDevice(false, 4096));
            assertEquals(Gemm.Kernel.TILED, Gemm.Kernel.forDevice(true, 256));
            assertEquals(Gemm.Kernel.BLOCKED, Gemm.Kernel.forDevice(true, 128), "a GPU with small work-groups");
            System.setProperty(Gemm.KERNEL_PROPERTY, "Tiled");
            assertEquals(Gemm.Kernel.TILED, Gemm.Kernel.forDevice(false, 4096));
            System.setProperty(Gemm.KERNEL_PROPERTY, "blocked");
            assertEquals(Gemm.Kernel.BLOCKED, Gemm.Kernel.forDevice(true, 256));
            System.setProperty(Gemm.KERNEL_PROPERTY, "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.Kernel.forDevice(true, 256));
            assertTrue(e.getMessage().contains("kasane.opencl.gemm=fast") && e.getMessage().contains("tiled"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(Gemm.KERNEL_PROPERTY);
            } else {
                System.setProperty(Gemm.KERNEL_PROPERTY, old);
            }
        }
    }
}
