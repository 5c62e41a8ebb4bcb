package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/**
 * A layer that computes with a {@code weight}: the parameter registered under that name, or, once
 * {@link SpectralNorm}, {@link WeightNorm} or {@link Prune} has reparametrized it, a weight computed from the
 * parameters and buffers they registered in its place ({@code weight_orig}, {@code weight_u}, {@code weight_v};
 * {@code weight_g}, {@code weight_v}; {@code weight_orig}, {@code weight_mask}), as PyTorch's forward pre-hooks of
 * {@code spectral_norm}, {@code weight_norm} and pruning do.
 */
public abstract class WeightLayer extends Module {
    /** For subclasses, which register the {@code weight} parameter. */
    protected WeightLayer() {
    }

    /**
     * The weight the layer computes with: the {@code weight} parameter, or the reparametrized weight, computed anew on
     * each call (spectral norm in training mode runs its power iteration on each call, as PyTorch's hook does on each
     * forward; the layers call this once per forward).
     */
    public Tensor weight() {
        return param("weight");
    }

    /** The reparametrization installed on the weight ("SpectralNorm", "WeightNorm", "Prune"), or null. */
    public String weightReparametrization() {
        return reparametrization("weight");
    }
}
