package dev.kasane.examples.cgan;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.ConditionalBatchNorm2d;
import dev.kasane.nn.ConvTranspose2d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;

/**
 * The class-conditional 28x28 generator: DCGAN's 28x28 layout with class-conditional batch norm (gains and biases
 * per class) in place of its batch norms: Linear(latent, 128*7*7) - reshape - cBN(128) - ReLU -
 * ConvTranspose(128, 64, 4, 2, 1) - cBN(64) - ReLU - ConvTranspose(64, 1, 4, 2, 1) - Tanh.
 */
public final class ConditionalGenerator extends Module {
    private final Linear fc;
    private final ConditionalBatchNorm2d bn1;
    private final ConvTranspose2d up1;
    private final ConditionalBatchNorm2d bn2;
    private final ConvTranspose2d up2;
    private final int latent;

    /** A generator of {@code latent}-dim noise for {@code classes} classes. */
    public ConditionalGenerator(int latent, int classes) {
        this.latent = latent;
        fc = registerModule("fc", new Linear(latent, 128 * 7 * 7));
        bn1 = registerModule("bn1", ConditionalBatchNorm2d.ofClasses(128, classes));
        up1 = registerModule("up1", new ConvTranspose2d(128, 64, 4, 2, 1));
        bn2 = registerModule("bn2", ConditionalBatchNorm2d.ofClasses(64, classes));
        up2 = registerModule("up2", new ConvTranspose2d(64, 1, 4, 2, 1));
    }

    /** Always throws: the generator needs labels, see {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor z) {
        throw error("needs class labels: call forward(z, labels)");
    }

    /** Images [N, 1, 28, 28] in [-1, 1] for noise [N, latent] and class indices [N]. */
    public Tensor forward(Tensor z, Tensor labels) {
        requireRank(z, "(N, " + latent + ")", 2);
        Tensor h = fc.forward(z).reshape(z.size(0), 128, 7, 7);
        h = bn1.forward(h, labels).relu();
        h = bn2.forward(up1.forward(h), labels).relu();
        return up2.forward(h).tanh();
    }
}
