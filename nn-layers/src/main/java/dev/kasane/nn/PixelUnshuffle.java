package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Rearranges [N, C, H r, W r] to [N, C r^2, H, W] (the inverse of {@link PixelShuffle}). */
public class PixelUnshuffle extends FunctionLayer {
    /** With downscale factor {@code r}. */
    public PixelUnshuffle(int downscaleFactor) {
        super(x -> F.pixelUnshuffle(x, downscaleFactor),
                "downscale_factor=" + Layers.positive("PixelUnshuffle", "downscale_factor", downscaleFactor), "(N, C, H, W)", 4);
    }
}
