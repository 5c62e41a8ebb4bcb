package dev.kasane.nn.functional;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Contrastive losses of self-supervised learning. */
final class Contrastive {
    /** The smallest norm a row is divided by ({@code F.normalize}'s eps), so an all-zero row gives zeros, not NaN. */
    private static final double NORM_EPS = 1e-12;

    private Contrastive() {
    }

    /**
     * NT-Xent of SimCLR: rows of {@code cat(z1, z2)} scaled to unit length, cosine similarities divided by the
     * temperature, each row's similarity with itself left out, and the mean cross entropy of picking the other view
     * of the same sample (row i of z1 with row i of z2 and back) among the other 2N - 1 rows.
     */
    static Tensor ntXent(Tensor z1, Tensor z2, double temperature) {
        String op = "ntXent";
        Objects.requireNonNull(z1, op + ": z1");
        Objects.requireNonNull(z2, op + ": z2");
        if (z1.dim() != 2 || !Arrays.equals(z1.shape(), z2.shape()) || z1.size(0) == 0 || z1.size(1) == 0) {
            throw new IllegalArgumentException(op + ": expected two non-empty embeddings [N, D] of the same shape, got "
                    + z1.describe() + " and " + z2.describe());
        }
        if (!z1.dtype().isFloating() || z1.dtype() != z2.dtype() || !z1.device().equals(z2.device())) {
            throw new IllegalArgumentException(op + ": expected floating-point embeddings of one dtype on one device, got "
                    + z1.describe() + " and " + z2.describe());
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(op + ": temperature must be positive and finite, got " + temperature);
        }
        int n = z1.size(0);
        Tensor z = Tensor.cat(List.of(z1, z2), 0);
        Tensor unit = z.div(z.square().sum(1, true).sqrt().clamp(NORM_EPS, Double.POSITIVE_INFINITY));
        Tensor logits = unit.matmul(unit.t()).div(temperature);
        Tensor self = Tensor.eye(2 * n, 2 * n, DType.BOOL, z.device());
        logits = logits.maskedFill(self, Double.NEGATIVE_INFINITY);
        long[] positive = new long[2 * n];
        for (int i = 0; i < n; i++) {
            positive[i] = i + n;
            positive[i + n] = i;
        }
        Tensor target = Tensor.of(positive, 2 * n).to(z.device());
        return Losses.crossEntropy(logits, target, null, -100, Reduction.MEAN, 0);
    }
}
