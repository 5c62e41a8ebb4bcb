package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * StyleGAN's mapping network from the latent z to the intermediate latent w: pixel norm, then {@code layers}
 * {@link EqualLinear} layers (learning-rate multiplier {@code lrMul}, 0.01 in StyleGAN), each followed by leaky ReLU
 * (slope 0.2) times sqrt(2). In training each forward also moves the buffer {@code w_avg} (the mean w, used by the
 * truncation trick) towards the batch's mean w: {@code w_avg = beta w_avg + (1 - beta) mean(w)}.
 *
 * <pre>{@code
 * MappingNetwork mapping = new MappingNetwork(64, 64, 4, 0.01, 0.995);
 * Tensor w = mapping.forward(Tensor.randn(8, 64));   // [8, 64]
 * Tensor wTruncated = mapping.truncate(w, 0.7);      // w_avg + 0.7 (w - w_avg)
 * }</pre>
 */
public class MappingNetwork extends Module {
    private final int zDim;
    private final double wAvgBeta;
    private final ModuleList layers = registerModule("layers", new ModuleList());

    /**
     * @param zDim the latent z's size
     * @param wDim the latent w's size
     * @param layers linear layers (8 in StyleGAN)
     * @param lrMul their learning-rate multiplier
     * @param wAvgBeta the decay of {@code w_avg} (0.995 in StyleGAN2)
     */
    public MappingNetwork(int zDim, int wDim, int layers, double lrMul, double wAvgBeta) {
        this.zDim = Layers.positive("MappingNetwork", "z_dim", zDim);
        Layers.positive("MappingNetwork", "w_dim", wDim);
        Layers.positive("MappingNetwork", "num_layers", layers);
        if (!(wAvgBeta >= 0 && wAvgBeta <= 1)) {
            throw new IllegalArgumentException("MappingNetwork: w_avg_beta must be in [0, 1], got " + wAvgBeta);
        }
        this.wAvgBeta = wAvgBeta;
        for (int i = 0; i < layers; i++) {
            this.layers.add(new EqualLinear(i == 0 ? zDim : wDim, wDim, true, 0, lrMul));
        }
        registerBuffer("w_avg", Tensor.zeros(Layers.floatType(), Layers.device(), wDim));
    }

    /** w [N, wDim] for z [N, zDim]; in training also updates {@code w_avg}. */
    @Override
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    public Tensor forward(Tensor z) {
        requireRank(z, "(N, " + zDim + ")", 2);
        requireSize(z, 1, zDim, "features", "(N, " + zDim + ")");
        Tensor x = F.pixelNorm(z, 1e-8);
        for (Module layer : layers) {
            x = F.leakyRelu(layer.forward(x), 0.2).mul(Math.sqrt(2));
        }
        if (isTraining()) {
            try (var ng = Autograd.noGrad()) {
                Tensor avg = buffer("w_avg");
                avg.mulInPlace(wAvgBeta).addInPlace(x.detach().mean(0, false).mul(1 - wAvgBeta));
            }
        }
        return x;
    }

    /** The tracked mean w (the buffer itself). */
    public Tensor wAvg() {
        return buffer("w_avg");
    }

    /** The truncation trick: {@code w_avg + psi (w - w_avg)} for w [..., wDim]; psi 1 leaves w unchanged. */
    public Tensor truncate(Tensor w, double psi) {
        Tensor avg = buffer("w_avg");
        requireSize(w, w.dim() - 1, avg.size(0), "features", "(*, " + avg.size(0) + ")");
        return psi == 1 ? w : avg.add(w.sub(avg).mul(psi));
    }
}
