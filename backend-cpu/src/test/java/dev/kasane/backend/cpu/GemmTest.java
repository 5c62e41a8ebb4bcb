package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.conformance.Ref;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GEMM against a naive triple loop in double. Tolerance: |got - want| <= tol * (sum_k |a_ik * b_kj| + 1e-30)
 * with tol = 1e-5 for F32 (K up to ~600 terms of 24-bit products) and 1e-13 for F64.
 */
class GemmTest {
    private static final double TOL_F32 = 1e-5;
    private static final double TOL_F64 = 1e-13;

    /** Every kernel available here: scalar always, the Vector API ones when the module is present. */
    private static List<GemmKernel> kernels(DType dt) {
        List<GemmKernel> ks = new ArrayList<>();
        ks.add(dt == DType.F32 ? new GemmScalarF32() : new GemmScalarF64());
        GemmKernel[] v = VectorSupport.vectorKernelsOrNull();
        if (v != null) {
            GemmKernel vk = dt == DType.F32 ? v[0] : v[1];
            ks.add(vk);
            if (vk.narrow() != vk) {
                ks.add(vk.narrow());
            }
        }
        return ks;
    }

    /** A batched operand [B, R, C] with the given layout kind over random data. */
    private static View operand(Random r, DType dt, int batch, int rows, int cols, String layout) {
        int[] shape = {batch, rows, cols};
        int[] strides;
        int offset = r.nextInt(3);
        int size;
        switch (layout) {
            case "row":
                strides = new int[] {rows * cols, cols, 1};
                break;
            case "col": // transposed storage
                strides = new int[] {rows * cols, 1, rows};
                break;
            case "padded": // row stride larger than cols, column step 2
                strides = new int[] {rows * (2 * cols + 3), 2 * cols + 3, 2};
                break;
            case "bcast": // zero batch stride
                strides = new int[] {0, cols, 1};
                break;
            default: // flipped rows and columns
                strides = new int[] {rows * cols, -cols, -1};
                offset += rows * cols - 1;
                break;
        }
        long maxOff = offset;
        for (int d = 0; d < 3; d++) {
            if (shape[d] > 0 && strides[d] > 0) {
                maxOff += (long) (shape[d] - 1) * strides[d];
            }
        }
        size = (int) maxOff + 1 + batch * rows * cols;
        Object data = TestViews.randomHost(r, dt, size);
        return new View(data, dt, offset, shape, strides);
    }

    private static double read(View v, int b, int i, int j) {
        int o = v.offset + b * v.strides[0] + i * v.strides[1] + j * v.strides[2];
        return v.data instanceof float[] ? ((float[]) v.data)[o] : ((double[]) v.data)[o];
    }

    private static void check(View a, View b, View c, double tol, String what) {
        Ref.matmul(c.shape[0], c.shape[1], c.shape[2], a.shape[2], (z, i, j) -> read(a, z, i, j),
                (z, i, j) -> read(b, z, i, j), (z, i, j, want, magnitude) -> {
                    double got = read(c, z, i, j);
                    if (!(Math.abs(got - want) <= tol * magnitude + 1e-30)) {
                        throw new AssertionError(what + ": c[" + z + "," + i + "," + j + "] = " + got + ", want " + want);
                    }
                });
    }

    private static View newDst(DType dt, int batch, int m, int n) {
        Object data = dt.newHostArray(batch * m * n);
        if (data instanceof float[]) {
            java.util.Arrays.fill((float[]) data, Float.NaN);
        } else {
            java.util.Arrays.fill((double[]) data, Double.NaN);
        }
        return View.contiguous(data, dt, batch, m, n);
    }

