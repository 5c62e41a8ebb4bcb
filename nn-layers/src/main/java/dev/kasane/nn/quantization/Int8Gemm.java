package dev.kasane.nn.quantization;

import java.util.stream.IntStream;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The int8 matrix product of the quantized layers: {@code c[i][j] = sum_p a[i][p] * b[j][p]} with int8 operands
 * (both with the reduction dim contiguous) and int32 accumulation, so the result is exact. {@link #multiply} runs on
 * the Vector API: {@code L} bytes widen to shorts, whose products are exact in 16 bits ({@code |a b| <= 2^14}), and
 * widen again to ints to accumulate, four columns of {@code b} per pass over a row of {@code a}; rows run in parallel.
 * {@link #reference} is the plain loop it must match.
 */
public final class Int8Gemm {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int L = INTS.length();
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));

    private Int8Gemm() {
    }

    /**
     * {@code c[i n + j] = sum_p a[i k + p] b[j k + p]} for {@code i < m}, {@code j < n}, with the Vector API.
     *
     * @throws IllegalArgumentException if an array is shorter than its dims need
     */
    public static void multiply(byte[] a, int m, int k, byte[] b, int n, int[] c) {
        check(a, m, k, b, n, c);
        IntStream.range(0, m).parallel().forEach(i -> row(a, i, k, b, n, c));
    }

    /** The plain scalar form of {@link #multiply}, its reference. */
    public static void reference(byte[] a, int m, int k, byte[] b, int n, int[] c) {
        check(a, m, k, b, n, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[j * k + p];
                }
                c[i * n + j] = s;
            }
        }
    }

    private static void row(byte[] a, int i, int k, byte[] b, int n, int[] c) {
        int ai = i * k;
        int vk = k - k % L;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            IntVector s0 = IntVector.zero(INTS);
            IntVector s1 = s0;
            IntVector s2 = s0;
            IntVector s3 = s0;
            int b0 = j * k;
            for (int p = 0; p < vk; p += L) {
                ShortVector av = widen(a, ai + p);
                s0 = s0.add(product(av, b, b0 + p));
                s1 = s1.add(product(av, b, b0 + k + p));
                s2 = s2.add(product(av, b, b0 + 2 * k + p));
                s3 = s3.add(product(av, b, b0 + 3 * k + p));
            }
            c[i * n + j] = s0.reduceLanes(VectorOperators.ADD) + tail(a, ai, b, b0, vk, k);
            c[i * n + j + 1] = s1.reduceLanes(VectorOperators.ADD) + tail(a, ai, b, b0 + k, vk, k);
            c[i * n + j + 2] = s2.reduceLanes(VectorOperators.ADD) + tail(a, ai, b, b0 + 2 * k, vk, k);
            c[i * n + j + 3] = s3.reduceLanes(VectorOperators.ADD) + tail(a, ai, b, b0 + 3 * k, vk, k);
        }
        for (; j < n; j++) {
            IntVector s = IntVector.zero(INTS);
            for (int p = 0; p < vk; p += L) {
                s = s.add(product(widen(a, ai + p), b, j * k + p));
            }
            c[i * n + j] = s.reduceLanes(VectorOperators.ADD) + tail(a, ai, b, j * k, vk, k);
        }
    }

    private static ShortVector widen(byte[] x, int offset) {
        return (ShortVector) ByteVector.fromArray(BYTES, x, offset).convertShape(VectorOperators.B2S, SHORTS, 0);
    }

    private static IntVector product(ShortVector av, byte[] b, int offset) {
        return (IntVector) av.mul(widen(b, offset)).convertShape(VectorOperators.S2I, INTS, 0);
    }

    private static int tail(byte[] a, int ai, byte[] b, int bj, int from, int k) {
        int s = 0;
        for (int p = from; p < k; p++) {
            s += a[ai + p] * b[bj + p];
        }
        return s;
    }

    private static void check(byte[] a, int m, int k, byte[] b, int n, int[] c) {
        if (m < 0 || k < 0 || n < 0 || a.length < (long) m * k || b.length < (long) n * k || c.length < (long) m * n) {
            throw new IllegalArgumentException("Int8Gemm: arrays of " + a.length + ", " + b.length + " and " + c.length
                    + " elements do not hold m=" + m + ", k=" + k + ", n=" + n);
        }
    }
}
