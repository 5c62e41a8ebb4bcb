package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.function.Supplier;

/**
 * A layer that computes with a {@code weight}: the parameter registered under that name, or, once
 * {@link SpectralNorm} or {@link WeightNorm} has reparametrized it, a weight computed from the parameters and buffers
 * they registered in its place ({@code weight_orig}, {@code weight_u}, {@code weight_v}; {@code weight_g},
 * {@code weight_v}), as PyTorch's forward pre-hooks of {@code spectral_norm} and {@code weight_norm} do.
 */
public abstract class WeightLayer extends Module {
    private Supplier<Tensor> computedWeight;
    private String reparametrization;

    /** For subclasses, which register the {@code weight} parameter. */
    protected WeightLayer() {
    }

    /**
     * The weight the layer computes with: the {@code weight} parameter, or the reparametrized weight, computed anew on
     * each call (spectral norm in training mode runs its power iteration on each call, as PyTorch's hook does on each
     * forward; the layers call this once per forward).
     */
    public Tensor weight() {
        return computedWeight == null ? param("weight") : computedWeight.get();
    }

    /** The reparametrization installed on the weight ("SpectralNorm", "WeightNorm"), or null. */
    public String weightReparametrization() {
        return reparametrization;
    }

    /**
     * Unregisters the {@code weight} parameter and returns it, so that {@code by} can register its own parameters
     * and then {@link #computeWeightWith} its formula.
     *
     * @throws IllegalArgumentException if the weight is already reparametrized
     */
    final Tensor takeWeightParameter(String by) {
        if (reparametrization != null) {
            throw error(by + ": the weight is already reparametrized by " + reparametrization
                    + " (PyTorch also refuses two reparametrizations of one parameter)");
        }
        reparametrization = by;
        return removeParameter("weight");
    }

    /** Makes {@link #weight()} return {@code formula}'s result. */
    final void computeWeightWith(Supplier<Tensor> formula) {
        computedWeight = formula;
    }
}
