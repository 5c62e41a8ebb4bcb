package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;

/**
 * StyleGAN's noise input: {@code x + weight[c] * noise}, one noise map [N, 1, H, W] shared by all channels, scaled by
 * a learned strength per channel ({@code weight} [C], zeros at first).
 */
public class NoiseInjection extends Module {
    private final int channels;

    /** Strengths for {@code channels} channels. */
    public NoiseInjection(int channels) {
        this.channels = Layers.positive("NoiseInjection", "channels", channels);
        registerParameter("weight", Tensor.zeros(Layers.floatType(), Layers.device(), channels));
    }

    /** With fresh N(0, 1) noise from the global {@link Generator}. */
    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        return forward(input, Tensor.normal(Generator.global(), 0, 1, input.dtype(), input.device(), input.size(0), 1,
                input.size(2), input.size(3)));
    }

    /**
     * With the given noise.
     *
     * @param noise [N, 1, H, W] (or anything that broadcasts to the input)
     */
    public Tensor forward(Tensor input, Tensor noise) {
        checkInput(input);
        return input.add(param("weight").view(1, channels, 1, 1).mul(noise));
    }

    private void checkInput(Tensor input) {
        String layout = "(N, " + channels + ", H, W)";
        requireRank(input, layout, 4);
        requireSize(input, 1, channels, "channels", layout);
    }

    @Override
    protected String extraRepr() {
        return Integer.toString(channels);
    }
}
