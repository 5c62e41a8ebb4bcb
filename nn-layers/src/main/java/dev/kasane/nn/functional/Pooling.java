package dev.kasane.nn.functional;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Max, average and adaptive pooling over the last two dims of [N, C, H, W] (or unbatched [C, H, W]). */
final class Pooling {
    private Pooling() {
    }

    /** A pooling window's (height, width) pairs, checked as PyTorch does; the stride defaults to the kernel. */
    private record Window(int[] kernel, int[] stride, int[] padding) {
        static Window of(String op, int[] kernel, int[] stride, int[] padding) {
            int[] k = Shape2.pair(op, "kernel_size", kernel);
            int[] s = stride == null || stride.length == 0 ? k : Shape2.pair(op, "stride", stride);
            int[] p = Shape2.pair(op, "padding", padding);
            if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
                throw new IllegalArgumentException(op + ": padding " + Arrays.toString(p)
                        + " must be at most half the kernel size " + Arrays.toString(k));
            }
            return new Window(k, s, p);
        }

        /** The window's stride and padding with {@code dilation}, as a convolution spec. */
        Conv2dSpec spec(int[] dilation) {
            return new Conv2dSpec(stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], 1);
        }
    }

    static PoolResult maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "maxPool2d";
        boolean unbatched = checkInput(op, input);
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Window win = Window.of(op, kernel, stride, padding);
        int[] d = Shape2.pair(op, "dilation", dilation);
        MaxPool2dOp f = new MaxPool2dOp(win.kernel()[0], win.kernel()[1], win.spec(d), ceilMode);
        Tensor y = f.apply(x);
        Tensor idx = Function.tensor(f.indices());
        return unbatched ? new PoolResult(y.squeeze(0), idx.squeeze(0)) : new PoolResult(y, idx);
    }

    /**
     * {@link #maxPool2d}'s values alone. When the op recorded no graph (grad mode off, or an input that does not
     * require grad) nothing will read the indices, so their memory goes back to the backend at once instead of
     * waiting for the garbage collector (they take twice the bytes of F32 values).
     */
    static Tensor maxPool2dValues(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        PoolResult r = maxPool2d(input, kernel, stride, padding, dilation, ceilMode);
        if (!r.values().requiresGrad()) {
            Function.array(r.indices()).storage().releaseIntermediate();   // no graph node holds them
        }
        return r.values();
    }

    /**
     * Average pooling: window sums (a convolution with a kernel of ones over the planes) divided by the window
     * sizes, counted over the padded extent or only over input elements.
     */
    static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        String op = "avgPool2d";
        boolean unbatched = checkInput(op, input);
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Window win = Window.of(op, kernel, stride, padding);
        int[] k = win.kernel();
        int[] s = win.stride();
        int[] p = win.padding();
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        int oh = outSize(h, k[0], s[0], p[0], ceilMode);
        int ow = outSize(w, k[1], s[1], p[1], ceilMode);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(input.shape()) + " is too small for kernel "
                    + Arrays.toString(k));
        }
        Tensor y;
        if (p[0] == 0 && p[1] == 0 && s[0] == k[0] && s[1] == k[1] && oh * k[0] == h && ow * k[1] == w) {
            y = x.reshape(n, c, oh, k[0], ow, k[1]).mean(new int[] {3, 5}, false);
        } else {
            int extraH = Math.max(0, (oh - 1) * s[0] + k[0] - (h + 2 * p[0]));
            int extraW = Math.max(0, (ow - 1) * s[1] + k[1] - (w + 2 * p[1]));
            Conv2dSpec spec = new Conv2dSpec(s[0], s[1], 0, 0, 1, 1, 1);
            NDArray ones = NDArray.ones(x.dtype(), x.device(), 1, 1, k[0], k[1]);
            Tensor planes = x.reshape(n * c, 1, h, w).pad(p[1], p[1] + extraW, p[0], p[0] + extraH);
            Tensor sums = new ConvOps.Conv2d(spec).apply(planes, Function.tensor(ones));
            NDArray mask = countIncludePad
                    ? NDArray.ones(x.dtype(), x.device(), 1, 1, h + 2 * p[0], w + 2 * p[1]).pad(0, extraW, 0, extraH)
                    : NDArray.ones(x.dtype(), x.device(), 1, 1, h, w).pad(p[1], p[1] + extraW, p[0], p[0] + extraH);
            NDArray counts = mask.conv2d(ones, spec);
            y = sums.div(Function.tensor(counts)).view(n, c, oh, ow);
        }
        return unbatched ? y.squeeze(0) : y;
    }

    /** PyTorch's pooling output size, where with ceil mode the last window must start inside the input or left padding. */
    static int outSize(int in, int k, int s, int p, boolean ceil) {
        int span = in + 2 * p - k;
        int o = (ceil ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
        if (ceil && (o - 1) * s >= in + p) {
            o--;
        }
        return o;
    }

    /** Adaptive average pooling: cell i along an axis covers {@code [floor(i in / out), ceil((i + 1) in / out))}. */
    static Tensor adaptiveAvgPool2d(Tensor input, int oh, int ow) {
        return adaptive("adaptiveAvgPool2d", input, oh, ow, false);
    }

    /** Adaptive max pooling (cells as in {@link #adaptiveAvgPool2d}). */
    static Tensor adaptiveMaxPool2d(Tensor input, int oh, int ow) {
        return adaptive("adaptiveMaxPool2d", input, oh, ow, true);
    }

    private static Tensor adaptive(String op, Tensor input, int oh, int ow, boolean max) {
        checkInput(op, input);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": output size must be positive, got " + oh + " x " + ow);
        }
        int hd = input.dim() - 2;
        int wd = input.dim() - 1;
        int h = input.size(hd);
        int w = input.size(wd);
        if (oh == 1 && ow == 1 && !max) {
            return input.mean(new int[] {hd, wd}, true);
        }
        // Both reductions are separable: pool the rows of each cell, then its columns.
        return adaptiveAxis(adaptiveAxis(input, hd, h, oh, max), wd, w, ow, max);
    }

    private static Tensor adaptiveAxis(Tensor x, int dim, int in, int out, boolean max) {
        if (in == out) {
            return x;
        }
        if (in % out == 0) {
            int[] shape = x.shape();
            int[] split = new int[shape.length + 1];
            System.arraycopy(shape, 0, split, 0, dim);
            split[dim] = out;
            split[dim + 1] = in / out;
            System.arraycopy(shape, dim + 1, split, dim + 2, shape.length - dim - 1);
            Tensor r = x.reshape(split);
            return max ? r.amax(new int[] {dim + 1}, false) : r.mean(new int[] {dim + 1}, false);
        }
        List<Tensor> cells = new ArrayList<>(out);
        for (int i = 0; i < out; i++) {
            int start = (int) Math.floorDiv((long) i * in, out);
            int end = (int) -Math.floorDiv(-(long) (i + 1) * in, out);
            Tensor win = x.narrow(dim, start, end - start);
            cells.add(max ? win.amax(new int[] {dim}, true) : win.mean(new int[] {dim}, true));
        }
        return Tensor.cat(cells, dim);
    }

    private static boolean checkInput(String op, Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException(op + ": input must be 3-D (C, H, W) or 4-D (N, C, H, W), got "
                    + Arrays.toString(input.shape()));
        }
        if (!input.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": input must be F32 or F64, got " + input.dtype());
        }
        return input.dim() == 3;
    }
}
