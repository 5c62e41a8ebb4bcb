package dev.kasane.nn.quantization;

import java.util.stream.IntStream;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The int8 matrix product of the quantized layers, {@code c[j][i] = sum_p a[p][i] * b[j][p]}, with int8 operands and
 * int32 accumulation, so the result is exact: {@code a} is [k, m] (the input unfolded with the reduction dim
 * outermost, one column per output position), {@code b} is the [n, k] weight and {@code c} comes out [n, m] (channel
 * major, as NCHW wants). {@link #multiply} runs on the Vector API across {@code m}, which is large for every layer
 * (positions times batch), so no lane idles on the small channel counts of a CNN: {@code L} bytes of a row of
 * {@code a} widen to ints and are multiplied by one weight for each of four output channels at a time; blocks of
 * columns run in parallel. {@link #reference} is the plain loop it must match.
 */
public final class Int8Gemm {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int L = INTS.length();
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    /** Columns per parallel task. */
    private static final int BLOCK = 16 * L;

    private Int8Gemm() {
    }

    /**
     * {@code c[j m + i] = sum_p a[p m + i] b[j k + p]} for {@code i < m}, {@code j < n}, with the Vector API.
     *
     * @throws IllegalArgumentException if an array is shorter than its dims need
     */
    public static void multiply(byte[] a, int m, int k, byte[] b, int n, int[] c) {
        multiply(a, 0, m, k, b, 0, n, c, 0);
    }

    /**
     * {@link #multiply(byte[], int, int, byte[], int, int[])} on the matrices starting at {@code aOffset},
     * {@code bOffset} and {@code cOffset} of their arrays (one group of a grouped convolution).
     *
     * @throws IllegalArgumentException if an offset is negative or an array is shorter than its dims need
     */
    public static void multiply(byte[] a, int aOffset, int m, int k, byte[] b, int bOffset, int n, int[] c, int cOffset) {
        check(a, aOffset, m, k, b, bOffset, n, c, cOffset);
        Operands o = new Operands(a, aOffset, m, k, b, bOffset, n, c, cOffset);
        IntStream.range(0, (m + BLOCK - 1) / BLOCK).parallel()
                .forEach(blk -> columns(o, blk * BLOCK, Math.min(m, (blk + 1) * BLOCK)));
    }

    /** The operands of one product: {@code a} [k, m] at {@code ao}, {@code b} [n, k] at {@code bo}, {@code c} [n, m] at {@code co}. */
    private record Operands(byte[] a, int ao, int m, int k, byte[] b, int bo, int n, int[] c, int co) {
    }

    /** The plain scalar form of {@link #multiply}, its reference. */
    public static void reference(byte[] a, int m, int k, byte[] b, int n, int[] c) {
        check(a, 0, m, k, b, 0, n, c, 0);
        Operands o = new Operands(a, 0, m, k, b, 0, n, c, 0);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                c[j * m + i] = dot(o, i, j);
            }
        }
    }

    /** {@code sum_p a[p m + i] b[j k + p]}. */
    private static int dot(Operands o, int i, int j) {
        int s = 0;
        for (int p = 0; p < o.k; p++) {
            s += o.a[o.ao + p * o.m + i] * o.b[o.bo + j * o.k + p];
        }
        return s;
    }

    /** Columns [from, to) of {@code c}. */
    private static void columns(Operands o, int from, int to) {
        byte[] a = o.a;
        byte[] b = o.b;
        int[] c = o.c;
        int m = o.m;
        int k = o.k;
        int i = from;
        for (; i + L <= to; i += L) {
            int j = 0;
            for (; j + 4 <= o.n; j += 4) {
                IntVector s0 = IntVector.zero(INTS);
                IntVector s1 = s0;
                IntVector s2 = s0;
                IntVector s3 = s0;
                int w = o.bo + j * k;
                for (int p = 0; p < k; p++) {
                    IntVector av = (IntVector) ByteVector.fromArray(BYTES, a, o.ao + p * m + i)
                            .convertShape(VectorOperators.B2I, INTS, 0);
                    s0 = s0.add(av.mul(b[w + p]));
                    s1 = s1.add(av.mul(b[w + k + p]));
                    s2 = s2.add(av.mul(b[w + 2 * k + p]));
                    s3 = s3.add(av.mul(b[w + 3 * k + p]));
                }
                int dst = o.co + j * m + i;
                s0.intoArray(c, dst);
                s1.intoArray(c, dst + m);
                s2.intoArray(c, dst + 2 * m);
                s3.intoArray(c, dst + 3 * m);
            }
            for (; j < o.n; j++) {
                IntVector s = IntVector.zero(INTS);
                int w = o.bo + j * k;
                for (int p = 0; p < k; p++) {
                    s = s.add(((IntVector) ByteVector.fromArray(BYTES, a, o.ao + p * m + i)
                            .convertShape(VectorOperators.B2I, INTS, 0)).mul(b[w + p]));
                }
                s.intoArray(c, o.co + j * m + i);
            }
        }
        for (; i < to; i++) {
            for (int j = 0; j < o.n; j++) {
                c[o.co + j * m + i] = dot(o, i, j);
            }
        }
    }

    private static void check(byte[] a, int aOffset, int m, int k, byte[] b, int bOffset, int n, int[] c, int cOffset) {
        if (m < 0 || k < 0 || n < 0 || aOffset < 0 || bOffset < 0 || cOffset < 0 || a.length < aOffset + (long) m * k
                || b.length < bOffset + (long) n * k || c.length < cOffset + (long) m * n) {
            throw new IllegalArgumentException("Int8Gemm: arrays of " + a.length + ", " + b.length + " and " + c.length
                    + " elements at offsets " + aOffset + ", " + bOffset + " and " + cOffset + " do not hold m=" + m
                    + ", k=" + k + ", n=" + n);
        }
    }
}
