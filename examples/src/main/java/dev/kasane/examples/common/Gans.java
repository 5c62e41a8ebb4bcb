package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.optim.Optimizer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/** What the GAN examples (dcgan, cgan, stylegan, cyclegan) share: the generator step, the result of a run, file names. */
public final class Gans {
    private Gans() {
    }

    /**
     * What one run of a GAN example did.
     *
     * @param epochsRun epochs trained by this call (not counting those before a resume)
     * @param history per-epoch means from epoch 1 (including those before a resume)
     * @param checkpoint the checkpoint file
     * @param lastGrid the last sample grid written
     * @param fidFmnist FID-FMNIST at the end, NaN with {@code --fid-samples 0}
     */
    public record Result(int epochsRun, History history, Path checkpoint, Path lastGrid, double fidFmnist) {
    }

    /** The samples image of the epoch that ends {@code history}: {@code <out>/samples-epochNNN.png}. */
    public static Path samplesFile(Path out, History history) {
        return out.resolve(String.format(Locale.ROOT, "samples-epoch%03d.png", (int) history.last("epoch")));
    }

    /**
     * One generator step: zeroes the generator's gradients, freezes the discriminator {@code d}, back-propagates the
     * loss that {@code loss} computes (through D into the generator), takes a step of {@code optG} and unfreezes D
     * (also when the loss fails).
     *
     * @return the loss
     */
    public static Tensor generatorStep(Module d, Optimizer<?> optG, Supplier<Tensor> loss) {
        optG.zeroGrad();
        d.requiresGrad(false);
        try {
            Tensor l = loss.get();
            l.backward();
            optG.step();
            return l;
        } finally {
            d.requiresGrad(true);
        }
    }
}
