package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/**
 * StyleGAN's minibatch standard deviation ({@link F#minibatchStdDev}): appends to [N, C, H, W] {@code channels} maps
 * holding the standard deviation of the features over groups of {@code min(groupSize, N)} samples, so the
 * discriminator can see a batch's lack of variety. StyleGAN2 uses group size 4 and one channel.
 */
public class MinibatchStdDev extends FunctionLayer {
    /**
     * @param groupSize samples per group (the batch must be a multiple of {@code min(groupSize, N)})
     * @param channels statistics appended (C must be a multiple)
     */
    public MinibatchStdDev(int groupSize, int channels) {
        super(x -> F.minibatchStdDev(x, groupSize, channels), "group_size=" + Layers.positive("MinibatchStdDev", "group_size",
                groupSize) + ", num_channels=" + Layers.positive("MinibatchStdDev", "num_channels", channels),
                "(N, C, H, W)", 4);
    }
}
