package dev.kasane.backend.cpu;

import static dev.kasane.backend.cpu.ConvTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Convolution;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Each {@link ConvStrategy}, forced on geometries it serves, against the composite convolution of {@link Convolution}
 * (per-element tolerance relative to the largest expected magnitude: 1e-12 in F64, 2e-5 in F32; the GEMMs sum in
 * another order than the composite, so F64 is not bit-exact), with the Vector API and the scalar 4x8 kernels and three
 * threads, on the cases of {@link ConvTest} that each serves. The shapes cross the kernels' tails: output widths and
 * channel counts that are not multiples of the tile, image counts that are not multiples of the images per unit, groups,
 * dilation, padding and partial row blocks.
 */
class ConvStrategyTest {
    private static final GemmKernel[][] KERNELS = {
        {VectorSupport.gemmF32(), VectorSupport.gemmF64()},
        {new GemmScalarF32(), new GemmScalarF64()},
    };

    private final Parallel par = new Parallel(3);

    private enum Pass { FORWARD, INPUT_GRAD, WEIGHT_GRAD }

    /** Whether case {@code k} (n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups) has stride 1. */
    private static boolean strideOne(int[] k) {
        return k[7] == 1 && k[8] == 1;
    }

    /** Stride 1 with padding at most dilation * (kernel - 1): the input gradient has a forward form ({@link Conv.Geo#transposed}). */
    private static boolean transposable(int[] k) {
        return strideOne(k) && k[9] <= k[11] * (k[5] - 1) && k[10] <= k[12] * (k[6] - 1);
    }

    /** 1x1, stride 1, unpadded (as {@link Conv.Geo#pointwise}). */
    private static boolean pointwise(int[] k) {
        return k[5] == 1 && k[6] == 1 && strideOne(k) && k[9] == 0 && k[10] == 0;
    }

    /** One input channel per group, more than one group (as {@link DepthwiseConv#fits}). */
    private static boolean depthwise(int[] k) {
        return k[13] > 1 && k[1] == k[13];
    }

