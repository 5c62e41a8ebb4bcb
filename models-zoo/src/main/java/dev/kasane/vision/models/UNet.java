package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.ConvTranspose2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import java.util.List;

/**
 * U-Net (Ronneberger et al. 2015) of depth 3 and base width {@code w}, as {@code reference_models.UNet}: double
 * 3x3 conv-BN-ReLU blocks ({@code enc1..3}, {@code bottleneck}, {@code dec3..1}, each a {@code Sequential} keyed
 * {@code .0, .1, .3, .4}), 2x2 max-pool down, 2x2 stride-2 transposed convolutions up ({@code up3..1}), skip
 * connections concatenated after the upsampled tensor, and a 1x1 convolution {@code head}. Height and width must be
 * multiples of 8.
 *
 * <pre>{@code
 * var model = new UNet(1, 1, 16);
 * Tensor logits = model.forward(images);   // [N, 1, 64, 64] -> [N, 1, 64, 64] mask logits
 * }</pre>
 */
public final class UNet extends Module {
    private final int inChannels;
    private final Sequential enc1;
    private final Sequential enc2;
    private final Sequential enc3;
    private final Sequential bottleneck;
    private final ConvTranspose2d up3;
    private final Sequential dec3;
    private final ConvTranspose2d up2;
    private final Sequential dec2;
    private final ConvTranspose2d up1;
    private final Sequential dec1;
    private final Conv2d head;

    /**
     * A U-Net.
     *
     * @param inChannels channels of the input image
     * @param outChannels channels of the output map (classes, or 1 for a binary mask)
     * @param width channels of the first block; the bottleneck has {@code 8 * width}
     * @throws IllegalArgumentException if a count is not positive
     */
    public UNet(int inChannels, int outChannels, int width) {
        if (inChannels < 1 || outChannels < 1 || width < 1) {
            throw new IllegalArgumentException("UNet: channels and width must be >= 1, got in " + inChannels + ", out "
                    + outChannels + ", width " + width);
        }
        this.inChannels = inChannels;
        int w = width;
        enc1 = registerModule("enc1", doubleConv(inChannels, w));
        enc2 = registerModule("enc2", doubleConv(w, 2 * w));
        enc3 = registerModule("enc3", doubleConv(2 * w, 4 * w));
        bottleneck = registerModule("bottleneck", doubleConv(4 * w, 8 * w));
        up3 = registerModule("up3", new ConvTranspose2d(8 * w, 4 * w, 2, 2, 0));
        dec3 = registerModule("dec3", doubleConv(8 * w, 4 * w));
        up2 = registerModule("up2", new ConvTranspose2d(4 * w, 2 * w, 2, 2, 0));
        dec2 = registerModule("dec2", doubleConv(4 * w, 2 * w));
        up1 = registerModule("up1", new ConvTranspose2d(2 * w, w, 2, 2, 0));
        dec1 = registerModule("dec1", doubleConv(2 * w, w));
        head = registerModule("head", new Conv2d(w, outChannels, 1));
    }

    private static Sequential doubleConv(int a, int b) {
        return new Sequential(new Conv2d(a, b, 3, 1, 1), new BatchNorm2d(b), new ReLU(),
                new Conv2d(b, b, 3, 1, 1), new BatchNorm2d(b), new ReLU());
    }

    /**
     * The output map.
     *
     * @param x {@code [N, inChannels, H, W]} with H and W multiples of 8
     * @return {@code [N, outChannels, H, W]}
     */
    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, "(N, C, H, W)", 4);
        requireSize(x, 1, inChannels, "channels", "(N, C, H, W)");
        if (x.size(2) % 8 != 0 || x.size(3) % 8 != 0) {
            throw error("height and width must be multiples of 8, got " + java.util.Arrays.toString(x.shape()));
        }
        Tensor e1 = enc1.forward(x);
        Tensor e2 = enc2.forward(F.maxPool2d(e1, 2));
        Tensor e3 = enc3.forward(F.maxPool2d(e2, 2));
        Tensor m = bottleneck.forward(F.maxPool2d(e3, 2));
        Tensor d3 = dec3.forward(Tensor.cat(List.of(up3.forward(m), e3), 1));
        Tensor d2 = dec2.forward(Tensor.cat(List.of(up2.forward(d3), e2), 1));
        Tensor d1 = dec1.forward(Tensor.cat(List.of(up1.forward(d2), e1), 1));
        return head.forward(d1);
    }
}
