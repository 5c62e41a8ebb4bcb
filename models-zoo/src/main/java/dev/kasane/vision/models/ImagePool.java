package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * CycleGAN's history of generated images (Shrivastava et al. 2017; pytorch-CycleGAN-and-pix2pix's
 * {@code ImagePool}): the discriminator is shown a mix of the newest fakes and older ones, which damps oscillation.
 * Until the pool holds {@code poolSize} images each queried image is stored and returned as is; after that, with
 * probability 1/2 an image is swapped with a uniformly chosen stored one (the stored one is returned and the new one
 * takes its place), otherwise it is returned as is. Images are stored detached, on their device. The random draws come
 * from the given {@link Generator}: {@code nextDouble() > 0.5} to swap, then {@code nextLong(poolSize)} for the slot.
 *
 * <pre>{@code
 * ImagePool pool = new ImagePool(50, new Generator(1));
 * Tensor fakeForD = pool.query(fakeB);   // [N, C, H, W] in, [N, C, H, W] out, detached
 * }</pre>
 */
public final class ImagePool {
    private final int poolSize;
    private final Generator random;
    private final List<Tensor> images = new ArrayList<>();

    /**
     * @param poolSize images kept (50 in CycleGAN); 0 returns every query unchanged
     * @param random the source of the swap decisions
     */
    public ImagePool(int poolSize, Generator random) {
        if (poolSize < 0) {
            throw new IllegalArgumentException("ImagePool: pool size must be >= 0, got " + poolSize);
        }
        this.poolSize = poolSize;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Images stored so far (at most the pool size). */
    public int size() {
        return images.size();
    }

    /**
     * A batch of the same shape as {@code batch} ([N, ...], N at least 1), detached, each image either the queried one or
     * one from the history (see the class comment); with pool size 0, {@code batch} itself.
     *
     * @throws IllegalArgumentException if {@code batch} has no batch dim, or its images' shape differs from the stored ones
     */
    public Tensor query(Tensor batch) {
        if (poolSize == 0) {
            return batch;
        }
        if (batch.dim() < 1 || batch.size(0) == 0) {
            throw new IllegalArgumentException("ImagePool.query: expected a non-empty batch [N, ...], got " + batch.describe());
        }
        if (!images.isEmpty() && !Arrays.equals(images.get(0).shape(), imageShape(batch))) {
            throw new IllegalArgumentException("ImagePool.query: images of shape " + Arrays.toString(imageShape(batch))
                    + " do not match the stored ones " + Arrays.toString(images.get(0).shape()) + " (batch " + batch.describe() + ")");
        }
        Tensor detached = batch.detach();
        List<Tensor> out = new ArrayList<>(batch.size(0));
        for (int i = 0; i < batch.size(0); i++) {
            Tensor image = detached.select(0, i).clone();
            if (images.size() < poolSize) {
                images.add(image);
                out.add(image);
            } else if (random.nextDouble() > 0.5) {
                int slot = (int) random.nextLong(poolSize);
                out.add(images.get(slot));
                images.set(slot, image);
            } else {
                out.add(image);
            }
        }
        return Tensor.stack(out, 0);
    }

    private static int[] imageShape(Tensor batch) {
        return Arrays.copyOfRange(batch.shape(), 1, batch.dim());
    }
}
