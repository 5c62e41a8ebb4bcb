package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * StyleGAN2's modulated convolution ({@link F#modulatedConv2d}): the styles {@code modulation(w)} (an
 * {@link EqualLinear} from the latent w to one scale per input channel, bias initialised to 1) scale
 * {@code weight} [out, in, k, k] (N(0, 1), used as {@code weight / sqrt(in k k)}), optionally demodulated, and the
 * result is applied as one grouped convolution, stride 1, padding k/2 (odd k). No bias (the synthesis layer adds
 * it after the noise). It has two inputs: call {@link #forward(Tensor, Tensor)}.
 */
public class ModulatedConv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final boolean demodulate;
    private final EqualLinear modulation;

    /**
     * @param kernel odd kernel size
     * @param styleDim the latent w's size
     * @param demodulate whether to demodulate (true in the synthesis convolutions, false in toRGB)
     */
    public ModulatedConv2d(int inChannels, int outChannels, int kernel, int styleDim, boolean demodulate) {
        this.inChannels = Layers.positive("ModulatedConv2d", "in_channels", inChannels);
        this.outChannels = Layers.positive("ModulatedConv2d", "out_channels", outChannels);
        this.kernel = Layers.positive("ModulatedConv2d", "kernel_size", kernel);
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("ModulatedConv2d: kernel_size must be odd, got " + kernel);
        }
        this.demodulate = demodulate;
        Init.normal(registerParameter("weight",
                Tensor.zeros(Layers.floatType(), Layers.device(), outChannels, inChannels, kernel, kernel)), 0, 1);
        modulation = registerModule("modulation", new EqualLinear(styleDim, inChannels, true, 1, 1));
    }

    /**
     * Not defined for one input: the layer needs the latent w.
     *
     * @throws IllegalArgumentException always, naming {@link #forward(Tensor, Tensor)}
     */
    @Override
    public Tensor forward(Tensor input) {
        throw error("needs the latent w as well: call forward(x, w)");
    }

    /**
     * The convolution of {@code x} [N, in, H, W] modulated by the latent {@code w} [N, styleDim].
     *
     * @return [N, out, H, W]
     */
    public Tensor forward(Tensor x, Tensor w) {
        String layout = "(N, " + inChannels + ", H, W)";
        requireRank(x, layout, 4);
        requireSize(x, 1, inChannels, "channels", layout);
        Tensor weight = param("weight").mul(1 / Math.sqrt((double) inChannels * kernel * kernel));
        return F.modulatedConv2d(x, weight, modulation.forward(w), demodulate);
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + kernel + ", demodulate=" + demodulate;
    }
}
