package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import java.util.Arrays;

/** Layer normalization over the trailing {@code normalizedShape} dims, with elementwise {@code weight} and {@code bias}. */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;

    /** eps 1e-5, with elementwise affine parameters. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    /** Every option. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = Layers.nonNegative("LayerNorm", "normalized_shape", normalizedShape);
        this.eps = eps;
        Layers.registerAffine(this, elementwiseAffine, normalizedShape);
    }

    @Override
    public Tensor forward(Tensor input) {
        int k = normalizedShape.length;
        int[] s = input.shape();
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw error("expected input of shape (*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + "), got "
                    + Arrays.toString(s));
        }
        return F.layerNorm(input, normalizedShape, paramOrNull("weight"), paramOrNull("bias"), eps);
    }

    @Override
    protected String extraRepr() {
        return Layers.tuple(normalizedShape) + ", eps=" + eps + ", elementwise_affine=" + (paramOrNull("weight") != null);
    }
}
