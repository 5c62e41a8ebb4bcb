package dev.kasane.vision.metrics;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.util.Objects;

/**
 * The Inception Score's formula (Salimans et al. 2016) over a classifier's class probabilities {@code p(y|x)} of
 * generated images: {@code exp(E_x KL(p(y|x) || p(y)))}, with {@code p(y)} the mean of {@code p(y|x)} over the
 * images. It is high when each image is classified confidently and the classes are spread evenly: between 1 (every
 * image gets the same prediction) and the number of classes (confident predictions, classes in equal numbers).
 *
 * <p>As the reference implementation ({@code inception_score.py} of openai/improved-gan, also pytorch-gan-metrics
 * and torchmetrics): the images are cut into {@code splits} consecutive parts (part {@code i} holds images
 * {@code i N / splits} to {@code (i + 1) N / splits - 1}), the score is computed on each part with that part's
 * marginal {@code p(y)}, and the result is the mean and the population standard deviation (NumPy's {@code np.std})
 * of the part scores. Terms with {@code p(y|x) = 0} count as 0 ({@code 0 log 0 = 0}). Computed in F64.
 *
 * <p><b>The score is only the Inception Score with the probabilities of the Inception network</b> of the paper on
 * 299x299 natural images. This project ships no Inception weights; its GAN examples report "IS-FMNIST"
 * ({@link FidFmnist#inceptionScore}): this formula over the probabilities of a small Fashion-MNIST classifier, on a
 * scale of 1 to 10 that compares only with other IS-FMNIST values (same weights, same number of images).
 *
 * <pre>{@code
 * InceptionScore.Result s = InceptionScore.of(probabilities);   // [N, classes], rows summing to 1; 10 splits
 * double mean = s.mean(), std = s.std();
 * }</pre>
 */
public final class InceptionScore {
    /** The number of splits of the reference implementation. */
    public static final int SPLITS = 10;

    private InceptionScore() {
    }

    /**
     * The score over the splits.
     *
     * @param mean the mean of the splits' scores
     * @param std the population standard deviation of the splits' scores (0 for one split)
     */
    public record Result(double mean, double std) {
    }

    /** {@link #of(Tensor, int)} with the reference's {@value #SPLITS} splits. */
    public static Result of(Tensor probabilities) {
        return of(probabilities, SPLITS);
    }

    /**
     * The score of class probabilities over {@code splits} parts.
     *
     * @param probabilities {@code [N, C]} floating point, non-negative, each row summing to 1 (within 1e-4)
     * @param splits between 1 and N
     * @throws IllegalArgumentException otherwise, naming the shape and dtype
     */
    public static Result of(Tensor probabilities, int splits) {
        Objects.requireNonNull(probabilities, "probabilities");
        if (probabilities.dim() != 2 || probabilities.size(1) < 1 || !probabilities.dtype().isFloating()
                || splits < 1 || splits > probabilities.size(0)) {
            throw new IllegalArgumentException("InceptionScore.of: expected floating probabilities [N, C] with N >= splits >= 1, got "
                    + probabilities.describe() + " and " + splits + " splits");
        }
        int n = probabilities.size(0);
        int c = probabilities.size(1);
        double[] p = probabilities.detach().to(Device.CPU).toType(DType.F64).contiguous().toDoubleArray();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < c; j++) {
                double v = p[i * c + j];
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("InceptionScore.of: probabilities " + probabilities.describe()
                            + " hold " + v + " at [" + i + ", " + j + "], outside [0, 1]");
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-4) {
                throw new IllegalArgumentException("InceptionScore.of: row " + i + " of the probabilities "
                        + probabilities.describe() + " sums to " + sum + ", not 1 (pass softmax outputs, not logits)");
            }
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            scores[s] = Math.exp(meanKl(p, c, (int) ((long) s * n / splits), (int) ((long) (s + 1) * n / splits)));
        }
        double mean = 0;
        for (double v : scores) {
            mean += v / splits;
        }
        double var = 0;
        for (double v : scores) {
            var += (v - mean) * (v - mean) / splits;
        }
        return new Result(mean, Math.sqrt(var));
    }

    /** {@code E_x KL(p(y|x) || p(y))} over rows {@code from} to {@code to - 1}, {@code p(y)} their mean. */
    private static double meanKl(double[] p, int c, int from, int to) {
        double[] marginal = new double[c];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < c; j++) {
                marginal[j] += p[i * c + j] / (to - from);
            }
        }
        double kl = 0;
        for (int i = from; i < to; i++) {
            for (int j = 0; j < c; j++) {
                double v = p[i * c + j];
                kl += v > 0 ? v * (Math.log(v) - Math.log(marginal[j])) : 0;
            }
        }
        return kl / (to - from);
    }
}