    @Test
    void manyShapesAndLayoutsMatchNaiveProduct() {
        int[][] shapes = { // B, M, K, N
            {1, 1, 1, 1}, {1, 1, 7, 1}, {1, 1, 5, 33}, {1, 9, 5, 1}, {2, 3, 4, 5}, {1, 8, 16, 32}, {1, 7, 15, 31},
            {1, 9, 17, 33}, {1, 17, 3, 65}, {3, 13, 257, 19}, {1, 129, 11, 47}, {2, 31, 300, 17}, {1, 65, 600, 70},
            {1, 130, 40, 4100},
        };
        String[] layouts = {"row", "col", "padded", "bcast", "flip"};
        Random r = new Random(42);
        Parallel par = new Parallel(2);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            double tol = dt == DType.F32 ? TOL_F32 : TOL_F64;
            for (GemmKernel kern : kernels(dt)) {
                for (int[] s : shapes) {
                    String la = layouts[r.nextInt(layouts.length)];
                    String lb = layouts[r.nextInt(layouts.length)];
                    View a = operand(r, dt, s[0], s[1], s[2], la);
                    View b = operand(r, dt, s[0], s[2], s[3], lb);
                    View c = newDst(dt, s[0], s[1], s[3]);
                    Gemm.matmul(par, kern, a, b, c);
                    check(a, b, c, tol, kern.describe() + " " + java.util.Arrays.toString(s) + " a=" + la + " b=" + lb);
                }
            }
        }
    }

    /**
     * {@link Gemm#gemmInPlaceA} (A's rows read in place at arbitrary offsets, the in-place weight gradient's product) on
     * every kernel: partial row and column panels, depth across the KC block, and accumulation into C. Tolerance: F32
     * 1e-5, F64 1e-13, relative to the sum of the magnitudes of the products.
     */
    @Test
    void rowsOfAReadInPlaceMatchNaiveProduct() {
        int[][] shapes = {{1, 1, 1}, {8, 16, 16}, {13, 136, 6}, {25, 300, 16}, {150, 40, 33}, {9, 257, 70}}; // M, K, N
        Random r = new Random(7);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            double tol = dt == DType.F32 ? TOL_F32 : TOL_F64;
            for (GemmKernel kern : kernels(dt)) {
                for (int[] s : shapes) {
                    int m = s[0], k = s[1], n = s[2];
                    Object a = TestViews.randomHost(r, dt, m * (k + 5) + 8);
                    int[] rows = new int[(m + kern.mr - 1) / kern.mr * kern.mr];
                    for (int i = 0; i < rows.length; i++) {
                        rows[i] = (m - 1 - i % m) * (k + 5) + r.nextInt(5); // descending, uneven gaps
                    }
                    View b = operand(r, dt, 1, k, n, "row");
                    for (boolean accumulate : new boolean[] {false, true}) {
                        Object c = TestViews.randomHost(r, dt, m * n);
                        double[] before = new double[m * n];
                        for (int i = 0; i < m * n; i++) {
                            before[i] = c instanceof float[] ? ((float[]) c)[i] : ((double[]) c)[i];
                        }
                        Gemm.gemmInPlaceA(kern, a, rows, m, k, Gemm.matrix(b.data, b.offset, b.strides[1], b.strides[2]), c,
                                0, n, n, accumulate);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double want = accumulate ? before[i * n + j] : 0;
                                double mag = Math.abs(want);
                                for (int p = 0; p < k; p++) {
                                    double av = a instanceof float[] ? ((float[]) a)[rows[i] + p] : ((double[]) a)[rows[i] + p];
                                    double t = av * read(b, 0, p, j);
                                    want += t;
                                    mag += Math.abs(t);
                                }
                                double got = c instanceof float[] ? ((float[]) c)[i * n + j] : ((double[]) c)[i * n + j];
                                assertEquals(want, got, tol * mag + 1e-30, kern.describe() + " " + java.util.Arrays.toString(s)
                                        + " accumulate=" + accumulate + " c[" + i + "][" + j + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyLayoutPairOnAShapeStraddlingBlocks() {
        Random r = new Random(7);
        Parallel par = new Parallel(2);
        String[] layouts = {"row", "col", "padded", "bcast", "flip"};
        int kcPlus = Gemm.KC + 3;
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (GemmKernel kern : kernels(dt)) {
                for (String la : layouts) {
                    for (String lb : layouts) {
                        View a = operand(r, dt, 2, Gemm.MC + 5, kcPlus, la);
                        View b = operand(r, dt, 2, kcPlus, 2 * kern.nr + 3, lb);
                        View c = newDst(dt, 2, Gemm.MC + 5, 2 * kern.nr + 3);
                        Gemm.matmul(par, kern, a, b, c);
                        check(a, b, c, dt == DType.F32 ? TOL_F32 : TOL_F64, kern.describe() + " a=" + la + " b=" + lb);
                    }
                }
            }
        }
    }

    @Test
    void dotRowsMatchesTheNaiveSumsWhereAKernelHasIt() {
        Random r = new Random(31);
        int[][] shapes = {{25, 6, 900}, {1, 1, 16}, {5, 4, 17}, {4, 3, 32}, {7, 8, 271}, {3, 2, 15}};
        boolean anyHas = false;
        for (GemmKernel kern : kernels(DType.F32)) {
            for (int[] sh : shapes) {
                int m = sh[0];
                int n = sh[1];
                int k = sh[2];
                // A's rows at scattered, overlapping offsets of one array, as a convolution's taps
                float[] a = new float[3 * k + 8 * m + 40];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian();
                }
                int[] rows = new int[(m + 7) / 8 * 8];
                for (int i = 0; i < m; i++) {
                    rows[i] = r.nextInt(a.length - k + 1);
                }
                float[] b = new float[n * k];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) r.nextGaussian();
                }
                for (boolean acc : new boolean[] {false, true}) {
                    float[] c = new float[m * n];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = acc ? (float) r.nextGaussian() : Float.NaN; // NaN: must be overwritten, not read
                    }
                    float[] before = c.clone();
                    String what = kern.describe() + " " + java.util.Arrays.toString(sh) + " accumulate " + acc;
                    if (!kern.dotRows(a, rows, m, b, n, k, c, acc)) {
                        assertArrayEquals(before, c, what + ": untouched when not handled");
                        continue;
                    }
                    anyHas = true;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double want = acc ? before[i * n + j] : 0;
                            double mag = Math.abs(want);
                            for (int q = 0; q < k; q++) {
                                want += (double) a[rows[i] + q] * b[j * k + q];
                                mag += Math.abs((double) a[rows[i] + q] * b[j * k + q]);
                            }
                            assertEquals(want, c[i * n + j], TOL_F32 * mag + 1e-30, what + " at " + i + "," + j);
                        }
                    }
                }
            }
        }
        if (VectorSupport.vectorKernelsOrNull() != null) {
            assertTrue(anyHas, "the Vector API narrow kernel has dot products");
        }
    }

    @Test
    void emptyInnerDimensionGivesZerosAndEmptyOutputsAreFine() {
        Parallel par = new Parallel(2);
        for (GemmKernel kern : kernels(DType.F32)) {
            View a = View.contiguous(new float[0], DType.F32, 2, 3, 0);
            View b = View.contiguous(new float[0], DType.F32, 2, 0, 4);
            View c = newDst(DType.F32, 2, 3, 4);
            Gemm.matmul(par, kern, a, b, c);
            assertArrayEquals(new float[24], (float[]) c.data, kern.describe());
            View c0 = newDst(DType.F32, 2, 0, 4);
            Gemm.matmul(par, kern, View.contiguous(new float[0], DType.F32, 2, 0, 5),
                    View.contiguous(new float[40], DType.F32, 2, 5, 4), c0);
            assertEquals(0, ((float[]) c0.data).length);
        }
    }

    @Test
    void scalarAndSimdKernelsAgree() {
        GemmKernel[] v = VectorSupport.vectorKernelsOrNull();
        org.junit.jupiter.api.Assumptions.assumeTrue(v != null, "jdk.incubator.vector not present");
        Random r = new Random(3);
        Parallel par = new Parallel(2);
        View a = operand(r, DType.F32, 1, 77, 301, "row");
        View b = operand(r, DType.F32, 1, 301, 93, "col");
        View cs = newDst(DType.F32, 1, 77, 93);
        View cv = newDst(DType.F32, 1, 77, 93);
        Gemm.matmul(par, new GemmScalarF32(), a, b, cs);
        Gemm.matmul(par, v[0], a, b, cv);
        float[] x = (float[]) cs.data;
        float[] y = (float[]) cv.data;
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-4f * (1 + Math.abs(x[i])), "element " + i);
        }
    }

    @Test
    void resultIsBitwiseIndependentOfThreadCount() {
        Random r = new Random(11);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (GemmKernel kern : kernels(dt)) {
                // one big matrix (split over row blocks and column panels) and a batch (split over the batch)
                int[][] shapes = {{1, 300, 700, 190}, {6, 40, 70, 50}, {1, 3, 900, 2000}};
                for (int[] s : shapes) {
                    View a = operand(r, dt, s[0], s[1], s[2], "row");
                    View b = operand(r, dt, s[0], s[2], s[3], "col");
                    View c1 = newDst(dt, s[0], s[1], s[3]);
                    View c2 = newDst(dt, s[0], s[1], s[3]);
                    View c3 = newDst(dt, s[0], s[1], s[3]);
                    Gemm.matmul(new Parallel(1), kern, a, b, c1);
                    Gemm.matmul(new Parallel(2), kern, a, b, c2);
                    Gemm.matmul(new Parallel(3), kern, a, b, c3);
                    String what = kern.describe() + " " + java.util.Arrays.toString(s);
                    if (dt == DType.F32) {
                        assertArrayEquals((float[]) c1.data, (float[]) c2.data, what);
                        assertArrayEquals((float[]) c1.data, (float[]) c3.data, what);
                    } else {
                        assertArrayEquals((double[]) c1.data, (double[]) c2.data, what);
                        assertArrayEquals((double[]) c1.data, (double[]) c3.data, what);
                    }
                }
            }
        }
    }

    /**
     * A pre-packed product spread over the threads ({@link Gemm#gemm(Parallel, GemmKernel, Gemm.PackedA, Gemm.BPacker,
     * Object, int, int, int, boolean)} and {@link Gemm#gemmInPlace(Parallel, GemmKernel, Gemm.PackedA, Object, int[],
     * Object, int, int, int)}: a convolution of one image) equals the single-threaded call bit for bit, and the naive
     * product within the tolerance, on shapes that cut into column ranges only, into row groups as well (few panels,
     * several {@code MC} blocks with a partial last one), across two k-slices, and with more columns than {@code NC}.
     */
    @Test
    void spreadPrepackedProductsEqualTheSingleThreadedOnesBitForBit() {
        Random r = new Random(23);
        // m, k, n
        int[][] shapes = {{64, 70, 3136}, {2 * Gemm.MC + 37, 90, 49}, {Gemm.MC + 5, Gemm.KC + 9, 200}, {20, 30, Gemm.NC + 70},
            {3, 5, 1}};
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (GemmKernel kern : kernels(dt)) {
                for (int[] s : shapes) {
                    int m = s[0];
                    int k = s[1];
                    int n = s[2];
                    View a = operand(r, dt, 1, m, k, "row");
                    // B with nr - 1 readable elements after every row, for the in-place product
                    View b = operand(r, dt, 1, k, n + kern.nr, "row");
                    Gemm.PackedA pa = Gemm.packA(null, kern, a.data, a.offset, a.strides[1], a.strides[2], m, k);
                    int ldb = n + kern.nr;
                    int[] rows = new int[k];
                    for (int p = 0; p < k; p++) {
                        rows[p] = b.offset + p * ldb;
                    }
                    View want = newDst(dt, 1, m, n);
                    Gemm.gemm(null, kern, pa, Gemm.matrix(b.data, b.offset, ldb, 1), want.data, 0, n, n, false);
                    check(a, new View(b.data, dt, b.offset, new int[] {1, k, n}, new int[] {k * ldb, ldb, 1}), want,
                            dt == DType.F32 ? TOL_F32 : TOL_F64, kern.describe() + " " + java.util.Arrays.toString(s));
                    for (int threads : new int[] {2, 3}) {
                        Parallel par = new Parallel(threads);
                        View packed = newDst(dt, 1, m, n);
                        View inPlace = newDst(dt, 1, m, n);
                        Gemm.gemm(par, kern, pa, Gemm.matrix(b.data, b.offset, ldb, 1), packed.data, 0, n, n, false);
                        Gemm.gemmInPlace(par, kern, pa, b.data, rows, inPlace.data, 0, n, n);
                        String what = kern.describe() + " " + java.util.Arrays.toString(s) + " threads " + threads;
                        assertSameElements(want.data, packed.data, "packed " + what);
                        assertSameElements(want.data, inPlace.data, "in place " + what);
                    }
                }
            }
        }
    }

    /**
     * A last panel of at most the narrow kernel's width is computed by that kernel ({@code Gemm.block}): its columns
     * equal, bit for bit, the same columns computed in a full panel of the wide kernel (B with more columns), for a
     * remainder of 1, of 5 and of exactly the narrow width, across two k-slices.
     */
    @Test
    void narrowLastPanelsEqualFullWidePanelsBitForBit() {
        Random r = new Random(31);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (GemmKernel kern : kernels(dt)) {
                int nr = kern.nr;
                for (int rest : new int[] {1, 5, kern.narrow().nr}) {
                    if (rest >= nr) {
                        continue;
                    }
                    int m = 21;
                    int k = Gemm.KC + 7;
                    int n = 2 * nr + rest;
                    int wide = 3 * nr;
                    View a = operand(r, dt, 1, m, k, "row");
                    View b = operand(r, dt, 1, k, wide, "row");
                    View bNarrow = new View(b.data, dt, b.offset, new int[] {1, k, n}, b.strides);
                    View got = newDst(dt, 1, m, n);
                    View full = newDst(dt, 1, m, wide);
                    Gemm.matmul(new Parallel(1), kern, a, bNarrow, got);
                    Gemm.matmul(new Parallel(1), kern, a, b, full);
                    String what = kern.describe() + " rest " + rest;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(read(full, 0, i, j), read(got, 0, i, j), what + " c[" + i + "," + j + "]");
                        }
                    }
                }
            }
        }
    }

    private static void assertSameElements(Object want, Object got, String what) {
        if (want instanceof float[] w) {
            assertArrayEquals(w, (float[]) got, what);
        } else {
            assertArrayEquals((double[]) want, (double[]) got, what);
        }
    }

    /**
     * One row times a stored matrix's transpose (a linear layer's head at batch 1) is computed as the transposed
     * product with the matrix packed once and kept: it equals that row of a 16-row product through the general driver
     * bit for bit (tolerance 0), on the first call, on the kept packing, and after the matrix is written (version bump).
     */
    @Test
    void oneRowTimesAStoredTransposeEqualsTheGeneralDriverBitForBit() {
        Random r = new Random(6);
        CpuBackend be = new CpuBackend(new Parallel(2), null, null);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            int k = 1500; // two k-slices
            int n = 300;  // three row blocks of the packed matrix
            NDArray w = NDArray.fromHost(TestViews.randomHost(r, dt, n * k), dt, Device.CPU, 1, n, k);
            NDArray wt = w.asStrided(new int[] {1, k, n}, new int[] {n * k, 1, k}, 0);
            NDArray rows = NDArray.fromHost(TestViews.randomHost(r, dt, 16 * k), dt, Device.CPU, 1, 16, k);
            NDArray row = rows.narrow(1, 5, 1).contiguous();
            for (int round = 0; round < 3; round++) {
                if (round == 2) {
                    w.binaryInPlace(dev.kasane.tensor.spi.BinaryOp.MUL, 0.5);
                }
                NDArray all = NDArray.zeros(dt, Device.CPU, 1, 16, n);
                NDArray one = NDArray.zeros(dt, Device.CPU, 1, 1, n);
                be.matmul(rows, wt, all);
                be.matmul(row, wt, one);
                assertArrayEquals(all.narrow(1, 5, 1).toDoubleArray(), one.toDoubleArray(), 0.0, dt + " round " + round);
            }
        }
    }

    @Test
    void backendMatmulOnNdArraysWithTransposedOperand() {
        Random r = new Random(5);
        CpuBackend be = new CpuBackend(new Parallel(2), null, null);
        float[] ha = (float[]) TestViews.randomHost(r, DType.F32, 2 * 5 * 6);
        float[] hb = (float[]) TestViews.randomHost(r, DType.F32, 2 * 7 * 6);
        NDArray a = NDArray.fromHost(ha, DType.F32, Device.CPU, 2, 5, 6);
        NDArray bt = NDArray.fromHost(hb, DType.F32, Device.CPU, 2, 7, 6).asStrided(new int[] {2, 6, 7}, new int[] {42, 1, 6}, 0);
        NDArray c = NDArray.fromHost(new float[2 * 5 * 7], DType.F32, Device.CPU, 2, 5, 7);
        be.matmul(a, bt, c);
        float[] out = (float[]) ((CpuStorage) c.storage()).data();
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 7; j++) {
                    double want = 0;
                    for (int k = 0; k < 6; k++) {
                        want += (double) ha[b * 30 + i * 6 + k] * hb[b * 42 + j * 6 + k];
                    }
                    assertEquals(want, out[b * 35 + i * 7 + j], 1e-5 * (1 + Math.abs(want)));
                }
            }
        }
        // a non-contiguous destination goes through a temporary
        NDArray cT = NDArray.fromHost(new float[2 * 5 * 7], DType.F32, Device.CPU, 2, 7, 5).asStrided(new int[] {2, 5, 7}, new int[] {35, 1, 5}, 0);
        be.matmul(a, bt, cT);
        float[] outT = (float[]) ((CpuStorage) cT.storage()).data();
        assertEquals(out[1 * 35 + 2 * 7 + 3], outT[1 * 35 + 3 * 5 + 2]);
        assertTrue(outT[0] != 0f || out[0] == 0f);
    }
}
