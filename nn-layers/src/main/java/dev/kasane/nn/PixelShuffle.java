package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Rearranges [N, C r^2, H, W] to [N, C, H r, W r] (sub-pixel convolution upsampling). */
public class PixelShuffle extends FunctionLayer {
    /** With upscale factor {@code r}. */
    public PixelShuffle(int upscaleFactor) {
        super(x -> F.pixelShuffle(x, upscaleFactor),
                "upscale_factor=" + Layers.positive("PixelShuffle", "upscale_factor", upscaleFactor),
                "(N, C * " + upscaleFactor * upscaleFactor + ", H, W)", 4);
    }
}
