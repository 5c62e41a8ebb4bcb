package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.InterpolationMode;

/** Resizes [N, C, H, W] images to a size or by a scale factor, nearest, bilinear or bicubic (see {@link F#interpolate}). */
public class Upsample extends Module {
    private final int[] size;
    private final double[] scaleFactor;
    private final InterpolationMode mode;
    private final boolean alignCorners;

    private Upsample(int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        this.size = size;
        this.scaleFactor = scaleFactor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    /** Scales height and width by {@code factor}. */
    public static Upsample scale(double factor, InterpolationMode mode, boolean alignCorners) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("Upsample: scale_factor must be positive and finite, got " + factor);
        }
        return new Upsample(null, new double[] {factor}, mode, alignCorners);
    }

    /** Resizes to {@code height x width}. */
    public static Upsample size(int height, int width, InterpolationMode mode, boolean alignCorners) {
        return new Upsample(Layers.positive("Upsample", "size", new int[] {height, width}), null, mode, alignCorners);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, "(N, C, H, W)", 4);
        return size != null ? F.interpolate(input, size, mode, alignCorners) : F.interpolate(input, scaleFactor, mode, alignCorners);
    }

    @Override
    protected String extraRepr() {
        String what = size != null ? "size=" + Layers.tuple(size) : "scale_factor=" + scaleFactor[0];
        return what + ", mode='" + mode.name().toLowerCase() + "'" + (alignCorners ? ", align_corners=true" : "");
    }
}
