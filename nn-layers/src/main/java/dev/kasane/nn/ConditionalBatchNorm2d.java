package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/**
 * Class-conditional batch normalization (de Vries et al. 2017; BigGAN's {@code ccbn}, Brock et al. 2019):
 * {@code bn(x) * (1 + gain(c)) + bias(c)}, where {@code bn} is a {@link BatchNorm2d} without affine parameters
 * (child {@code bn}) and the per-sample gains and biases [N, C] come from the condition {@code c}:
 *
 * <ul>
 * <li>{@link #ofClasses}: class indices [N] through two {@link Embedding} tables [classes, C] ({@code gain},
 *     {@code bias}), both initialised to zero so that the layer starts as plain batch norm;
 * <li>{@link #ofVector}: a condition vector [N, D] (BigGAN: a shared class embedding concatenated with a chunk of the
 *     latent) through two {@link Linear} maps D to C without bias ({@code gain}, {@code bias}), PyTorch's default
 *     initialisation.
 * </ul>
 *
 * <p>State-dict keys: {@code bn.running_mean}, {@code bn.running_var}, {@code bn.num_batches_tracked},
 * {@code gain.weight}, {@code bias.weight}. Call {@link #forward(Tensor, Tensor)}; the one-argument form has no
 * condition and throws.
 */
public class ConditionalBatchNorm2d extends Module {
    private final BatchNorm2d bn;
    private final WeightLayer gain;
    private final WeightLayer bias;

    private ConditionalBatchNorm2d(int numFeatures, WeightLayer gain, WeightLayer bias) {
        this.bn = registerModule("bn", new BatchNorm2d(numFeatures, 1e-5, 0.1, false, true));
        this.gain = registerModule("gain", gain);
        this.bias = registerModule("bias", bias);
    }

    /** Whether the condition is class indices (the gains and biases are {@link Embedding} tables). */
    private boolean classes() {
        return gain instanceof Embedding;
    }

    /** Gains and biases looked up per class from zero-initialised tables [numClasses, numFeatures]. */
    public static ConditionalBatchNorm2d ofClasses(int numFeatures, int numClasses) {
        Layers.positive("ConditionalBatchNorm2d", "num_features", numFeatures);
        Layers.positive("ConditionalBatchNorm2d", "num_classes", numClasses);
        Embedding g = new Embedding(numClasses, numFeatures);
        Embedding b = new Embedding(numClasses, numFeatures);
        Init.zeros(g.weight());
        Init.zeros(b.weight());
        return new ConditionalBatchNorm2d(numFeatures, g, b);
    }

    /** Gains and biases as linear maps (without bias) of a condition vector of {@code conditionSize} features. */
    public static ConditionalBatchNorm2d ofVector(int numFeatures, int conditionSize) {
        Layers.positive("ConditionalBatchNorm2d", "num_features", numFeatures);
        Layers.positive("ConditionalBatchNorm2d", "condition_size", conditionSize);
        return new ConditionalBatchNorm2d(numFeatures, new Linear(conditionSize, numFeatures, false),
                new Linear(conditionSize, numFeatures, false));
    }

    /** The gain layer (an {@link Embedding} or a {@link Linear}), e.g. to apply {@link SpectralNorm} to it. */
    public WeightLayer gain() {
        return gain;
    }

    /** The bias layer (an {@link Embedding} or a {@link Linear}). */
    public WeightLayer bias() {
        return bias;
    }

    /** Always throws: the layer needs its condition, see {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw error("needs a condition: call forward(input, condition) with "
                + (classes() ? "class indices [N]" : "a condition vector [N, D]"));
    }

    /**
     * Normalises {@code input} [N, C, H, W] and applies the gains and biases of {@code condition}: class indices [N]
     * (integer) for {@link #ofClasses}, a vector [N, D] for {@link #ofVector}.
     *
     * @throws IllegalArgumentException if the condition does not fit (kind, batch size, features, class range)
     */
    public Tensor forward(Tensor input, Tensor condition) {
        int numFeatures = bn.numFeatures();
        requireRank(input, "(N, " + numFeatures + ", H, W)", 4);
        int n = input.size(0);
        boolean indices = !condition.dtype().isFloating();
        if (classes() != indices || condition.dim() != (classes() ? 1 : 2) || condition.size(0) != n) {
            throw error("expected " + (classes() ? "integer class indices [" + n + "]" : "a floating condition vector [" + n + ", D]")
                    + " for input " + java.util.Arrays.toString(input.shape()) + ", got " + condition.describe());
        }
        Tensor g = gain.forward(condition).add(1).reshape(n, numFeatures, 1, 1);
        Tensor b = bias.forward(condition).reshape(n, numFeatures, 1, 1);
        return bn.forward(input).mul(g).add(b);
    }

    @Override
    protected String extraRepr() {
        return bn.numFeatures() + ", condition=" + (classes() ? "classes" : "vector");
    }
}
