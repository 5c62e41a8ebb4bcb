package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Convolution;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's fused conv2d / conv2dInputGrad / conv2dWeightGrad / maxPool2d against the composite
 * implementations of {@link Convolution}, over strides, padding, dilation, groups (depthwise too), 1x1, odd sizes,
 * batch 1 and 5, strided inputs, F32 and F64, the SIMD and scalar GEMM kernels and 1 or 3 threads.
 */
class ConvTest {
    /** n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups. */
    private static final int[][] CASES = {
        {2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {1, 4, 7, 5, 6, 3, 3, 1, 1, 0, 0, 1, 1, 1},
        {5, 3, 9, 11, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1},
        {5, 2, 10, 9, 3, 5, 3, 2, 1, 2, 1, 1, 1, 1},
        {2, 3, 11, 10, 4, 3, 3, 1, 2, 2, 1, 2, 2, 1},
        {3, 4, 7, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2},
        {2, 6, 9, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6},
        {2, 4, 9, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1, 4},
        {5, 8, 6, 7, 5, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {1, 6, 5, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2},
        {2, 4, 7, 6, 3, 1, 1, 2, 2, 0, 0, 1, 1, 1},
        {2, 4, 5, 6, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        {1, 1, 28, 28, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1},
        {5, 6, 12, 12, 16, 5, 5, 1, 1, 0, 0, 1, 1, 1},
        {2, 3, 4, 4, 2, 4, 4, 1, 1, 0, 0, 1, 1, 1},
        {1, 2, 3, 3, 2, 3, 3, 3, 3, 2, 2, 1, 1, 1},
        {2, 16, 64, 64, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {1, 32, 40, 36, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {2, 32, 12, 12, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {2, 64, 16, 16, 8, 3, 3, 2, 1, 1, 1, 1, 1, 2},
        {2, 256, 16, 16, 8, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {40, 16, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {12, 8, 6, 6, 8, 3, 3, 1, 1, 1, 1, 1, 1, 2},
        {20, 8, 7, 7, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1},
        {9, 24, 4, 4, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {6, 8, 4, 4, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {4, 8, 4, 4, 72, 3, 3, 1, 1, 1, 1, 1, 1, 2},
        // stride 1, wide rows: the forward pass reads the padded input in place (a K of 576: three k-slices)
        {1, 64, 18, 20, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {2, 6, 20, 23, 10, 3, 3, 1, 1, 2, 2, 2, 2, 2},
        {1, 3, 17, 33, 5, 3, 5, 1, 1, 0, 2, 1, 1, 1},
        // in place with few output channels over wide rows: the weight gradient's dot products (LeNet-5's conv1)
        {4, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1, 1},
        {3, 2, 30, 30, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        // stride 2 read in place from the input's phases: a stem-like 7x7 with odd sizes, wide rows (K 576), no padding,
        // a 4x3 kernel with uneven padding
        {1, 3, 23, 21, 8, 7, 7, 2, 2, 3, 3, 1, 1, 1},
        {1, 64, 20, 18, 24, 3, 3, 2, 2, 1, 1, 1, 1, 1},
        {2, 4, 8, 10, 6, 3, 3, 2, 2, 0, 0, 1, 1, 1},
        {1, 3, 9, 8, 5, 4, 3, 2, 2, 2, 1, 1, 1, 1},
        // 1x1 with a stride: the forward pass subsamples the planes, then reads them in place (whole panels and a tail)
        {1, 40, 13, 35, 24, 1, 1, 2, 2, 0, 0, 1, 1, 1},
        {2, 8, 9, 9, 6, 1, 1, 3, 2, 0, 0, 1, 1, 2},
        // stride 1 with many output channels on small planes: im2col (the extra columns would cost more)
        {3, 8, 4, 4, 520, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        // for the strategies of ConvStrategyTest: output widths and channel counts that are not multiples of the
        // tile, image counts that are not multiples of the images per unit, groups, dilation, padding
        {3, 5, 9, 11, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1},
        {2, 4, 10, 9, 6, 3, 2, 1, 2, 2, 1, 2, 1, 2},
        {5, 3, 6, 6, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {1, 2, 13, 7, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1},
        {7, 6, 5, 5, 12, 2, 2, 2, 2, 0, 0, 1, 1, 3},
        // stride 1 (in place and transposed forms): odd widths, dilation, groups, asymmetric padding
        {2, 3, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {3, 4, 8, 13, 6, 3, 3, 1, 1, 2, 1, 2, 1, 2},
        {1, 6, 20, 23, 10, 3, 5, 1, 1, 1, 2, 1, 1, 1},
        {3, 8, 6, 7, 40, 3, 3, 1, 1, 0, 1, 1, 1, 1},
        // 1x1, stride 1, unpadded
        {3, 5, 7, 9, 11, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {2, 6, 5, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2},
        {1, 40, 19, 17, 33, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        // depthwise: multipliers 1 and 2, strides, dilation, padding, 1x1 and 2x2 planes
        {3, 5, 11, 10, 5, 3, 3, 2, 2, 1, 1, 1, 1, 5},
        {2, 4, 7, 9, 8, 3, 5, 1, 2, 2, 1, 2, 1, 4},
        {5, 8, 2, 2, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8},
        {4, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 3},
        {2, 16, 12, 12, 16, 5, 5, 1, 1, 2, 2, 1, 1, 16},
        {1, 2, 6, 6, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2},
        {2, 4, 10, 12, 4, 3, 3, 2, 3, 0, 0, 1, 1, 4}, // the last input row and columns are read by no tap
        {2, 6, 40, 70, 6, 3, 3, 2, 2, 1, 1, 1, 1, 6}, // stride 2 over rows long enough for the vector shuffles
        {2, 5, 9, 33, 5, 3, 3, 1, 1, 2, 2, 2, 2, 5}, // dilated, stride 1: the input gradient's transposed form
    };

    private static List<CpuBackend> backends() {
        List<CpuBackend> bs = new ArrayList<>();
        bs.add(new CpuBackend(new Parallel(3), null, null));
        bs.add(new CpuBackend(new Parallel(1), new GemmScalarF32(), new GemmScalarF64()));
        return bs;
    }

    /** Standard normal values of {@code shape} in dtype {@code t}. */
    static NDArray random(Random r, DType t, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return NDArray.of(v, shape).toType(t);
    }

    /**
     * One case of {@code k} (n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups): random input
     * {@code x}, weight {@code wt} and gradOut {@code go} in {@code t}, and the composite's output, input gradient and
     * weight gradient.
     */
    record Reference(int[] k, Conv2dSpec spec, NDArray x, NDArray wt, NDArray y, NDArray go, NDArray dx, NDArray dw) {
        static Reference of(Random r, DType t, int[] k) {
            Conv2dSpec spec = new Conv2dSpec(k[7], k[8], k[9], k[10], k[11], k[12], k[13]);
            NDArray x = random(r, t, k[0], k[1], k[2], k[3]);
            NDArray wt = random(r, t, k[4], k[1] / k[13], k[5], k[6]);
            NDArray y = ConvRun.conv2d(null, x, wt, spec);
            NDArray go = random(r, t, y.shape());
            return new Reference(k, spec, x, wt, y, go, ConvRun.inputGrad(null, go, wt, k[2], k[3], spec),
                    ConvRun.weightGrad(null, x, go, k[5], k[6], spec));
        }

        /** The CPU backend's geometry of this case. */
        Conv.Geo geo() {
            return new Conv.Geo(k[0], k[1], k[2], k[3], k[4], k[5], k[6], y.size(2), y.size(3), spec);
        }
    }

    /** |want - got| within {@code tol} times the largest |want| (at least 1), element by element. */
    static void assertClose(String what, NDArray want, NDArray got, double tol) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        double[] a = want.toType(DType.F64).toDoubleArray();
        double[] b = got.toType(DType.F64).toDoubleArray();
        double scale = 1;
        for (double x : a) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= tol * scale)) {
                throw new AssertionError(what + ": element " + i + " expected " + a[i] + " got " + b[i] + " (tol " + tol * scale + ")");
            }
        }
    }

    /** A check of one case's {@link Reference} in dtype {@code t}, within {@code tol}, drawing any other operands from {@code r}. */
    interface CaseCheck {
        void check(Reference ref, DType t, double tol, Random r);
    }

    /**
     * Runs {@code check} on the reference of each of the {@link #CASES} that {@code include} accepts, in F32 (tolerance
     * 2e-5) and F64 (1e-12), all drawn from one random stream of {@code seed}.
     */
    static void forEachCase(long seed, Predicate<int[]> include, CaseCheck check) {
        Random r = new Random(seed);
        for (int[] k : CASES) {
            if (include.test(k)) {
                for (DType t : new DType[] {DType.F32, DType.F64}) {
                    check.check(Reference.of(r, t, k), t, t == DType.F32 ? 2e-5 : 1e-12, r);
                }
            }
        }
    }

    @Test
    void fusedConvolutionMatchesTheComposite() {
        forEachCase(7, k -> true, (ref, t, tol, r) -> {
            int[] k = ref.k();
            Conv2dSpec spec = ref.spec();
            NDArray x = ref.x();
            NDArray wt = ref.wt();
            NDArray y = ref.y();
            NDArray go = ref.go();
            NDArray dx = ref.dx();
            NDArray dw = ref.dw();
            String name = java.util.Arrays.toString(k) + " " + t;
            for (CpuBackend be : backends()) {
                assertClose("conv2d " + name, y, ConvRun.conv2d(be, x, wt, spec), tol);
                assertClose("inputGrad " + name, dx, ConvRun.inputGrad(be, go, wt, k[2], k[3], spec), tol);
                assertClose("weightGrad " + name, dw, ConvRun.weightGrad(be, x, go, k[5], k[6], spec), tol);
            }
            // through the NDArray API (the default backend), on strided views
            NDArray xs = random(r, t, k[0], k[2], k[1], k[3]).permute(0, 2, 1, 3);
            NDArray gos = random(r, t, y.size(0), y.size(1), y.size(2), 2 * y.size(3)).slice(3, 0, 2 * y.size(3), 2);
            assertClose("strided conv2d " + name, ConvRun.conv2d(null, xs, wt, spec), xs.conv2d(wt, spec), tol);
            assertClose("strided inputGrad " + name, ConvRun.inputGrad(null, gos, wt, k[2], k[3], spec),
                    gos.conv2dInputGrad(wt, k[2], k[3], spec), tol);
            assertClose("strided weightGrad " + name, ConvRun.weightGrad(null, xs, gos, k[5], k[6], spec),
                    xs.conv2dWeightGrad(gos, k[5], k[6], spec), tol);
        });
    }

    @Test
    void weightGradientDoesNotDependOnTheThreadCount() {
        Reference ref = Reference.of(new Random(3), DType.F32, new int[] {6, 16, 40, 40, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1});
        assertSameOnOneAndThreeThreads("weightGrad", be -> ConvRun.weightGrad(be, ref.x(), ref.go(), 3, 3, ref.spec()));
        assertSameOnOneAndThreeThreads("conv2d", be -> ConvRun.conv2d(be, ref.x(), ref.wt(), ref.spec()));
        assertSameOnOneAndThreeThreads("inputGrad", be -> ConvRun.inputGrad(be, ref.go(), ref.wt(), 40, 40, ref.spec()));
    }

    /** {@code pass} gives bit-identical F32 results on a backend of one thread and on one of three. */
    private static void assertSameOnOneAndThreeThreads(String pass, java.util.function.Function<CpuBackend, NDArray> run) {
        float[] one = run.apply(new CpuBackend(new Parallel(1), null, null)).toFloatArray();
        float[] three = run.apply(new CpuBackend(new Parallel(3), null, null)).toFloatArray();
        assertArrayEquals(one, three, pass);
    }

    @Test
    void kernelsWriteIntoADestinationAtAnOffsetAndNothingElse() {
        // the second half of a NaN-filled buffer: the fused kernels' copy path, the composite's views
        Reference ref = Reference.of(new Random(13), DType.F32, new int[] {2, 4, 9, 9, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1});
        Conv2dSpec spec = ref.spec();
        NDArray x = ref.x();
        NDArray[] wantPool = ConvRun.maxPool2d(null, x, 3, 3, spec, true);
        for (CpuBackend be : new CpuBackend[] {null, backends().get(0)}) {
            String who = be == null ? "composite" : "cpu";
            NDArray buf = NDArray.full(Double.NaN, DType.F32, Device.CPU, 2, 2, 6, 5, 5);
            assertClose(who + " conv2d", ref.y(), ConvRun.conv2d(be, x, ref.wt(), spec, buf.select(0, 1)), 1e-6);
            assertTrue(java.util.Arrays.stream(buf.select(0, 0).toDoubleArray()).allMatch(Double::isNaN), who + " wrote outside");
            NDArray dxBuf = NDArray.full(Double.NaN, DType.F32, Device.CPU, 2, 2, 4, 9, 9);
            assertClose(who + " inputGrad", ref.dx(), ConvRun.inputGrad(be, ref.go(), ref.wt(), spec, dxBuf.select(0, 1)), 1e-6);
            assertTrue(java.util.Arrays.stream(dxBuf.select(0, 0).toDoubleArray()).allMatch(Double::isNaN), who + " wrote outside");
            NDArray vals = NDArray.full(Double.NaN, DType.F32, Device.CPU, 2, 2, 4, 5, 5);
            NDArray idx = NDArray.full(-7, DType.I64, Device.CPU, 2, 2, 4, 5, 5);
            ConvRun.maxPool2d(be, x, 3, 3, spec, vals.select(0, 1), idx.select(0, 1));
            assertArrayEquals(wantPool[0].toFloatArray(), vals.select(0, 1).toFloatArray(), who + " pool values");
            assertArrayEquals(wantPool[1].toLongArray(), idx.select(0, 1).toLongArray(), who + " pool indices");
            assertTrue(java.util.Arrays.stream(idx.select(0, 0).toLongArray()).allMatch(v -> v == -7), who + " wrote outside");
        }
    }

    /** n, c, h, w, kh, kw, strideH, strideW, padH, padW, dilH, dilW, ceil. */
    private static final int[][] POOLS = {
        {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, 0},
        {1, 2, 7, 7, 2, 2, 2, 2, 0, 0, 1, 1, 1},
        {5, 2, 9, 10, 3, 3, 2, 2, 1, 1, 1, 1, 0},
        {2, 2, 9, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1},
        {2, 1, 11, 9, 3, 2, 2, 3, 1, 1, 2, 1, 1},
        {1, 3, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1, 0},
        {1, 1, 5, 5, 5, 5, 1, 1, 2, 2, 1, 1, 0},
        {2, 4, 13, 12, 2, 3, 3, 2, 1, 1, 2, 2, 1},
        {3, 5, 12, 14, 2, 2, 2, 2, 0, 0, 1, 1, 0},
        {2, 3, 6, 70, 2, 2, 2, 2, 0, 0, 1, 1, 0}, // rows of 35 windows: whole SIMD blocks and a tail
        {1, 2, 5, 67, 2, 2, 2, 2, 1, 1, 1, 1, 1},
        // LeNet's short rows (14 and 5 windows): one partial SIMD block per row, reading on into the next rows
        {3, 4, 28, 28, 2, 2, 2, 2, 0, 0, 1, 1, 0},
        {5, 3, 10, 10, 2, 2, 2, 2, 0, 0, 1, 1, 0},
        // other stride-2 windows in SIMD blocks: ResNet's 3x3 pad 1, dilated, 3x2, and a full block of 16 windows whose
        // last cell is the array's last element (its vector pairs would read past it: scalar code)
        {2, 3, 9, 70, 3, 3, 2, 2, 1, 1, 1, 1, 0},
        {1, 2, 12, 75, 3, 3, 2, 2, 1, 1, 2, 2, 1},
        {2, 2, 8, 66, 3, 2, 2, 2, 1, 0, 1, 1, 0},
        {1, 1, 3, 33, 3, 3, 2, 2, 0, 0, 1, 1, 0},
        {1, 1, 3, 17, 3, 3, 2, 2, 0, 0, 1, 1, 0},
    };

    @Test
    void directMaxPoolMatchesTheCompositeExactly() {
        Random r = new Random(11);
        for (int[] k : POOLS) {
            Conv2dSpec spec = new Conv2dSpec(k[6], k[7], k[8], k[9], k[10], k[11], 1);
            boolean ceil = k[12] == 1;
            for (DType t : new DType[] {DType.F32, DType.F64}) {
                int n = k[0] * k[1] * k[2] * k[3];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    int kind = r.nextInt(20);
                    if (kind == 0 && k[2] * k[3] >= 100 && r.nextInt(25) != 0) {
                        kind = 3; // large planes: NaN in 1 of 500 cells, so that most SIMD blocks have none
                    }
                    // NaNs, -inf, ties, and zeros of both signs (the first of -0.0 and 0.0 wins)
                    v[i] = kind == 0 ? Double.NaN : kind == 1 ? Double.NEGATIVE_INFINITY : kind == 2 ? -0.0 : kind < 5 ? r.nextInt(3)
                            : r.nextGaussian();
                }
                NDArray x = NDArray.of(v, k[0], k[1], k[2], k[3]).toType(t);
                NDArray[] want = ConvRun.maxPool2d(null, x, k[4], k[5], spec, ceil);
                String name = java.util.Arrays.toString(k) + " " + t;
                for (CpuBackend be : backends()) {
                    NDArray[] got = ConvRun.maxPool2d(be, x, k[4], k[5], spec, ceil);
                    assertArrayEquals(want[0].shape(), got[0].shape(), name);
                    assertArrayEquals(want[0].toType(DType.F64).toDoubleArray(), got[0].toType(DType.F64).toDoubleArray(), name + " values");
                    assertArrayEquals(want[1].toLongArray(), got[1].toLongArray(), name + " indices");
                    assertEquals(DType.I64, got[1].dtype());
                }
                NDArray xs = x.permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2);
                assertArrayEquals(want[1].toLongArray(), xs.maxPool2d(k[4], k[5], spec, ceil)[1].toLongArray(), name + " strided");
            }
        }
        NDArray allNegInf = NDArray.full(Double.NEGATIVE_INFINITY, DType.F32, Device.CPU, 1, 1, 3, 3);
        Conv2dSpec padded = Conv2dSpec.of(2, 1, 1, 1);
        assertArrayEquals(ConvRun.maxPool2d(null, allNegInf, 3, 3, padded, true)[1].toLongArray(),
                allNegInf.maxPool2d(3, 3, padded, true)[1].toLongArray());
        assertTrue(allNegInf.maxPool2d(3, 3, padded, true)[1].toLongArray()[0] < 0, "first cell is padding");
    }
}
