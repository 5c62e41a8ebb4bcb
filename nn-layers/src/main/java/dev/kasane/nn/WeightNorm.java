package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import java.util.Arrays;

/**
 * Weight normalization (Salimans and Kingma 2016) of a layer's weight, as PyTorch's
 * {@code torch.nn.utils.weight_norm}: the weight becomes {@code weight_v * (weight_g / ||weight_v||)}, the norm
 * taken over every dim except {@code dim}.
 *
 * <p>{@link #apply} replaces the layer's {@code weight} parameter by two parameters under PyTorch's keys:
 * {@code weight_g} (the norms of the current weight, of the weight's shape with every dim but {@code dim} of size 1,
 * or a scalar with {@code dim} -1) and {@code weight_v} (the current weight), so the layer's output is unchanged.
 *
 * <pre>{@code
 * Linear fc = WeightNorm.apply(new Linear(16, 8), 0);
 * }</pre>
 */
public final class WeightNorm {
    private static final String NAME = "WeightNorm";

    private WeightNorm() {
    }

    /**
     * Weight normalization of {@code layer}'s weight over every dim except {@code dim}; {@code dim} -1 normalises
     * the whole tensor (PyTorch's {@code dim=None}, which PyTorch also uses for -1).
     *
     * @return {@code layer}
     * @throws IllegalArgumentException if {@code dim} is out of range or the weight is already reparametrized
     */
    public static <L extends WeightLayer> L apply(L layer, int dim) {
        int[] shape = layer.weight().shape();
        if (dim < -1 || dim >= shape.length) {
            throw new IllegalArgumentException(NAME + ".apply(" + layer.getClass().getSimpleName() + "): dim " + dim
                    + " is out of range for a weight of shape " + Arrays.toString(shape) + " (-1: the whole tensor)");
        }
        Tensor w = layer.computeParameter("weight", NAME, () -> weight(layer.param("weight_v"), layer.param("weight_g"), dim));
        Tensor g;
        try (var ng = Autograd.noGrad()) {
            g = norm(w.detach(), dim).clone();
        }
        layer.registerParameter("weight_g", g);
        layer.registerParameter("weight_v", w);
        return layer;
    }

    /**
     * The weight {@code v * (g / ||v||)}, the norm over every dim except {@code dim} (-1: over the whole tensor),
     * as PyTorch's {@code torch._weight_norm(v, g, dim)}. Differentiable in both.
     *
     * @throws IllegalArgumentException if {@code dim} is out of range
     */
    public static Tensor weight(Tensor v, Tensor g, int dim) {
        if (dim < -1 || dim >= v.dim()) {
            throw new IllegalArgumentException(NAME + ".weight: dim " + dim + " is out of range for v " + v.describe()
                    + " (-1: the whole tensor)");
        }
        return v.mul(g.div(norm(v, dim)));
    }

    /** PyTorch's {@code norm_except_dim(v, 2, dim)}: the 2-norm over every dim but {@code dim}, kept as size-1 dims. */
    private static Tensor norm(Tensor v, int dim) {
        if (dim == -1) {
            return v.square().sum().sqrt();
        }
        int[] others = new int[v.dim() - 1];
        for (int d = 0, k = 0; d < v.dim(); d++) {
            if (d != dim) {
                others[k++] = d;
            }
        }
        return others.length == 0 ? v.abs() : v.square().sum(others, true).sqrt();
    }
}
