package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Winograd}'s F(2x2, 3x3) forward pass and input gradient against the composite convolution in F64, over odd
 * and tiny planes (tiles cut by the output's edge), paddings 0 to 2, runs of tiles longer and shorter than a vector,
 * channel counts that are not multiples of the micro-kernel's rows, the scalar and the Vector API transforms (which
 * must agree bit for bit), the SIMD and scalar GEMM kernels and 1 or 3 threads.
 */
class WinogradTest {
    /** n, c, h, w, o, pad. */
    private static final int[][] CASES = {
        {2, 5, 8, 8, 7, 1},
        {1, 3, 9, 7, 4, 1},
        {3, 4, 6, 5, 9, 0},
        {2, 6, 2, 3, 3, 2},
        {1, 2, 1, 1, 2, 1},
        {2, 9, 5, 71, 10, 1}, // rows of 36 tiles: whole vectors, a tail, and an odd last column
        {1, 4, 38, 67, 5, 2},
        {40, 3, 4, 4, 17, 1}, // a unit's tiles span many images
        {1, 70, 12, 12, 66, 1}, // 66 output channels: the last row panel of the GEMMs is partial
        {1, 260, 4, 6, 9, 1}, // 260 input channels: two k-slices
    };

    private static NDArray random(Random r, int... shape) {
        return ConvTest.random(r, DType.F64, shape);
    }

    private static Conv.Geo geo(int[] k) {
        Conv2dSpec spec = Conv2dSpec.of(1, k[5], 1, 1);
        return new Conv.Geo(k[0], k[1], k[2], k[3], k[4], 3, 3, spec.outHeight(k[2], 3), spec.outWidth(k[3], 3), spec);
    }

