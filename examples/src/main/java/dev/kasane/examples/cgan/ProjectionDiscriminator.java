package dev.kasane.examples.cgan;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ProjectionDiscriminatorHead;
import dev.kasane.nn.SpectralNorm;

/**
 * The class-conditional 28x28 discriminator with spectral normalization on every layer (Miyato et al. 2018) and a
 * projection head (Miyato and Koyama 2018): SN-Conv(1, 64, 4, 2, 1) - LeakyReLU(0.1) - SN-Conv(64, 128, 4, 2, 1) -
 * LeakyReLU(0.1) - SN-Conv(128, 128, 3, 1, 1) - LeakyReLU(0.1) - global sum pooling - projection head (SN linear
 * plus the inner product with an SN class embedding). No batch norm: the logits of the samples stay independent.
 */
public final class ProjectionDiscriminator extends Module {
    private final Conv2d conv1 = registerModule("conv1", SpectralNorm.apply(new Conv2d(1, 64, 4, 2, 1)));
    private final Conv2d conv2 = registerModule("conv2", SpectralNorm.apply(new Conv2d(64, 128, 4, 2, 1)));
    private final Conv2d conv3 = registerModule("conv3", SpectralNorm.apply(new Conv2d(128, 128, 3, 1, 1)));
    private final ProjectionDiscriminatorHead head;

    /** A discriminator for {@code classes} classes. */
    public ProjectionDiscriminator(int classes) {
        head = registerModule("head", new ProjectionDiscriminatorHead(128, classes, true));
    }

    /** Always throws: the discriminator needs labels, see {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor images) {
        throw error("needs class labels: call forward(images, labels)");
    }

    /** The logits [N] of images [N, 1, 28, 28] for class indices [N]. */
    public Tensor forward(Tensor images, Tensor labels) {
        requireRank(images, "(N, 1, 28, 28)", 4);
        Tensor h = conv1.forward(images).leakyRelu(0.1);
        h = conv2.forward(h).leakyRelu(0.1);
        h = conv3.forward(h).leakyRelu(0.1);
        return head.forward(h.sum(new int[] {2, 3}, false), labels);
    }
}
