package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** Rearranges [N, C, H r, W r] to [N, C r^2, H, W] (the inverse of {@link PixelShuffle}). */
public class PixelUnshuffle extends Module {
    private final int downscaleFactor;

    /** With downscale factor {@code r}. */
    public PixelUnshuffle(int downscaleFactor) {
        this.downscaleFactor = downscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, "(N, C, H, W)", 4);
        return F.pixelUnshuffle(input, downscaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "downscale_factor=" + downscaleFactor;
    }
}
