package dev.kasane.vision.metrics;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors, the number behind FID (Heusel et al. 2017):
 * {@code ||mu1 - mu2||^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2))}, with each mean the average feature and each
 * covariance the unbiased one (NumPy's {@code np.cov(x, rowvar=False)}), as in {@code pytorch-fid}.
 *
 * <p>Everything is computed in F64. The trace of the square root of {@code S1 S2} (not symmetric) is taken as the
 * trace of the square root of the symmetric positive semi-definite {@code S1^(1/2) S2 S1^(1/2)}, which has the same
 * eigenvalues; both square roots come from symmetric eigendecompositions (Householder and QL), with eigenvalues
 * below the rounding noise ({@code n * ulp(1) * max |eigenvalue|}; a covariance from fewer samples than features is
 * singular) counted as zero. SciPy's
 * {@code sqrtm} (pytorch-fid) gives the same value, up to its own rounding, for positive semi-definite covariances.
 *
 * <p>What the distance means depends on the features: FID proper uses the 2048 pool3 features of the TensorFlow
 * Inception network of the FID paper on 299x299 images, and values from other features (another network, other
 * weights, other image sizes) are not comparable with published FIDs. The examples of this project report an
 * "FID-FMNIST" computed on the features of a small Fashion-MNIST classifier; it ranks models trained on
 * Fashion-MNIST but it is not FID.
 *
 * <pre>{@code
 * double d = FrechetDistance.of(realFeatures, fakeFeatures);   // both [N, D]
 * }</pre>
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /**
     * A Gaussian fitted to {@code count} feature vectors.
     *
     * @param mean F64 {@code [D]}
     * @param covariance F64 {@code [D, D]}, unbiased
     * @param count the number of feature vectors
     */
    public record Gaussian(Tensor mean, Tensor covariance, int count) {
    }

    /**
     * Fits a Gaussian to feature vectors: their mean and unbiased covariance, in F64 on the CPU.
     *
     * @param features {@code [N, D]} floating point, N at least 2, all finite
     * @throws IllegalArgumentException otherwise
     */
    public static Gaussian fit(Tensor features) {
        Objects.requireNonNull(features, "features");
        if (features.dim() != 2 || features.size(0) < 2 || features.size(1) < 1 || !features.dtype().isFloating()) {
            throw new IllegalArgumentException("FrechetDistance.fit: expected floating features [N, D] with N >= 2, got "
                    + features.describe());
        }
        Tensor x = features.detach().to(Device.CPU).toType(DType.F64);
        if (!x.isFinite().all().toBooleanArray()[0]) {
            throw new IllegalArgumentException("FrechetDistance.fit: the features " + features.describe()
                    + " contain NaN or infinite values");
        }
        Tensor mean = x.mean(0, false);
        Tensor centred = x.sub(mean);
        Tensor cov = centred.t().matmul(centred).div(x.size(0) - 1);
        return new Gaussian(mean, cov, x.size(0));
    }

    /**
     * The Fréchet distance between two fitted Gaussians.
     *
     * @throws IllegalArgumentException if their feature sizes differ
     */
    public static double between(Gaussian a, Gaussian b) {
        if (a.mean().size(0) != b.mean().size(0)) {
            throw new IllegalArgumentException("FrechetDistance.between: feature sizes differ: " + a.mean().size(0) + " and "
                    + b.mean().size(0));
        }
        Tensor diff = a.mean().sub(b.mean());
        double meanTerm = diff.square().sum().item();
        double traces = trace(a.covariance()) + trace(b.covariance());
        return meanTerm + traces - 2 * traceOfSqrtProduct(a.covariance(), b.covariance());
    }

    /** The Fréchet distance between Gaussians fitted to two sets of features [N1, D] and [N2, D]. */
    public static double of(Tensor featuresA, Tensor featuresB) {
        return between(fit(featuresA), fit(featuresB));
    }

    /**
     * Runs {@code extractor} over {@code images} in batches without grad and returns the features F64 [N, D] on
     * the CPU.
     *
     * @param extractor images [B, ...] to features [B, D]
     * @throws IllegalArgumentException if {@code batchSize} is not positive or the extractor's output is not [B, D]
     */
    @SuppressWarnings("try") // the guard is only opened and closed
    public static Tensor features(UnaryOperator<Tensor> extractor, Tensor images, int batchSize) {
        Objects.requireNonNull(extractor, "extractor");
        if (batchSize < 1 || images.dim() < 1 || images.size(0) == 0) {
            throw new IllegalArgumentException("FrechetDistance.features: expected images [N, ...] with N > 0 and a positive "
                    + "batch size, got " + images.describe() + " and " + batchSize);
        }
        List<Tensor> parts = new ArrayList<>();
        try (var g = Autograd.noGrad()) {
            for (int start = 0; start < images.size(0); start += batchSize) {
                int n = Math.min(batchSize, images.size(0) - start);
                Tensor f = extractor.apply(images.narrow(0, start, n));
                if (f.dim() != 2 || f.size(0) != n) {
                    throw new IllegalArgumentException("FrechetDistance.features: the extractor turned " + n + " images into "
                            + f.describe() + ", expected [" + n + ", D]");
                }
                parts.add(f.to(Device.CPU).toType(DType.F64));
            }
        }
        return Tensor.cat(parts, 0);
    }

    /** {@code tr((s1 s2)^(1/2))} of two symmetric positive semi-definite matrices, via {@code s1^(1/2) s2 s1^(1/2)}. */
    static double traceOfSqrtProduct(Tensor s1, Tensor s2) {
        Tensor root = sqrtPsd(s1);
        Tensor m = root.matmul(s2).matmul(root);
        double[] values = SymmetricEigen.of(symmetricRows(m), false).values;
        double floor = roundingFloor(values);
        double sum = 0;
        for (double v : values) {
            sum += v > floor ? Math.sqrt(v) : 0;
        }
        return sum;
    }

    /** The symmetric positive semi-definite square root {@code V diag(sqrt(max(l, 0))) V^T} of a symmetric matrix. */
    static Tensor sqrtPsd(Tensor s) {
        int n = s.size(0);
        SymmetricEigen eig = SymmetricEigen.of(symmetricRows(s), true);
        double floor = roundingFloor(eig.values);
        double[] v = new double[n * n];
        double[] scaled = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                v[r * n + k] = eig.vectors[r][k];
                scaled[r * n + k] = eig.values[k] > floor ? eig.vectors[r][k] * Math.sqrt(eig.values[k]) : 0;
            }
        }
        // on the CPU whatever the default device, like the covariances
        return Tensor.fromHost(scaled, DType.F64, Device.CPU, n, n).matmul(Tensor.fromHost(v, DType.F64, Device.CPU, n, n).t());
    }

    /**
     * The size below which an eigenvalue of a positive semi-definite matrix is rounding noise around zero:
     * {@code n * ulp(1) * max |eigenvalue|} (the matrix's numerical rank; the square roots of such noise, about 1e-8
     * relative each, would otherwise add up over the many zero eigenvalues of a covariance from fewer samples than
     * features).
     */
    private static double roundingFloor(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return values.length * Math.ulp(1.0) * max;
    }

    /** The rows of {@code (m + m^T) / 2} (removing the rounding asymmetry of products). */
    private static double[][] symmetricRows(Tensor m) {
        int n = m.size(0);
        double[] flat = m.add(m.t()).mul(0.5).contiguous().toDoubleArray();
        double[][] rows = new double[n][];
        for (int r = 0; r < n; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * n, (r + 1) * n);
        }
        return rows;
    }

    private static double trace(Tensor m) {
        int n = m.size(0);
        double[] flat = m.contiguous().toDoubleArray();
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += flat[i * n + i];
        }
        return t;
    }
}
