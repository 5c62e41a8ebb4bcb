package dev.kasane.nn;

import dev.kasane.nn.functional.Padding;
import dev.kasane.tensor.PadMode;

/**
 * torchvision's {@code ops.Conv2dNormActivation}: a {@link Sequential} of a bias-free convolution padded to keep
 * the size at stride 1 ({@code (kernel - 1) / 2}), a {@link BatchNorm2d} and, unless it is null, an activation.
 * State-dict keys {@code 0.weight} (the convolution) and {@code 1.*} (the batch norm), as torchvision's.
 *
 * <pre>{@code
 * var stem = new Conv2dNormActivation(3, 32, 3, 2, 1, new ReLU6());   // MobileNetV2's first layer
 * }</pre>
 */
public class Conv2dNormActivation extends Sequential {
    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernelSize square kernel size
     * @param stride stride
     * @param groups convolution groups ({@code inChannels} for a depthwise convolution)
     * @param activation the activation after the batch norm, or null for none
     * @throws IllegalArgumentException if the convolution's arguments are invalid
     */
    public Conv2dNormActivation(int inChannels, int outChannels, int kernelSize, int stride, int groups, Module activation) {
        add(new Conv2d(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                Padding.of((kernelSize - 1) / 2), new int[] {1, 1}, groups, false,
                PadMode.CONSTANT));
        add(new BatchNorm2d(outChannels));
        if (activation != null) {
            add(activation);
        }
    }
}
