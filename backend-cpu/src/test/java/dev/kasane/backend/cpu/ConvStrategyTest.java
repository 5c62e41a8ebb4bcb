package dev.kasane.backend.cpu;

import static dev.kasane.backend.cpu.ConvTest.assertClose;
import static dev.kasane.backend.cpu.ConvTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Convolution;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each {@link ConvStrategy}, forced on geometries it serves, against the composite convolution of {@link Convolution}
 * (per-element tolerance relative to the largest expected magnitude: 1e-12 in F64, 2e-5 in F32; the GEMMs sum in
 * another order than the composite, so F64 is not bit-exact), with the Vector API and the scalar 4x8 kernels and three
 * threads. The shapes cross the kernels' tails: output widths and channel counts that are not multiples of the tile,
 * image counts that are not multiples of the images per unit, groups, dilation, padding and partial row blocks.
 */
class ConvStrategyTest {
    /** n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups. */
    private static final int[][] GENERAL = {
        {3, 5, 9, 11, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1},
        {2, 4, 10, 9, 6, 3, 2, 1, 2, 2, 1, 2, 1, 2},
        {5, 3, 6, 6, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {1, 2, 13, 7, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1},
        {7, 6, 5, 5, 12, 2, 2, 2, 2, 0, 0, 1, 1, 3},
    };
    /** Stride-1 geometries (in place and transposed forms): odd widths, dilation, groups, asymmetric padding. */
    private static final int[][] STRIDE_ONE = {
        {2, 3, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {3, 4, 8, 13, 6, 3, 3, 1, 1, 2, 1, 2, 1, 2},
        {1, 6, 20, 23, 10, 3, 5, 1, 1, 1, 2, 1, 1, 1},
        {4, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1, 1},
        {3, 8, 6, 7, 40, 3, 3, 1, 1, 0, 1, 1, 1, 1},
    };
    /** 1x1, stride 1, unpadded. */
    private static final int[][] POINTWISE = {
        {3, 5, 7, 9, 11, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {2, 6, 5, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2},
        {1, 40, 19, 17, 33, 1, 1, 1, 1, 0, 0, 1, 1, 1},
    };

    /** Depthwise: one input channel per group, multipliers 1 and 2, strides, dilation, padding, 1x1 and 2x2 planes. */
    private static final int[][] DEPTHWISE = {
        {2, 6, 9, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6},
        {3, 5, 11, 10, 5, 3, 3, 2, 2, 1, 1, 1, 1, 5},
        {2, 4, 7, 9, 8, 3, 5, 1, 2, 2, 1, 2, 1, 4},
        {5, 8, 2, 2, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8},
        {4, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 3},
        {2, 16, 12, 12, 16, 5, 5, 1, 1, 2, 2, 1, 1, 16},
        {1, 2, 6, 6, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2},
        {2, 4, 10, 12, 4, 3, 3, 2, 3, 0, 0, 1, 1, 4}, // the last input row and columns are read by no tap
    };

    private static final GemmKernel[][] KERNELS = {
        {VectorSupport.gemmF32(), VectorSupport.gemmF64()},
        {new GemmScalarF32(), new GemmScalarF64()},
    };

    private final Parallel par = new Parallel(3);

    private enum Pass { FORWARD, INPUT_GRAD, WEIGHT_GRAD }

    /** Runs {@code s}'s {@code passes} on every case in F32 and F64 against the composite. */
    private void check(ConvStrategy s, int[][] cases, Pass... passes) {
        Random r = new Random(17);
        for (int[] k : cases) {
            for (DType t : new DType[] {DType.F32, DType.F64}) {
                double tol = t == DType.F32 ? 2e-5 : 1e-12;
                ConvTest.Reference ref = ConvTest.Reference.of(r, t, k);
                Conv.Geo gm = ref.geo();
                View xv = View.of(ref.x(), "test");
                View wv = View.of(ref.wt(), "test");
                View gv = View.of(ref.go(), "test");
                for (GemmKernel[] kerns : KERNELS) {
                    GemmKernel kern = kerns[t == DType.F32 ? 0 : 1];
                    String name = s.name() + " " + Arrays.toString(k) + " " + t + " " + kern.describe();
                    for (Pass p : passes) {
                        switch (p) {
                            case FORWARD -> assertClose("forward " + name, ref.y(), ConvRun.forward(s, par, kern, xv, wv, gm), tol);
                            case INPUT_GRAD -> assertClose("inputGrad " + name, ref.dx(),
                                    ConvRun.inputGrad(s, par, kern, gv, wv, gm), tol);
                            case WEIGHT_GRAD -> assertClose("weightGrad " + name, ref.dw(),
                                    ConvRun.weightGrad(s, par, kern, xv, gv, gm), tol);
                        }
                    }
                }
            }
        }
    }

    @Test
    void im2colMatchesTheComposite() {
        check(Im2colConv.INSTANCE, GENERAL, Pass.values());
        check(Im2colConv.INSTANCE, STRIDE_ONE, Pass.values());
    }

    @Test
    void severalImagesPerUnitMatchTheComposite() {
        for (int ni : new int[] {2, 3}) {
            check(new ImagesConv(ni), GENERAL, Pass.values());
            check(new ImagesConv(ni), POINTWISE, Pass.values());
        }
    }

    @Test
    void inPlaceTapsMatchTheComposite() {
        check(InPlaceTapsConv.INSTANCE, STRIDE_ONE, Pass.FORWARD, Pass.WEIGHT_GRAD);
    }

    @Test
    void pointwiseMatchesTheComposite() {
        check(PointwiseConv.INSTANCE, POINTWISE, Pass.FORWARD, Pass.WEIGHT_GRAD);
    }

    @Test
    void depthwiseMatchesTheComposite() {
        check(DepthwiseConv.INSTANCE, DEPTHWISE, Pass.values());
    }

    @Test
    void transposedFormsMatchTheComposite() {
        check(new TransposedConv(Im2colConv.INSTANCE), STRIDE_ONE, Pass.INPUT_GRAD);
        check(new TransposedConv(InPlaceTapsConv.INSTANCE), STRIDE_ONE, Pass.INPUT_GRAD);
        check(new TransposedConv(new ImagesConv(2)), STRIDE_ONE, Pass.INPUT_GRAD);
        check(new TransposedConv(PointwiseConv.INSTANCE), POINTWISE, Pass.INPUT_GRAD);
    }

    @Test
    void winogradMatchesTheCompositeWhereItExists() {
        // F(2x2, 3x3) rounds differently from a direct sum: 1e-4 relative in F32 (as WinogradTest)
        if (!Winograd.available(DType.F32)) {
            assertEquals("in-place", ConvChooser.forward(geo64(), DType.F32, VectorSupport.gemmF32()).name());
            return;
        }
        Random r = new Random(5);
        Conv2dSpec same = Conv2dSpec.of(1, 1, 1, 1);
        NDArray x = random(r, DType.F32, 3, 8, 9, 11);
        NDArray wt = random(r, DType.F32, 6, 8, 3, 3);
        NDArray y = ConvRun.conv2d(null, x, wt, same);
        NDArray go = random(r, DType.F32, y.shape());
        Conv.Geo gm = new Conv.Geo(3, 8, 9, 11, 6, 3, 3, 9, 11, same);
        GemmKernel kern = VectorSupport.gemmF32();
        assertClose("winograd forward", y, ConvRun.forward(WinogradConv.INSTANCE, par, kern, View.of(x, "t"), View.of(wt, "t"), gm),
                1e-4);
        assertClose("winograd inputGrad", ConvRun.inputGrad(null, go, wt, 9, 11, same),
                ConvRun.inputGrad(new TransposedConv(WinogradConv.INSTANCE), par, kern, View.of(go, "t"), View.of(wt, "t"), gm),
                1e-4);
    }

    private static Conv.Geo geo64() {
        return new Conv.Geo(16, 64, 32, 32, 64, 3, 3, 32, 32, Conv2dSpec.of(1, 1, 1, 1));
    }

    @Test
    void aStrategyNamesItselfForAPassItDoesNotServe() {
        View v = View.of(NDArray.zeros(DType.F32, dev.kasane.tensor.Device.CPU, 1, 1, 1, 1), "t");
        Conv.Geo gm = new Conv.Geo(1, 1, 1, 1, 1, 1, 1, 1, 1, Conv2dSpec.of(1, 0, 1, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PointwiseConv.INSTANCE.inputGrad(par, VectorSupport.gemmF32(), v, v, gm, new float[1]));
        assertEquals("conv2d: the pointwise strategy has no inputGrad pass", e.getMessage());
    }
}
