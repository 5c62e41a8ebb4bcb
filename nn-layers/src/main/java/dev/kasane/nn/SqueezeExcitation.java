package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Objects;

/**
 * Squeeze-and-excitation (Hu et al. 2018), as torchvision's {@code ops.SqueezeExcitation}: each channel of the input
 * is scaled by {@code scaleActivation(fc2(activation(fc1(avgpool(x)))))}, where {@code avgpool} averages each
 * channel to one value and {@code fc1} ({@code C -> squeeze}) and {@code fc2} ({@code squeeze -> C}) are 1x1
 * convolutions with bias. State-dict keys {@code fc1.weight, fc1.bias, fc2.weight, fc2.bias}.
 *
 * <pre>{@code
 * var se = new SqueezeExcitation(96, 4, new SiLU(), new Sigmoid());   // EfficientNet's
 * Tensor y = se.forward(x);                                           // [N, 96, H, W] -> same shape
 * }</pre>
 */
public class SqueezeExcitation extends Module {
    private final AdaptiveAvgPool2d avgpool;
    private final Conv2d fc1;
    private final Conv2d fc2;
    private final Module activation;
    private final Module scaleActivation;
    private final int channels;

    /** torchvision's default: ReLU between the two convolutions, Sigmoid for the scale. */
    public SqueezeExcitation(int inputChannels, int squeezeChannels) {
        this(inputChannels, squeezeChannels, new ReLU(), new Sigmoid());
    }

    /**
     * @param inputChannels channels of the input and of the scale
     * @param squeezeChannels channels between the two convolutions
     * @param activation the activation between them (torchvision's {@code delta})
     * @param scaleActivation the activation of the scale (torchvision's {@code sigma})
     * @throws IllegalArgumentException if a channel count is not positive
     */
    public SqueezeExcitation(int inputChannels, int squeezeChannels, Module activation, Module scaleActivation) {
        if (inputChannels < 1 || squeezeChannels < 1) {
            throw new IllegalArgumentException("SqueezeExcitation: channel counts must be >= 1, got input " + inputChannels
                    + ", squeeze " + squeezeChannels);
        }
        this.channels = inputChannels;
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        fc1 = registerModule("fc1", new Conv2d(inputChannels, squeezeChannels, 1));
        fc2 = registerModule("fc2", new Conv2d(squeezeChannels, inputChannels, 1));
        this.activation = registerModule("activation", Objects.requireNonNull(activation, "SqueezeExcitation: activation"));
        this.scaleActivation = registerModule("scale_activation",
                Objects.requireNonNull(scaleActivation, "SqueezeExcitation: scaleActivation"));
    }

    /**
     * The input scaled per channel.
     *
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     */
    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
        requireSize(input, input.dim() - 3, channels, "channels", Layers.IMAGE_LAYOUT);
        if (input.dim() == 3) {
            return forward(input.unsqueeze(0)).squeeze(0);
        }
        Tensor scale = scaleActivation.forward(fc2.forward(activation.forward(fc1.forward(avgpool.forward(input)))));
        return input.mul(scale);
    }
}
