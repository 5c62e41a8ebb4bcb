package dev.kasane.backend.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The F32 GEMM kernels on the Vector API, 8 rows by two vectors (the default) or by one: {@link GemmVectorF32Micro}'s
 * micro-kernel (shared with F64 through its build-time template) plus the F32-only paths: A read in place
 * ({@link #microRowsA}), vector tile additions, and dot products along k for thin products ({@link #dotRows}). Loaded
 * only when {@link VectorSupport} has found the {@code jdk.incubator.vector} module. The unrolled micro-kernels are
 * generated at build time ({@code VectorMicroKernelsF32}, from {@code src/build/java/GenerateMicroKernels.java}).
 *
 * <p>The one-vector twin ({@link #narrow()}) serves products at most one vector wide (N &lt;= 16 with 512-bit vectors),
 * on which the two-vector panels would leave half of every FMA idle: the weight gradient of a convolution with 16
 * output channels or fewer (U-Net's outer stage, LeNet-5), where N is the output channel count. Eight rows, not
 * sixteen: with A read in place each row is a live offset, and sixteen of them spill general registers (measured on
 * Zen 5: 8 rows 131 GFLOP/s per core on a 144 x 4000 x 16 product, 12 rows 117, 16 rows 103, the two-vector kernel
 * 82). The accumulator stores are written out row by row: a shared store helper (with either a conditional vector or
 * two stores) made gemm-1024 35-45% slower on JDK 17 and up to 25% on JDK 25, measured 2026-12-05.
 */
final class GemmVectorF32 extends GemmVectorF32Micro {
    /** The one-vector-wide kernel for products at most {@link #VL} columns wide (itself for that kernel). */
    private final GemmKernel narrow;

    GemmVectorF32() {
        this(2 * VL);
    }

    private GemmVectorF32(int nr) {
        super(nr);
        narrow = nr == VL ? this : new GemmVectorF32(VL);
    }

    @Override
    GemmKernel narrow() {
        return narrow;
    }

    @Override
    void micro(int kc, Object ap, int aOff, Object b, int bOff, int[] bRows, int row0, Object c, int cOff, int ldc,
            boolean accumulate) {
        if (nr == VL) {
            VectorMicroKernelsF32.packedA8x1(kc, (float[]) ap, aOff, (float[]) b, bOff, bRows, row0, (float[]) c, cOff,
                    ldc, accumulate);
        } else {
            super.micro(kc, ap, aOff, b, bOff, bRows, row0, c, cOff, ldc, accumulate);
        }
    }

    /**
     * {@link GemmKernel#addTile}: whole vectors along each row and
     * scalar tails. Small products (LeNet's 6 output channels, whose every tile is partial) spend as long here as in
     * the micro-kernel, so the scalar loop cost as much as the product itself.
     */
    @Override
    void addTile(Object tileObj, int m, int n, Object cObj, int cOff, int ldc, boolean accumulate) {
        float[] tile = (float[]) tileObj;
        float[] c = (float[]) cObj;
        int whole = S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            int t = i * nr;
            int j = 0;
            for (; j < whole; j += VL) {
                FloatVector v = FloatVector.fromArray(S, tile, t + j);
                if (accumulate) {
                    v = v.add(FloatVector.fromArray(S, c, row + j));
                }
                v.intoArray(c, row + j);
            }
            for (; j < n; j++) {
                c[row + j] = accumulate ? c[row + j] + tile[t + j] : tile[t + j];
            }
        }
    }

    @Override
    void microRowsA(int kc, Object a, int aOff, int[] aRows, int aRow0, Object bp, int bOff, Object c, int cOff,
            int ldc, boolean accumulate) {
        float[] af = (float[]) a;
        float[] bf = (float[]) bp;
        float[] cf = (float[]) c;
        if (nr == VL) {
            VectorMicroKernelsF32.rowsA8x1(kc, af, aOff, aRows, aRow0, bf, bOff, cf, cOff, ldc, accumulate);
        } else {
            VectorMicroKernelsF32.rowsA8x2(kc, af, aOff, aRows, aRow0, bf, bOff, cf, cOff, ldc, accumulate);
        }
    }

    /**
     * {@link GemmKernel#dotRows} (the one-vector kernel only) in tiles of 4 rows of A by 3 rows of B, 12 vector
     * accumulators along k, each summed across its lanes at the end ({@link #storeTile}). The last, partial vector of k
     * is read as the whole vector that ends at k, with the lanes already counted zeroed in B (a blend, no masked load:
     * JDK 17 compiles those poorly).
     */
    @Override
    boolean dotRows(Object aObj, int[] aRows, int m, Object bObj, int n, int k, Object cObj, boolean accumulate) {
        int vl = S.length();
        if (nr != vl || k < vl) {
            return false;
        }
        VectorMicroKernelsF32.dotRows4x3((float[]) aObj, aRows, m, (float[]) bObj, n, k, (float[]) cObj, accumulate);
        return true;
    }

    /**
     * {@code c} (+)= the lane sums of a 4x3 tile of accumulators stored in {@code lanes} (row-major, {@code vl} lanes
     * each), of which the first {@code rows} x {@code cols} are real. The lanes are added in lane order, not with
     * {@code reduceLanes}: its order differs between C2's intrinsic and the Java fallback that runs before the method
     * is compiled, which made the result depend on how the work was split over threads. (Storing the vectors first
     * keeps them out of any call that C2 might not inline: a vector passed to one is boxed.)
     */
    static void storeTile(float[] lanes, int vl, float[] c, int o, int n, int rows, int cols, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int base = (3 * r + j) * vl;
                float s = 0;
                for (int l = 0; l < vl; l++) {
                    s += lanes[base + l];
                }
                int at = o + r * n + j;
                c[at] = accumulate ? c[at] + s : s;
            }
        }
    }
}

