package dev.kasane.nn.functional;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import java.util.Arrays;

/** Interpolation and pixel (un)shuffling of [N, C, H, W] images, built from index selection (differentiable). */
final class Resampling {
    private Resampling() {
    }

    /**
     * Resizes the last two dims to {@code size} or by {@code scaleFactor} (exactly one of them non-null). As in
     * PyTorch, a given scale factor (not the rounded size ratio) positions the samples.
     */
    static Tensor interpolate(Tensor input, int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners,
                              boolean antialias) {
        String op = "interpolate";
        if (input.dim() != 4) {
            throw new IllegalArgumentException(op + ": input must be 4-D (N, C, H, W), got " + input.describe());
        }
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException(op + ": give exactly one of size and scaleFactor");
        }
        if (mode == InterpolationMode.NEAREST && (alignCorners || antialias)) {
            throw new IllegalArgumentException(op + ": alignCorners and antialias apply only to bilinear and bicubic "
                    + "interpolation, got mode NEAREST for " + input.describe());
        }
        if (mode != InterpolationMode.NEAREST && !input.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": " + mode + " input must be floating point, got " + input.describe());
        }
        Tensor x = input;
        for (int axis = 0; axis < 2; axis++) {
            int dim = 2 + axis;
            int in = input.size(dim);
            int out;
            double scale;
            if (size != null) {
                out = size[size.length == 1 ? 0 : axis];
                scale = (double) in / out;
            } else {
                double f = scaleFactor[scaleFactor.length == 1 ? 0 : axis];
                if (!(f > 0)) {
                    throw new IllegalArgumentException(op + ": scale factors must be positive, got " + Arrays.toString(scaleFactor));
                }
                out = (int) Math.floor(in * f);
                scale = 1.0 / f;
            }
            if (out < 1) {
                throw new IllegalArgumentException(op + ": output size must be positive, got " + out + " for input "
                        + input.describe());
            }
            if (out == in && size != null) {
                continue;
            }
            x = switch (mode) {
                case NEAREST -> nearestAxis(x, dim, in, out, scale);
                case BILINEAR, BICUBIC -> {
                    boolean cubic = mode == InterpolationMode.BICUBIC;
                    // PyTorch's antialiased kernels position samples with scale (in-1)/(out-1) under alignCorners
                    double s = antialias && alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : scale;
                    yield resampleAxis(x, dim, antialias ? ResampleTaps.antialiased(in, out, s, cubic)
                            : ResampleTaps.interpolation(in, out, scale, alignCorners, cubic));
                }
            };
        }
        return x;
    }

    private static Tensor nearestAxis(Tensor x, int dim, int in, int out, double scale) {
        long[] idx = new long[out];
        float s = (float) scale;
        for (int i = 0; i < out; i++) {
            idx[i] = Math.min((long) Math.floor(i * s), in - 1);
        }
        return x.indexSelect(dim, indexTensor(idx, x));
    }

    /** One gather of every tap along {@code dim} (2 or 3 of [N, C, H, W]), weighted and summed over the taps. */
    private static Tensor resampleAxis(Tensor x, int dim, ResampleTaps taps) {
        int out = taps.index().length / taps.taps();
        int k = taps.taps();
        int[] shape = x.shape();
        Tensor gathered = x.indexSelect(dim, indexTensor(taps.index(), x));
        Tensor w = Function.tensor(NDArray.of(taps.weight(), dim == 2 ? new int[] {out, k, 1} : new int[] {out, k})
                .toType(x.dtype()).to(x.device()));
        if (dim == 2) {
            return gathered.reshape(shape[0], shape[1], out, k, shape[3]).mul(w).sum(3);
        }
        return gathered.reshape(shape[0], shape[1], shape[2], out, k).mul(w).sum(4);
    }

    private static Tensor indexTensor(long[] idx, Tensor like) {
        return Function.tensor(NDArray.of(idx, idx.length).to(like.device()));
    }

    /** [N, C r^2, H, W] to [N, C, H r, W r]. */
    static Tensor pixelShuffle(Tensor x, int r) {
        String op = "pixelShuffle";
        if (x.dim() != 4 || r < 1 || x.size(1) % (r * r) != 0) {
            throw new IllegalArgumentException(op + ": input must be 4-D (N, C * " + r + "^2, H, W), got "
                    + Arrays.toString(x.shape()));
        }
        int n = x.size(0);
        int c = x.size(1) / (r * r);
        int h = x.size(2);
        int w = x.size(3);
        return x.reshape(n, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
    }

    /** [N, C, H r, W r] to [N, C r^2, H, W]. */
    static Tensor pixelUnshuffle(Tensor x, int r) {
        String op = "pixelUnshuffle";
        if (x.dim() != 4 || r < 1 || x.size(2) % r != 0 || x.size(3) % r != 0) {
            throw new IllegalArgumentException(op + ": input must be 4-D (N, C, H, W) with H and W divisible by " + r + ", got "
                    + Arrays.toString(x.shape()));
        }
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2) / r;
        int w = x.size(3) / r;
        return x.reshape(n, c, h, r, w, r).permute(0, 1, 3, 5, 2, 4).reshape(n, c * r * r, h, w);
    }
}