    /** Runs {@code s}'s {@code passes} on each of the cases {@code serves} accepts in F32 and F64 against the composite. */
    private void check(ConvStrategy s, Predicate<int[]> serves, Pass... passes) {
        ConvTest.forEachCase(17, serves, (ref, t, tol, r) -> {
            Conv.Geo gm = ref.geo();
            View xv = View.of(ref.x(), "test");
            View wv = View.of(ref.wt(), "test");
            View gv = View.of(ref.go(), "test");
            for (GemmKernel[] kerns : KERNELS) {
                GemmKernel kern = kerns[t == DType.F32 ? 0 : 1];
                String name = s.name() + " " + Arrays.toString(ref.k()) + " " + t + " " + kern.describe();
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
        });
    }

    @Test
    void im2colMatchesTheComposite() {
        check(Im2colConv.INSTANCE, k -> !depthwise(k), Pass.values());
    }

    @Test
    void severalImagesPerUnitMatchTheComposite() {
        for (int ni : new int[] {2, 3}) {
            check(new ImagesConv(ni), k -> !depthwise(k), Pass.values());
        }
    }

    @Test
    void inPlaceTapsMatchTheComposite() {
        check(InPlaceTapsConv.INSTANCE, k -> strideOne(k) && !pointwise(k) && !depthwise(k), Pass.FORWARD, Pass.WEIGHT_GRAD);
    }

    /** Stride 2 (no dilation, kernels of at least 3x3): the forward pass reads its taps from the input's four phases. */
    @Test
    void phasedTapsMatchTheComposite() {
        check(InPlaceTapsConv.INSTANCE, k -> k[7] == 2 && k[8] == 2 && k[11] == 1 && k[12] == 1 && k[5] >= 3 && k[6] >= 3
                && !depthwise(k), Pass.FORWARD);
    }

    @Test
    void pointwiseMatchesTheComposite() {
        check(PointwiseConv.INSTANCE, ConvStrategyTest::pointwise, Pass.FORWARD, Pass.WEIGHT_GRAD);
    }

    /** 1x1 unpadded with a stride (as {@link Conv.Geo#subsampling}): the forward pass subsamples, then reads in place. */
    @Test
    void subsampledPointwiseMatchesTheComposite() {
        check(PointwiseConv.INSTANCE, k -> k[5] == 1 && k[6] == 1 && k[9] == 0 && k[10] == 0 && !strideOne(k), Pass.FORWARD);
    }

    @Test
    void depthwiseMatchesTheComposite() {
        check(DepthwiseConv.INSTANCE, ConvStrategyTest::depthwise, Pass.values());
    }

    @Test
    void transposedFormsMatchTheComposite() {
        Predicate<int[]> general = k -> transposable(k) && !pointwise(k) && !depthwise(k);
        check(new TransposedConv(Im2colConv.INSTANCE), general, Pass.INPUT_GRAD);
        check(new TransposedConv(InPlaceTapsConv.INSTANCE), general, Pass.INPUT_GRAD);
        check(new TransposedConv(new ImagesConv(2)), general, Pass.INPUT_GRAD);
        check(new TransposedConv(PointwiseConv.INSTANCE), ConvStrategyTest::pointwise, Pass.INPUT_GRAD);
        // depthwise with one output channel per input channel (k[4] == k[1])
        check(new TransposedConv(DepthwiseConv.INSTANCE), k -> depthwise(k) && transposable(k) && k[4] == k[1],
                Pass.INPUT_GRAD);
    }

    @Test
    void winogradMatchesTheCompositeWhereItExists() {
        // F(2x2, 3x3) rounds differently from a direct sum: 1e-4 relative in F32 (as WinogradTest)
        if (!Winograd.available(DType.F32)) {
            assertEquals("in-place", ConvChooser.forward(geo64(), DType.F32, VectorSupport.gemmF32(), false).name());
            return;
        }
        ConvTest.Reference ref = ConvTest.Reference.of(new Random(5), DType.F32, new int[] {3, 8, 9, 11, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1});
        Conv.Geo gm = ref.geo();
        GemmKernel kern = VectorSupport.gemmF32();
        View wt = View.of(ref.wt(), "t");
        assertClose("winograd forward", ref.y(), ConvRun.forward(WinogradConv.INSTANCE, par, kern, View.of(ref.x(), "t"), wt, gm), 1e-4);
        assertClose("winograd inputGrad", ref.dx(),
                ConvRun.inputGrad(new TransposedConv(WinogradConv.INSTANCE), par, kern, View.of(ref.go(), "t"), wt, gm), 1e-4);
    }

    /**
     * One image gives the row-block strategies fewer units than {@link ConvChooser#MIN_UNITS} (a block or two), so the
     * forward pass spreads each block's GEMM over the threads ({@link Gemm#gemm(Parallel, GemmKernel, Gemm.PackedA,
     * Gemm.BPacker, Object, int, int, int, boolean)}): the result equals one thread's bit for bit and the composite
     * within 2e-5 relative. 300 output channels make three weight row blocks, the last partial; 7x7 and 14x14 planes
     * make two and seven column panels.
     */
    @Test
    void oneImageSpreadsEachBlockGemmOverTheThreads() {
        int[][] cases = {
            {1, 40, 14, 14, 300, 3, 3, 1, 1, 1, 1, 1, 1, 1}, // im2col and in place: one block of 14 rows
            {1, 40, 9, 9, 300, 3, 3, 1, 1, 1, 1, 1, 1, 1}, // 7x7 output, unpadded
            {1, 96, 7, 7, 300, 1, 1, 1, 1, 0, 0, 1, 1, 1}, // pointwise
            {1, 96, 14, 14, 130, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        };
        Parallel one = new Parallel(1);
        for (int[] k : cases) {
            ConvTest.Reference ref = ConvTest.Reference.of(new Random(9), DType.F32, k);
            Conv.Geo gm = ref.geo();
            ConvStrategy[] strategies = pointwise(k) ? new ConvStrategy[] {PointwiseConv.INSTANCE, Im2colConv.INSTANCE}
                    : new ConvStrategy[] {Im2colConv.INSTANCE, InPlaceTapsConv.INSTANCE};
            for (ConvStrategy s : strategies) {
                for (GemmKernel[] kerns : KERNELS) {
                    GemmKernel kern = kerns[0];
                    String name = s.name() + " " + Arrays.toString(k) + " " + kern.describe();
                    View x = View.of(ref.x(), "test");
                    View wt = View.of(ref.wt(), "test");
                    NDArray spread = ConvRun.forward(s, par, kern, x, wt, gm);
                    assertArrayEquals(ConvRun.forward(s, one, kern, x, wt, gm).toFloatArray(), spread.toFloatArray(), name);
                    assertClose("forward " + name, ref.y(), spread, 2e-5);
                }
            }
        }
    }

    /**
     * Small depthwise planes with at least 32 channels take the channels-last loops ({@link DepthwiseConv#channelsLast}):
     * the three passes (the stride-1 input gradient through the transposed forward pass) match the composite (2e-5
     * relative in F32, 1e-12 in F64), with every output written (NaN-filled outputs); the forward pass equals the phase
     * loops bit for bit; the weight gradient, summed in another order, equals them within the same tolerance. The cases
     * cross the channel blocks (40, 33, 70 channels), padding taps (a 5x5 kernel on a 2x2 plane), stride 2, dilation and
     * an asymmetric kernel.
     */
    @Test
    void smallDepthwisePlanesGoChannelsLast() {
        int[][] cases = {
            {3, 40, 4, 4, 40, 3, 3, 1, 1, 1, 1, 1, 1, 40},
            {2, 70, 2, 2, 70, 5, 5, 1, 1, 2, 2, 1, 1, 70},
            {2, 36, 9, 9, 36, 3, 3, 2, 2, 1, 1, 1, 1, 36},
            {2, 33, 7, 6, 33, 3, 2, 1, 1, 0, 1, 2, 1, 33},
        };
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            double tol = t == DType.F32 ? 2e-5 : 1e-12;
            for (int[] k : cases) {
                ConvTest.Reference ref = ConvTest.Reference.of(new Random(k[1]), t, k);
                Conv.Geo gm = ref.geo();
                String name = Arrays.toString(k) + " " + t;
                assertTrue(DepthwiseConv.channelsLast(gm), name);
                GemmKernel kern = KERNELS[0][t == DType.F32 ? 0 : 1];
                View x = View.of(ref.x(), "test");
                View wt = View.of(ref.wt(), "test");
                View go = View.of(ref.go(), "test");
                NDArray y = ConvRun.forward(DepthwiseConv.INSTANCE, par, kern, x, wt, gm);
                assertClose("forward " + name, ref.y(), y, tol);
                NDArray phases = ConvRun.pass(t, out -> DepthwiseConv.forwardPhases(par, x, wt, gm, out), gm.n, gm.o, gm.oh,
                        gm.ow);
                assertArrayEquals(phases.toDoubleArray(), y.toDoubleArray(), "forward against the phase loops " + name);
                ConvStrategy inputGrad = ConvChooser.inputGrad(gm, t, kern);
                assertClose("inputGrad " + inputGrad.name() + " " + name, ref.dx(),
                        ConvRun.inputGrad(inputGrad, par, kern, go, wt, gm), tol);
                NDArray dw = ConvRun.weightGrad(DepthwiseConv.INSTANCE, par, kern, x, go, gm);
                assertClose("weightGrad " + name, ref.dw(), dw, tol);
                assertClose("weightGrad against the phase loops " + name, ConvRun.pass(t,
                        out -> DepthwiseConv.weightGradPhases(par, x, go, gm, out), gm.o, 1, gm.kh, gm.kw), dw, tol);
            }
        }
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
