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
import org.junit.jupiter.api.Test;

/**
 * conv2d, its input and weight gradients, and maxPool2d with indices, against direct double-precision loops.
 *
 * <p>Tolerance: like matmul, {@code (K * u + c) * sum |x| |w|} per output, K the number of products summed, u = 2^-24 and
 * c = 1e-6 for F32, u = 2^-53 and c = 1e-14 for F64. Max pooling is exact.
 */
public abstract class ConvolutionConformance extends ConformanceBase {

    /** Direct conv2d; returns {values, bounds}. */
    static Ref[] convRef(Ref x, Ref wt, Conv2dSpec sp, DType t) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int o = wt.shape[0], cg = wt.shape[1], kh = wt.shape[2], kw = wt.shape[3];
        int g = sp.groups();
        int og = o / g;
        int oh = sp.outHeight(h, kh);
        int ow = sp.outWidth(w, kw);
        int[] shape = {n, o, oh, ow};
        double[] v = new double[Ref.numel(shape)];
        double[] b = new double[v.length];
        double u = t == DType.F32 ? 0x1.0p-24 : 0x1.0p-53;
        double base = t == DType.F32 ? 1e-6 : 1e-14;
        int k = cg * kh * kw;
        for (int in = 0; in < n; in++) {
            for (int io = 0; io < o; io++) {
                int grp = io / og;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double s = 0;
                        double sa = 0;
                        for (int ic = 0; ic < cg; ic++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int iy = y * sp.strideH() - sp.padH() + a * sp.dilationH();
                                    int ix = xx * sp.strideW() - sp.padW() + bb * sp.dilationW();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    double p = x.at(in, grp * cg + ic, iy, ix) * wt.at(io, ic, a, bb);
                                    s += p;
                                    sa += Math.abs(p);
                                }
                            }
                        }
                        int at = Ref.ravel(shape, new int[] {in, io, y, xx});
                        v[at] = s;
                        b[at] = (k * u + base) * sa + 1e-300;
                    }
                }
            }
        }
        return new Ref[] {new Ref(shape, v), new Ref(shape, b)};
    }

    /** Gradient of conv2d with respect to its input: scatter of gradOut through the weight. */
    static Ref[] inputGradRef(Ref go, Ref wt, int h, int w, Conv2dSpec sp, DType t) {
        int n = go.shape[0], o = go.shape[1], oh = go.shape[2], ow = go.shape[3];
        int cg = wt.shape[1], kh = wt.shape[2], kw = wt.shape[3];
        int g = sp.groups();
        int og = o / g;
        int c = cg * g;
        int[] shape = {n, c, h, w};
        double[] v = new double[Ref.numel(shape)];
        double[] sa = new double[v.length];
        for (int in = 0; in < n; in++) {
            for (int io = 0; io < o; io++) {
                int grp = io / og;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double gv = go.at(in, io, y, xx);
                        for (int ic = 0; ic < cg; ic++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int iy = y * sp.strideH() - sp.padH() + a * sp.dilationH();
                                    int ix = xx * sp.strideW() - sp.padW() + bb * sp.dilationW();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    int at = Ref.ravel(shape, new int[] {in, grp * cg + ic, iy, ix});
                                    double p = gv * wt.at(io, ic, a, bb);
                                    v[at] += p;
                                    sa[at] += Math.abs(p);
                                }
                            }
                        }
                    }
                }
            }
        }
        return bounds(shape, v, sa, og * oh * ow * kh * kw, t);
    }

    /** Gradient of conv2d with respect to its weight. */
    static Ref[] weightGradRef(Ref x, Ref go, int kh, int kw, Conv2dSpec sp, DType t) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int o = go.shape[1], oh = go.shape[2], ow = go.shape[3];
        int g = sp.groups();
        int cg = c / g;
        int og = o / g;
        int[] shape = {o, cg, kh, kw};
        double[] v = new double[Ref.numel(shape)];
        double[] sa = new double[v.length];
        for (int io = 0; io < o; io++) {
            int grp = io / og;
            for (int ic = 0; ic < cg; ic++) {
                for (int a = 0; a < kh; a++) {
                    for (int bb = 0; bb < kw; bb++) {
                        int at = Ref.ravel(shape, new int[] {io, ic, a, bb});
                        for (int in = 0; in < n; in++) {
                            for (int y = 0; y < oh; y++) {
                                for (int xx = 0; xx < ow; xx++) {
                                    int iy = y * sp.strideH() - sp.padH() + a * sp.dilationH();
                                    int ix = xx * sp.strideW() - sp.padW() + bb * sp.dilationW();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    double p = x.at(in, grp * cg + ic, iy, ix) * go.at(in, io, y, xx);
                                    v[at] += p;
                                    sa[at] += Math.abs(p);
                                }
                            }
                        }
                    }
                }
            }
        }
        return bounds(shape, v, sa, n * oh * ow, t);
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
                    Input w = input(c[1], t, Layout.values()[(l.ordinal() + 2) % Layout.values().length], r, range(-1, 1));
                    int oh = sp.outHeight(c[0][2], c[1][2]);
                    int ow = sp.outWidth(c[0][3], c[1][3]);
                    Input go = input(s(c[0][0], c[1][0], oh, ow), t, l, r, range(-1, 1));
                    String ctx = t + " " + sp + " x " + x + " w " + w;
                    f.check("conv2d " + ctx, () -> {
                        NDArray out = x.a.conv2d(w.a, sp);
                        assertEquals(t, out.dtype());
                        check("conv2d", convRef(x.ref, w.ref, sp, t), out);
                    });
                    f.check("conv2dInputGrad " + ctx, () -> {
                        NDArray gi = go.a.conv2dInputGrad(w.a, c[0][2], c[0][3], sp);
                        check("conv2dInputGrad", inputGradRef(go.ref, w.ref, c[0][2], c[0][3], sp, t), gi);
                    });
                    f.check("conv2dWeightGrad " + ctx, () -> {
                        NDArray gw = x.a.conv2dWeightGrad(go.a, c[1][2], c[1][3], sp);
                        check("conv2dWeightGrad", weightGradRef(x.ref, go.ref, c[1][2], c[1][3], sp, t), gw);
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
                            NDArray[] res = x.a.maxPool2d(c[0], c[1], sp, ceil);
                            int oh = poolOut(8, c[0], c[4], c[2], c[6], ceil);
                            int ow = poolOut(7, c[1], c[5], c[3], c[7], ceil);
                            Ref[] exp = poolRef(x.ref, c[0], c[1], sp, ceil, oh, ow);
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
