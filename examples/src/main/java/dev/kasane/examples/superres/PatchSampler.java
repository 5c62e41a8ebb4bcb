package dev.kasane.examples.superres;

import dev.kasane.autograd.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random training patches of the luma channel: a {@code patch x patch} window of a low-resolution image at a uniform
 * position of a uniformly chosen image, the matching {@code scale}-times larger windows of the original and of the
 * bicubic upscaling, all turned by the same one of the 8 flips and rotations. The input is the low-resolution window
 * (or the bicubic one, for SRCNN) minus {@link SrMethod#INPUT_OFFSET}; the target is the residual, original minus
 * bicubic.
 */
final class PatchSampler {
    /** One batch: the network input (low-resolution or upscaled) and the residual target, {@code [B, 1, H, W]}. */
    record Batch(Tensor input, Tensor residual) {
    }

    private final List<Planes> images;
    private final int scale;
    private final int patch;
    private final boolean upscaledInput;

    /** An image's luma planes on the host: low resolution {@code h x w}, original and bicubic {@code sh x sw}. */
    private record Planes(float[] lr, float[] hr, float[] bicubic, int h, int w) {
    }

    /**
     * @param images the training images at one scale
     * @param patch the low-resolution patch size (the target is {@code scale} times larger)
     * @param upscaledInput whether the input is the bicubic upscaling (SRCNN) rather than the low-resolution image
     * @throws IllegalArgumentException if an image is smaller than a patch
     */
    PatchSampler(List<ScaledImage> images, int patch, boolean upscaledInput) {
        this.scale = images.get(0).scale();
        this.patch = patch;
        this.upscaledInput = upscaledInput;
        this.images = images.stream().map(im -> {
            int h = im.lr().size(1);
            int w = im.lr().size(2);
            if (h < patch || w < patch) {
                throw new IllegalArgumentException("superres: " + im.name() + " at x" + scale + " is " + w + "x" + h
                        + " pixels, smaller than a " + patch + "-pixel patch");
            }
            return new Planes(im.lrY().contiguous().toFloatArray(), im.hrY().contiguous().toFloatArray(),
                    im.bicubicY().contiguous().toFloatArray(), h, w);
        }).toList();
    }

    /** {@code batchSize} random patches drawn from {@code random}. */
    Batch next(int batchSize, SplittableRandom random) {
        int big = patch * scale;
        int in = upscaledInput ? big : patch;
        float[] input = new float[batchSize * in * in];
        float[] target = new float[batchSize * big * big];
        float[] bicubic = new float[big * big];
        for (int b = 0; b < batchSize; b++) {
            Planes p = images.get(random.nextInt(images.size()));
            int y = random.nextInt(p.h() - patch + 1);
            int x = random.nextInt(p.w() - patch + 1);
            int turn = random.nextInt(8);
            if (upscaledInput) {
                copy(p.bicubic(), p.w() * scale, y * scale, x * scale, big, turn, input, b * in * in);
            } else {
                copy(p.lr(), p.w(), y, x, patch, turn, input, b * in * in);
            }
            copy(p.hr(), p.w() * scale, y * scale, x * scale, big, turn, target, b * big * big);
            copy(p.bicubic(), p.w() * scale, y * scale, x * scale, big, turn, bicubic, 0);
            for (int i = 0; i < big * big; i++) {
                target[b * big * big + i] -= bicubic[i];
            }
        }
        for (int i = 0; i < input.length; i++) {
            input[i] -= SrMethod.INPUT_OFFSET;
        }
        return new Batch(Tensor.of(input, batchSize, 1, in, in), Tensor.of(target, batchSize, 1, big, big));
    }

    /**
     * Copies the {@code n x n} window at {@code (y0, x0)} of a plane {@code width} wide into {@code dst}, turned by
     * {@code turn}: bit 0 flips left-right, bit 1 flips top-bottom, bit 2 transposes.
     */
    static void copy(float[] src, int width, int y0, int x0, int n, int turn, float[] dst, int offset) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int r = (turn & 4) != 0 ? j : i;
                int c = (turn & 4) != 0 ? i : j;
                if ((turn & 1) != 0) {
                    c = n - 1 - c;
                }
                if ((turn & 2) != 0) {
                    r = n - 1 - r;
                }
                dst[offset + i * n + j] = src[(y0 + r) * width + x0 + c];
            }
        }
    }
}
