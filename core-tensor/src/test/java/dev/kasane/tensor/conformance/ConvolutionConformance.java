package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * conv2d, its input and weight gradients, and maxPool2d with indices, against direct double-precision loops.
 *
 * <p>Tolerance: like matmul, {@code (K * u + c) * sum |x| |w|} per output, K the number of products summed, u = 2^-24 and
 * c = 1e-6 for F32, u = 2^-53 and c = 1e-14 for F64. Max pooling is exact.
 */
public abstract class ConvolutionConformance extends ConformanceBase {

    /** One product of conv2d: output (n, o, oy, ox) takes input (n, c, iy, ix) times weight (o, ic, ky, kx). */
    static final class Tap {
        int n, o, oy, ox, c, ic, iy, ix, ky, kx;
    }

    /**
     * A conv2d's geometry: {@code n} images of {@code h} x {@code w}, a weight of shape {@code wShape} (O, C/groups,
     * kh, kw) and an {@code oh} x {@code ow} output.
     */
    record Geometry(int n, int h, int w, int[] wShape, int oh, int ow, Conv2dSpec sp) {
        /** Visits every product whose input position lies inside the image, in the order (n, o, oy, ox, ic, ky, kx). */
        void forEachTap(Consumer<Tap> visit) {
            int o = wShape[0], cg = wShape[1], kh = wShape[2], kw = wShape[3];
            int og = o / sp.groups();
            Tap t = new Tap();
            for (t.n = 0; t.n < n; t.n++) {
                for (t.o = 0; t.o < o; t.o++) {
                    for (t.oy = 0; t.oy < oh; t.oy++) {
                        for (t.ox = 0; t.ox < ow; t.ox++) {
                            for (t.ic = 0; t.ic < cg; t.ic++) {
                                t.c = t.o / og * cg + t.ic;
                                for (t.ky = 0; t.ky < kh; t.ky++) {
                                    for (t.kx = 0; t.kx < kw; t.kx++) {
                                        t.iy = t.oy * sp.strideH() - sp.padH() + t.ky * sp.dilationH();
                                        t.ix = t.ox * sp.strideW() - sp.padW() + t.kx * sp.dilationW();
                                        if (t.iy >= 0 && t.iy < h && t.ix >= 0 && t.ix < w) {
                                            visit.accept(t);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /**
         * Sums {@code product} over the taps into the element of {@code shape} that {@code index} names, adding each
         * element's products in tap order; returns {values, bounds} for sums of {@code k} products.
         */
        Ref[] sum(int[] shape, int k, DType t, ToDoubleFunction<Tap> product, Function<Tap, int[]> index) {
            double[] v = new double[Ref.numel(shape)];
            double[] sa = new double[v.length];
            forEachTap(tap -> {
                int at = Ref.ravel(shape, index.apply(tap));
                double p = product.applyAsDouble(tap);
                v[at] += p;
                sa[at] += Math.abs(p);
            });
            return bounds(shape, v, sa, k, t);
        }
    }

    /** Direct conv2d; returns {values, bounds}. */
    static Ref[] convRef(Ref x, Ref wt, Conv2dSpec sp, DType t) {
        int n = x.shape[0], h = x.shape[2], w = x.shape[3];
        Geometry g = new Geometry(n, h, w, wt.shape, sp.outHeight(h, wt.shape[2]), sp.outWidth(w, wt.shape[3]), sp);
        return g.sum(new int[] {n, wt.shape[0], g.oh(), g.ow()}, wt.shape[1] * wt.shape[2] * wt.shape[3], t,
                p -> x.at(p.n, p.c, p.iy, p.ix) * wt.at(p.o, p.ic, p.ky, p.kx), p -> new int[] {p.n, p.o, p.oy, p.ox});
    }

    /** Gradient of conv2d with respect to its input: scatter of gradOut through the weight. */
    static Ref[] inputGradRef(Ref go, Ref wt, int h, int w, Conv2dSpec sp, DType t) {
        int n = go.shape[0], oh = go.shape[2], ow = go.shape[3];
        int og = go.shape[1] / sp.groups();
        return new Geometry(n, h, w, wt.shape, oh, ow, sp).sum(new int[] {n, wt.shape[1] * sp.groups(), h, w},
                og * oh * ow * wt.shape[2] * wt.shape[3], t,
                p -> go.at(p.n, p.o, p.oy, p.ox) * wt.at(p.o, p.ic, p.ky, p.kx), p -> new int[] {p.n, p.c, p.iy, p.ix});
    }

    /** Gradient of conv2d with respect to its weight. */
    static Ref[] weightGradRef(Ref x, Ref go, int kh, int kw, Conv2dSpec sp, DType t) {
        int[] shape = {go.shape[1], x.shape[1] / sp.groups(), kh, kw};
        Geometry g = new Geometry(x.shape[0], x.shape[2], x.shape[3], shape, go.shape[2], go.shape[3], sp);
        return g.sum(shape, g.n() * g.oh() * g.ow(), t, p -> x.at(p.n, p.c, p.iy, p.ix) * go.at(p.n, p.o, p.oy, p.ox),
                p -> new int[] {p.o, p.ic, p.ky, p.kx});
    }

    private static Ref[] bounds(int[] shape, double[] v, double[] sa, int k, DType t) {
        double u = t == DType.F32 ? 0x1.0p-24 : 0x1.0p-53;
        double base = t == DType.F32 ? 1e-6 : 1e-14;
        double[] b = new double[v.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (k * u + base) * sa[i] + 1e-300;
        }
        return new Ref[] {new Ref(shape, v), new Ref(shape, b)};
    }

    static void check(String ctx, Ref[] expected, NDArray actual) {
        assertArrayEquals(expected[0].shape, actual.shape(), () -> ctx + ": shape of " + actual.describe());
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[0].v[i]) <= expected[1].v[i])) {
                fail(ctx + ": at " + Arrays.toString(Ref.unravel(expected[0].shape, i)) + " expected " + expected[0].v[i]
                        + " got " + got[i] + " (tolerance " + expected[1].v[i] + ")");
            }
        }
    }

    /** {input shape, weight shape, stride h, stride w, pad h, pad w, dilation h, dilation w, groups}. */
    private static final int[][][] CASES = {
        {{2, 4, 7, 9}, {6, 4, 3, 3}, {1, 1, 0, 0, 1, 1, 1}},
        {{2, 4, 7, 9}, {6, 4, 3, 3}, {1, 1, 1, 1, 1, 1, 1}},
        {{1, 4, 8, 8}, {4, 2, 3, 2}, {2, 1, 1, 0, 1, 1, 2}},
        {{2, 4, 9, 9}, {4, 1, 3, 3}, {2, 2, 2, 2, 2, 2, 4}},
        {{2, 3, 8, 7}, {6, 1, 3, 3}, {1, 1, 1, 1, 1, 1, 3}}, // depthwise with a channel multiplier of 2
        {{1, 3, 5, 6}, {5, 3, 1, 1}, {1, 1, 0, 0, 1, 1, 1}},
        {{1, 2, 6, 6}, {3, 2, 6, 6}, {1, 1, 0, 0, 1, 1, 1}},
        {{3, 1, 10, 4}, {2, 1, 2, 3}, {3, 2, 1, 2, 3, 1, 1}},
        {{2, 8, 21, 21}, {16, 8, 3, 3}, {1, 1, 1, 1, 1, 1, 1}},
    };

    private static Conv2dSpec spec(int[] p) {
        return new Conv2dSpec(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }

    @Test
    void conv2dAndItsGradients() {
        Random r = rnd(6000);
        Failures f = new Failures();
        Layout[] layouts = {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.NEG_STEP, Layout.MIXED, Layout.BROADCAST_OUTER};
        for (DType t : FLOATS) {
            for (int ci = 0; ci < CASES.length; ci++) {
                int[][] c = CASES[ci];
                Conv2dSpec sp = spec(c[2]);
                for (Layout l : ci == CASES.length - 1 ? new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED} : layouts) {
                    Input x = input(c[0], t, l, r, range(-1, 1));
                    Input w = input(c[1], t, l.shifted(2), r, range(-1, 1));
                    int oh = sp.outHeight(c[0][2], c[1][2]);
                    int ow = sp.outWidth(c[0][3], c[1][3]);
                    Input go = input(s(c[0][0], c[1][0], oh, ow), t, l, r, range(-1, 1));
                    String ctx = t + " " + sp + " x " + x + " w " + w;
                    f.check("conv2d " + ctx, () -> {
                        NDArray out = x.a().conv2d(w.a(), sp);
                        assertEquals(t, out.dtype());
                        check("conv2d", convRef(x.ref(), w.ref(), sp, t), out);
                    });
                    f.check("conv2dInputGrad " + ctx, () -> {
                        NDArray gi = go.a().conv2dInputGrad(w.a(), c[0][2], c[0][3], sp);
                        check("conv2dInputGrad", inputGradRef(go.ref(), w.ref(), c[0][2], c[0][3], sp, t), gi);
                    });
                    f.check("conv2dWeightGrad " + ctx, () -> {
                        NDArray gw = x.a().conv2dWeightGrad(go.a(), c[1][2], c[1][3], sp);
                        check("conv2dWeightGrad", weightGradRef(x.ref(), go.ref(), c[1][2], c[1][3], sp, t), gw);
                    });
                }
            }
        }
        f.done();
    }

    @Test
    void conv2dBadInput() {
        NDArray x = NDArray.zeros(DType.F32, device(), 1, 4, 5, 5);
        assertThrows(IllegalArgumentException.class, () -> x.conv2d(NDArray.zeros(DType.F32, device(), 2, 3, 3, 3), Conv2dSpec.of(1, 0, 1, 1)),
                "channel mismatch");
        assertThrows(IllegalArgumentException.class, () -> x.conv2d(NDArray.zeros(DType.F64, device(), 2, 4, 3, 3), Conv2dSpec.of(1, 0, 1, 1)),
                "dtype mismatch");
        assertThrows(IllegalArgumentException.class, () -> x.conv2d(NDArray.zeros(DType.F32, device(), 3, 2, 3, 3), Conv2dSpec.of(1, 0, 1, 2)),
                "3 output channels in 2 groups");
        assertThrows(IllegalArgumentException.class, () -> x.conv2d(NDArray.zeros(DType.F32, device(), 2, 4, 7, 7), Conv2dSpec.of(1, 0, 1, 1)),
                "kernel larger than the input");
        assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 5, 5).conv2d(NDArray.zeros(DType.F32, device(), 2, 4, 3, 3),
                Conv2dSpec.of(1, 0, 1, 1)), "3-D input");
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(0, 0, 1, 1), "stride 0");
    }

    /** Max pooling with PyTorch's semantics: -inf padding, first maximum wins, NaN is the maximum. */
    static Ref[] poolRef(Ref x, int kh, int kw, Conv2dSpec sp, boolean ceil, int oh, int ow) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int[] shape = {n, c, oh, ow};
        double[] v = new double[Ref.numel(shape)];
        double[] idx = new double[v.length];
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int a = 0; a < kh; a++) {
                            for (int b = 0; b < kw; b++) {
                                int iy = y * sp.strideH() - sp.padH() + a * sp.dilationH();
                                int ix = xx * sp.strideW() - sp.padW() + b * sp.dilationW();
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                double val = x.at(in, ic, iy, ix);
                                if (bi < 0 || (!Double.isNaN(best) && (Double.isNaN(val) || val > best))) {
                                    best = val;
                                    bi = iy * w + ix;
                                }
                            }
                        }
                        int at = Ref.ravel(shape, new int[] {in, ic, y, xx});
                        v[at] = best;
                        idx[at] = bi;
                    }
                }
            }
        }
        return new Ref[] {new Ref(shape, v), new Ref(shape, idx)};
    }

    static int poolOut(int in, int k, int pad, int stride, int dil, boolean ceil) {
        int num = in + 2 * pad - dil * (k - 1) - 1;
        int out = (ceil ? Math.floorDiv(num + stride - 1, stride) : Math.floorDiv(num, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    @Test
    void maxPool2dWithIndices() {
        Random r = rnd(6100);
        Failures f = new Failures();
        int[][] cases = {   // kh, kw, sh, sw, ph, pw, dh, dw
            {2, 2, 2, 2, 0, 0, 1, 1}, {3, 3, 2, 2, 1, 1, 1, 1}, {3, 2, 1, 2, 1, 0, 1, 1}, {2, 2, 1, 1, 0, 0, 2, 2},
            {3, 3, 3, 3, 0, 0, 1, 1}, {1, 1, 2, 2, 0, 0, 1, 1},
        };
        Gen ties = (rr, t) -> rr.nextInt(40) == 0 ? Double.NaN : rr.nextInt(5);
        for (DType t : FLOATS) {
            for (int[] c : cases) {
                for (boolean ceil : new boolean[] {false, true}) {
                    Conv2dSpec sp = new Conv2dSpec(c[2], c[3], c[4], c[5], c[6], c[7], 1);
                    for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.MIXED}) {
                        Input x = input(s(2, 3, 8, 7), t, l, r, ties);
                        f.check("maxPool2d " + Arrays.toString(c) + " ceil " + ceil + " " + x, () -> {
                            NDArray[] res = x.a().maxPool2d(c[0], c[1], sp, ceil);
                            int oh = poolOut(8, c[0], c[4], c[2], c[6], ceil);
                            int ow = poolOut(7, c[1], c[5], c[3], c[7], ceil);
                            Ref[] exp = poolRef(x.ref(), c[0], c[1], sp, ceil, oh, ow);
                            assertValues("values", t, exp[0], res[0]);
                            assertValues("indices", DType.I64, exp[1], res[1]);
                        });
                    }
                }
            }
        }
        f.done();
        NDArray x = arr(DType.F32, s(1, 1, 2, 2), 1, 5, 5, 2);
        NDArray[] p = x.maxPool2d(2, 2, Conv2dSpec.of(2, 0, 1, 1), false);
        assertEquals(5.0, p[0].item());
        assertEquals(1, p[1].itemLong(), "the first maximum wins");
        assertThrows(IllegalArgumentException.class, () -> vec(DType.F32, 1, 2).maxPool2d(1, 1, Conv2dSpec.of(1, 0, 1, 1), false));
        assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(DType.I32, device(), 1, 1, 2, 2).maxPool2d(1, 1, Conv2dSpec.of(1, 0, 1, 1), false));
    }
}
