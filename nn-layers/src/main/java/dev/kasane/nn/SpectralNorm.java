package dev.kasane.nn;

import dev.kasane.amp.Autocast;
import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;

/**
 * Spectral normalization (Miyato et al. 2018) of a layer's weight, as PyTorch's
 * {@code torch.nn.utils.spectral_norm}: the layer computes with {@code W / sigma(W)}, where {@code sigma} is the
 * largest singular value of {@code W} reshaped to a matrix [W.size(dim), -1], estimated by power iteration with
 * persistent vectors.
 *
 * <p>{@link #apply} replaces the layer's {@code weight} parameter by the parameter {@code weight_orig} (the same
 * tensor) and the buffers {@code weight_u} [h] and {@code weight_v} [w], both drawn N(0, 1) and normalised: PyTorch's
 * state-dict keys, so state dicts load both ways. Each forward in training mode first runs {@code nPowerIterations}
 * steps {@code v = normalize(W^T u)}, {@code u = normalize(W v)} without grad, writing {@code weight_u} and
 * {@code weight_v}; in evaluation mode the buffers stay as they are. Then {@code sigma = u . (W v)}, differentiated
 * through {@code W} only, and the weight is {@code weight_orig / sigma}. {@code normalize(x) = x / max(||x||, eps)}.
 *
 * <pre>{@code
 * Conv2d conv = SpectralNorm.apply(new Conv2d(3, 64, 3, 1, 1));
 * }</pre>
 */
public final class SpectralNorm {
    private static final String NAME = "SpectralNorm";

    private SpectralNorm() {
    }

    /**
     * Spectral normalization with PyTorch's defaults: one power iteration per forward, eps 1e-12, and {@code dim} 1
     * for a {@link ConvTranspose2d} (its weight is [in, out, kH, kW]) and 0 otherwise.
     *
     * @return {@code layer}
     */
    public static <L extends WeightLayer> L apply(L layer) {
        return apply(layer, 1, 1e-12, layer instanceof ConvTranspose2d ? 1 : 0);
    }

    /**
     * Spectral normalization with every option.
     *
     * @param nPowerIterations power-iteration steps per training forward, at least 1
     * @param eps the floor of the norms in {@code normalize}, positive
     * @param dim the weight dim that becomes the matrix's rows
     * @return {@code layer}
     * @throws IllegalArgumentException if an option is out of range, the layer's weight is already reparametrized,
     *                                  or it has fewer than one dim
     */
    public static <L extends WeightLayer> L apply(L layer, int nPowerIterations, double eps, int dim) {
        String label = NAME + ".apply(" + layer.getClass().getSimpleName() + ")";
        if (nPowerIterations < 1) {
            throw new IllegalArgumentException(label + ": nPowerIterations must be positive, got " + nPowerIterations);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(label + ": eps must be positive, got " + eps);
        }
        int rank = layer.weight().dim();
        if (dim < 0 || dim >= rank) {
            throw new IllegalArgumentException(label + ": dim " + dim + " is out of range for a weight of shape "
                    + java.util.Arrays.toString(layer.weight().shape()));
        }
        Hook hook = new Hook(layer, nPowerIterations, eps, dim);
        Tensor w = layer.computeParameter("weight", NAME, hook::weight);
        layer.registerParameter("weight_orig", w);
        Tensor m = matrix(w.detach(), dim);
        try (var g = Autograd.noGrad()) {
            layer.registerBuffer("weight_u", normalize(Tensor.randn(m.size(0)).toType(w.dtype()).to(w.device()), eps));
            layer.registerBuffer("weight_v", normalize(Tensor.randn(m.size(1)).toType(w.dtype()).to(w.device()), eps));
        }
        return layer;
    }

    /** {@code w} with {@code dim} moved first, reshaped to [w.size(dim), -1]. */
    private static Tensor matrix(Tensor w, int dim) {
        Tensor m = w;
        if (dim != 0) {
            int[] order = new int[w.dim()];
            order[0] = dim;
            for (int d = 0, k = 1; d < w.dim(); d++) {
                if (d != dim) {
                    order[k++] = d;
                }
            }
            m = w.permute(order);
        }
        return m.reshape(w.size(dim), -1);
    }

    private static Tensor normalize(Tensor x, double eps) {
        return x.div(x.square().sum().sqrt().clamp(eps, Double.POSITIVE_INFINITY));
    }

    /**
     * The spectrally normalised weight for given singular vectors: {@code weight / (u . (W v))}, where {@code W} is
     * {@code weight} with {@code dim} moved first and reshaped to [h, w], {@code u} [h] and {@code v} [w] (PyTorch's
     * {@code compute_weight} without its power iteration). Differentiable in all three.
     *
     * @throws IllegalArgumentException if {@code dim} is out of range or {@code u}, {@code v} do not fit the matrix
     */
    public static Tensor normalizedWeight(Tensor weight, Tensor u, Tensor v, int dim) {
        if (dim < 0 || dim >= weight.dim()) {
            throw new IllegalArgumentException(NAME + ".normalizedWeight: dim " + dim + " is out of range for a weight "
                    + weight.describe());
        }
        Tensor m = matrix(weight, dim);
        if (u.dim() != 1 || v.dim() != 1 || u.size(0) != m.size(0) || v.size(0) != m.size(1)) {
            throw new IllegalArgumentException(NAME + ".normalizedWeight: weight " + weight.describe() + " as a matrix ["
                    + m.size(0) + ", " + m.size(1) + "] (dim " + dim + ") needs u [" + m.size(0) + "] and v [" + m.size(1)
                    + "], got u " + u.describe() + " and v " + v.describe());
        }
        return weight.div(u.mul(m.matmul(v)).sum());
    }

    /** The forward pre-hook of a spectrally normalised layer: its options, and the layer whose weight it computes. */
    private record Hook(WeightLayer layer, int nPowerIterations, double eps, int dim) {
        /**
         * One forward's weight: power iteration in training mode, then {@code weight_orig / sigma}. After an iteration
         * sigma uses the new vectors themselves, not the buffers they were copied into (PyTorch's clones), so that a
         * graph recorded by an earlier forward (D(real) before D(fake)) keeps the vectors it saw. Autocast does not
         * round these products, as PyTorch computes them with {@code mv} and {@code dot}, which it leaves in F32.
         */
        Tensor weight() {
            try (Autocast off = Autocast.open(DType.BF16, false)) { // PyTorch's mv and dot: F32 under autocast
                return computeWeight();
            }
        }

        private Tensor computeWeight() {
            Tensor weightOrig = layer.param("weight_orig");
            Tensor u = layer.buffer("weight_u");
            Tensor v = layer.buffer("weight_v");
            if (!layer.isTraining()) {
                return normalizedWeight(weightOrig, u, v, dim);
            }
            Tensor uk = u;
            Tensor vk = v;
            try (var g = Autograd.noGrad()) {
                Tensor md = matrix(weightOrig.detach(), dim);
                for (int i = 0; i < nPowerIterations; i++) {
                    vk = normalize(md.t().matmul(uk), eps);
                    uk = normalize(md.matmul(vk), eps);
                }
                v.copyFrom(vk);
                u.copyFrom(uk);
            }
            return normalizedWeight(weightOrig, uk, vk, dim);
        }
    }
}