    @Test
    void matchesTheDirectConvolution() {
        Winograd.Transforms vector = VectorSupport.winogradF32();
        Winograd.Transforms scalar = new Winograd.Transforms();
        Random r = new Random(11);
        for (int[] k : CASES) {
            Conv2dSpec spec = Conv2dSpec.of(1, k[5], 1, 1);
            Conv.Geo gm = geo(k);
            NDArray x = random(r, k[0], k[1], k[2], k[3]);
            NDArray wt = random(r, k[4], k[1], 3, 3);
            NDArray y = ConvRun.conv2d(null, x, wt, spec);
            NDArray go = random(r, y.shape());
            NDArray dx = ConvRun.inputGrad(null, go, wt, k[2], k[3], spec);
            // the input gradient as Conv runs it: a forward convolution of go, padded 2 - pad, with c outputs
            Conv.Geo t = new Conv.Geo(k[0], k[4], gm.oh, gm.ow, k[1], 3, 3, k[2], k[3], Conv2dSpec.of(1, 2 - k[5], 1, 1));
            View xv = View.of(x.toType(DType.F32), "test");
            View wv = View.of(wt.toType(DType.F32), "test");
            View gv = View.of(go.toType(DType.F32), "test");
            String name = java.util.Arrays.toString(k);
            float[] first = null;
            float[] firstDx = null;
            for (GemmKernel kern : new GemmKernel[] {VectorSupport.gemmF32(), new GemmScalarF32()}) {
                for (Parallel par : new Parallel[] {new Parallel(1), new Parallel(3)}) {
                    for (Winograd.Transforms tr : vector == null ? new Winograd.Transforms[] {scalar}
                            : new Winograd.Transforms[] {scalar, vector}) {
                        NDArray got = ConvRun.pass(DType.F32, out -> Winograd.conv2d(par, kern, tr, xv, wv, gm, (float[]) out),
                                gm.n, gm.o, gm.oh, gm.ow);
                        NDArray gotDx = ConvRun.pass(DType.F32,
                                out -> Winograd.inputGrad(par, kern, tr, gv, wv, t, (float[]) out), t.n, t.o, t.oh, t.ow);
                        ConvTest.assertClose("conv2d " + name, y, got, 2e-6);
                        ConvTest.assertClose("inputGrad " + name, dx, gotDx, 2e-6);
                        if (kern == VectorSupport.gemmF32()) {
                            // same kernel: the same sums whatever the transforms' code path and the thread count
                            if (first == null) {
                                first = got.toFloatArray();
                                firstDx = gotDx.toFloatArray();
                            } else {
                                assertArrayEquals(first, got.toFloatArray(), name);
                                assertArrayEquals(firstDx, gotDx.toFloatArray(), name);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void convolutionsTakeItOnlyWhereItPays() {
        Conv2dSpec same = Conv2dSpec.of(1, 1, 1, 1);
        boolean simd = VectorSupport.winogradF32() != null;
        // ResNet-18's first stage at batch 16: 64 channels, 4096 tiles
        assertTrue(Winograd.fits(new Conv.Geo(16, 64, 32, 32, 64, 3, 3, 32, 32, same), false));
        assertEquals(simd, Winograd.available(DType.F32));
        assertFalse(Winograd.available(DType.F64));
        Conv.Geo last = new Conv.Geo(16, 512, 4, 4, 512, 3, 3, 4, 4, same); // 64 tiles
        assertFalse(Winograd.fits(last, false));
        assertTrue(Winograd.fits(last, true), "a fixed weight's transform is kept: 64 tiles pay");
        for (boolean fixed : new boolean[] {false, true}) {
            assertFalse(Winograd.fits(new Conv.Geo(8, 32, 32, 32, 32, 3, 3, 32, 32, same), fixed)); // thin
            assertFalse(Winograd.fits(new Conv.Geo(16, 64, 32, 32, 64, 3, 3, 16, 16, Conv2dSpec.of(2, 1, 1, 1)), fixed)); // stride 2
            assertFalse(Winograd.fits(new Conv.Geo(16, 64, 32, 32, 64, 3, 3, 30, 30, Conv2dSpec.of(1, 1, 2, 1)), fixed)); // dilation 2
        }
        // batch-1 ResNet-50: its 14x14 stage (49 tiles) with a fixed weight, its 7x7 stage (16 tiles) never
        assertTrue(Winograd.fits(new Conv.Geo(1, 256, 14, 14, 256, 3, 3, 14, 14, same), true));
        assertFalse(Winograd.fits(new Conv.Geo(1, 256, 14, 14, 256, 3, 3, 14, 14, same), false));
        assertFalse(Winograd.fits(new Conv.Geo(1, 512, 7, 7, 512, 3, 3, 7, 7, same), true));
    }

    @Test
    void theBackendUsesItForALargeConvolutionAndItsInputGradient() {
        // 1 x 64 x 64 x 64 -> 64: 1024 tiles, through the public API on the default backend
        Random r = new Random(5);
        Conv2dSpec spec = Conv2dSpec.of(1, 1, 1, 1);
        NDArray x = random(r, 1, 64, 64, 64);
        NDArray wt = random(r, 64, 64, 3, 3);
        NDArray y = ConvRun.conv2d(null, x, wt, spec);
        NDArray got = x.toType(DType.F32).conv2d(wt.toType(DType.F32), spec);
        ConvTest.assertClose("conv2d", y, got, 2e-6);
        NDArray go = random(r, y.shape());
        NDArray gotDx = go.toType(DType.F32).conv2dInputGrad(wt.toType(DType.F32), 64, 64, spec);
        ConvTest.assertClose("inputGrad", ConvRun.inputGrad(null, go, wt, 64, 64, spec), gotDx, 2e-6);
        if (VectorSupport.winogradF32() != null) { // and it was Winograd's result, bit for bit
            Conv.Geo gm = new Conv.Geo(1, 64, 64, 64, 64, 3, 3, 64, 64, spec);
            View wv = View.of(wt.toType(DType.F32), "test");
            Parallel one = new Parallel(1);
            View xv = View.of(x.toType(DType.F32), "test");
            View gv = View.of(go.toType(DType.F32), "test");
            assertArrayEquals(ConvRun.pass(DType.F32, out -> Winograd.conv2d(one, VectorSupport.gemmF32(), xv, wv, gm, (float[]) out),
                    1, 64, 64, 64).toFloatArray(), got.toFloatArray());
            assertArrayEquals(ConvRun.pass(DType.F32, out -> Winograd.inputGrad(one, VectorSupport.gemmF32(), gv, wv, gm,
                    (float[]) out), 1, 64, 64, 64).toFloatArray(), gotDx.toFloatArray());
        }
    }
}
