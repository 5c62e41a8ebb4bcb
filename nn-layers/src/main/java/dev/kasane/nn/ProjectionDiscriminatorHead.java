package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/**
 * The output layer of a projection discriminator (Miyato and Koyama 2018): for features {@code h} [N, F] and class
 * indices {@code y} [N], the logit {@code linear(h) + <embed(y), h>} [N], the unconditional score plus the inner
 * product of the features with a learned class embedding. Children {@code linear} ({@link Linear} F to 1) and
 * {@code embed} ({@link Embedding} [classes, F]); with spectral normalization both get {@link SpectralNorm}, as in
 * the paper's SN-GAN discriminators.
 */
public class ProjectionDiscriminatorHead extends Module {
    private final Linear linear;
    private final Embedding embed;
    private final int features;

    /**
     * A head for {@code features} features and {@code numClasses} classes.
     *
     * @param spectralNorm whether to spectrally normalise {@code linear} and {@code embed}
     */
    public ProjectionDiscriminatorHead(int features, int numClasses, boolean spectralNorm) {
        this.features = Layers.positive("ProjectionDiscriminatorHead", "features", features);
        Layers.positive("ProjectionDiscriminatorHead", "num_classes", numClasses);
        Linear l = new Linear(features, 1);
        Embedding e = new Embedding(numClasses, features);
        this.linear = registerModule("linear", spectralNorm ? SpectralNorm.apply(l) : l);
        this.embed = registerModule("embed", spectralNorm ? SpectralNorm.apply(e) : e);
    }

    /** Always throws: the head needs class labels, see {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw error("needs class labels: call forward(features, labels)");
    }

    /**
     * The logits [N] of features [N, F] for class indices [N].
     *
     * @throws IllegalArgumentException if the shapes do not fit or a label is out of range
     */
    public Tensor forward(Tensor h, Tensor labels) {
        requireRank(h, "(N, " + features + ")", 2);
        requireSize(h, 1, features, "features", "(N, " + features + ")");
        if (labels.dtype().isFloating() || labels.dim() != 1 || labels.size(0) != h.size(0)) {
            throw error("expected integer class indices [" + h.size(0) + "] for features " + java.util.Arrays.toString(h.shape())
                    + ", got " + labels.describe());
        }
        return linear.forward(h).squeeze(1).add(embed.forward(labels).mul(h).sum(1));
    }
}
