package dev.kasane.vision.metrics;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.util.Arrays;
import java.util.Objects;

/**
 * Precision and recall of a generative model (Kynkäänniemi et al. 2019, "Improved precision and recall metric for
 * assessing generative models"), on feature vectors of real and generated images. Each set's manifold is the union
 * of balls around its feature vectors, each ball's radius the distance to that vector's {@code k}-th nearest neighbour
 * in its own set (the vector itself not counted). <b>Precision</b> is the fraction of generated vectors inside the
 * real manifold (how many samples look real), <b>recall</b> the fraction of real vectors inside the generated
 * manifold (how much of the real data the samples cover). A vector is inside when its Euclidean distance to some
 * ball's centre is at most that ball's radius, as in the paper. {@code k = 3} by default, as the paper recommends.
 *
 * <p>Distances are computed in F64 on the CPU from {@code |a|^2 + |b|^2 - 2 a.b} in blocks of rows (at most
 * {@value #BLOCK_ELEMENTS} distances at a time), the way the authors' implementation does; the comparison at a ball's
 * boundary is therefore subject to rounding of about {@code 1e-15} relative.
 *
 * <pre>{@code
 * PrecisionRecall.Result pr = PrecisionRecall.of(realFeatures, generatedFeatures);   // [N, D], [M, D]; k = 3
 * }</pre>
 */
public final class PrecisionRecall {
    /** The paper's default neighbourhood size. */
    public static final int K = 3;
    /**
     * Distances per block: at most this many doubles (1 MiB), so that a block's arrays stay below the size the garbage
     * collector allocates outside its young generation (G1's humongous objects, half a region: 1 MiB at least), where
     * thousands of them pile up between collections.
     */
    private static final int BLOCK_ELEMENTS = 1 << 17;

    private PrecisionRecall() {
    }

    /**
     * Precision and recall.
     *
     * @param precision the fraction of generated vectors inside the real manifold, in [0, 1]
     * @param recall the fraction of real vectors inside the generated manifold, in [0, 1]
     */
    public record Result(double precision, double recall) {
    }

    /** {@link #of(Tensor, Tensor, int)} with {@code k = }{@value #K}. */
    public static Result of(Tensor real, Tensor generated) {
        return of(real, generated, K);
    }

    /**
     * Precision and recall of {@code generated} against {@code real} with {@code k}-nearest-neighbour manifolds.
     *
     * @param real {@code [N, D]} floating point, finite, N greater than k
     * @param generated {@code [M, D]} floating point, finite, M greater than k
     * @throws IllegalArgumentException otherwise, naming the shapes and dtypes
     */
    public static Result of(Tensor real, Tensor generated, int k) {
        Objects.requireNonNull(real, "real");
        Objects.requireNonNull(generated, "generated");
        if (k < 1 || !valid(real, k) || !valid(generated, k) || real.size(1) != generated.size(1)) {
            throw new IllegalArgumentException("PrecisionRecall.of: expected floating features [N, D] and [M, D] with N, M > k >= 1, "
                    + "got " + real.describe() + ", " + generated.describe() + " and k = " + k);
        }
        Tensor r = finiteF64(real, "real");
        Tensor g = finiteF64(generated, "generated");
        double[] realRadii = kthNeighbourSquared(r, k);
        double[] generatedRadii = kthNeighbourSquared(g, k);
        return new Result(insideFraction(g, r, realRadii), insideFraction(r, g, generatedRadii));
    }

    private static boolean valid(Tensor x, int k) {
        return x.dim() == 2 && x.size(0) > k && x.size(1) >= 1 && x.dtype().isFloating();
    }

    private static Tensor finiteF64(Tensor x, String what) {
        Tensor y = x.detach().to(Device.CPU).toType(DType.F64).contiguous();
        if (!y.isFinite().all().toBooleanArray()[0]) {
            throw new IllegalArgumentException("PrecisionRecall.of: the " + what + " features " + x.describe()
                    + " contain NaN or infinite values");
        }
        return y;
    }

    /** Per row of {@code x}, the squared distance to its k-th nearest other row. */
    private static double[] kthNeighbourSquared(Tensor x, int k) {
        int n = x.size(0);
        double[] radii = new double[n];
        double[] smallest = new double[k + 1];
        double[] norms = squaredNorms(x);
        for (int start = 0, block = blockRows(n); start < n; start += block) {
            int rows = Math.min(block, n - start);
            double[] d = squaredDistances(x.narrow(0, start, rows), x, norms);
            for (int i = 0; i < rows; i++) {
                // the k + 1 smallest of the row, its own distance (0) among them
                Arrays.fill(smallest, Double.POSITIVE_INFINITY);
                for (int j = 0; j < n; j++) {
                    double v = j == start + i ? 0 : d[i * n + j];
                    if (v < smallest[k]) {
                        int p = k;
                        while (p > 0 && smallest[p - 1] > v) {
                            smallest[p] = smallest[p - 1];
                            p--;
                        }
                        smallest[p] = v;
                    }
                }
                radii[start + i] = smallest[k];
            }
        }
        return radii;
    }

    /** The fraction of rows of {@code points} within some ball (centre a row of {@code centres}, squared radius). */
    private static double insideFraction(Tensor points, Tensor centres, double[] squaredRadii) {
        int n = points.size(0);
        int m = centres.size(0);
        int inside = 0;
        double[] centreNorms = squaredNorms(centres);
        for (int start = 0, block = blockRows(m); start < n; start += block) {
            int rows = Math.min(block, n - start);
            double[] d = squaredDistances(points.narrow(0, start, rows), centres, centreNorms);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < m; j++) {
                    if (d[i * m + j] <= squaredRadii[j]) {
                        inside++;
                        break;
                    }
                }
            }
        }
        return (double) inside / n;
    }

    /** Rows per block of distances to {@code columns} points. */
    private static int blockRows(int columns) {
        return Math.max(1, BLOCK_ELEMENTS / columns);
    }

    /** The squared norm of each row of {@code x} [N, D]. */
    private static double[] squaredNorms(Tensor x) {
        return x.square().sum(new int[] {1}, false).toDoubleArray();
    }

    /**
     * Squared Euclidean distances [A, B] (row-major) of rows {@code a} [A, D] to rows {@code b} [B, D], at least 0,
     * given the squared norms {@code bb} of b's rows.
     */
    private static double[] squaredDistances(Tensor a, Tensor b, double[] bb) {
        double[] aa = squaredNorms(a);
        // one [A, B] product and its copy, then the rest in place: a block's temporaries of A x B doubles are
        // humongous objects for the garbage collector, and each one it allocates brings a collection closer
        double[] d = a.matmul(b.t()).toDoubleArray();
        int m = bb.length;
        for (int i = 0; i < aa.length; i++) {
            for (int j = 0, at = i * m; j < m; j++, at++) {
                d[at] = Math.max(aa[i] + bb[j] - 2 * d[at], 0);
            }
        }
        return d;
    }
}
