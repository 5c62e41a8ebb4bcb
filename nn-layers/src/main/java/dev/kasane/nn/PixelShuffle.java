package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** Rearranges [N, C r^2, H, W] to [N, C, H r, W r] (sub-pixel convolution upsampling). */
public class PixelShuffle extends Module {
    private final int upscaleFactor;

    /** With upscale factor {@code r}. */
    public PixelShuffle(int upscaleFactor) {
        this.upscaleFactor = upscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, "(N, C * " + upscaleFactor * upscaleFactor + ", H, W)", 4);
        return F.pixelShuffle(input, upscaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "upscale_factor=" + upscaleFactor;
    }
}
