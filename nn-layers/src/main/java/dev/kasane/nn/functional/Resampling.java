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
    static Tensor interpolate(Tensor input, int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        String op = "interpolate";
        if (input.dim() != 4) {
            throw new IllegalArgumentException(op + ": input must be 4-D (N, C, H, W), got " + Arrays.toString(input.shape()));
        }
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException(op + ": give exactly one of size and scaleFactor");
        }
        if (alignCorners && mode == InterpolationMode.NEAREST) {
            throw new IllegalArgumentException(op + ": alignCorners applies only to bilinear interpolation");
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
                        + Arrays.toString(input.shape()));
            }
            if (out == in && size != null) {
                continue;
            }
            x = mode == InterpolationMode.NEAREST ? nearestAxis(x, dim, in, out, scale) : linearAxis(x, dim, in, out, scale, alignCorners);
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

    private static Tensor linearAxis(Tensor x, int dim, int in, int out, double scale, boolean alignCorners) {
        long[] i0 = new long[out];
        long[] i1 = new long[out];
        double[] w1 = new double[out];
        double s = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : scale;
        for (int i = 0; i < out; i++) {
            double src = alignCorners ? s * i : Math.max(s * (i + 0.5) - 0.5, 0);
            int lo = (int) src;
            i0[i] = lo;
            i1[i] = lo < in - 1 ? lo + 1 : lo;
            w1[i] = src - lo;
        }
        int[] wshape = dim == 2 ? new int[] {out, 1} : new int[] {out};
        Tensor b = Function.tensor(NDArray.of(w1, wshape).toType(x.dtype()).to(x.device()));
        Tensor a = b.rsub(1);
        return x.indexSelect(dim, indexTensor(i0, x)).mul(a).add(x.indexSelect(dim, indexTensor(i1, x)).mul(b));
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
