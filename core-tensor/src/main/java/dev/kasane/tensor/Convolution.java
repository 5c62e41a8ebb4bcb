package dev.kasane.tensor;

import dev.kasane.tensor.spi.Backend;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Convolution and max pooling: the entry points of {@link NDArray} (validate, allocate the output, run the backend's
 * kernel into it) and the default kernels of the corresponding {@link Backend} methods, composed from the SPI
 * primitives: im2col is a strided view copied to a contiguous buffer, the products are batched matmuls, col2im is a
 * sum of strided in-place additions. A backend may override the kernels with fused ones.
 */
public final class Convolution {
    /** Small read-only index ranges per device and length, so pooling uploads nothing per call. */
    private static final ConcurrentHashMap<String, NDArray> POSITIONS = new ConcurrentHashMap<>();

    private Convolution() {
    }

    /** Checks shapes, dtypes and devices of a convolution and returns {N, C, H, W, O, kh, kw}. */
    static int[] check(String op, NDArray input, NDArray weight, Conv2dSpec spec) {
        Checks.checkSameDevice(op, input, weight);
        Checks.requireComputable(op, input, weight);
        if (input.dim() != 4) {
            throw new IllegalArgumentException(op + ": input must be 4-D (N, C, H, W), got " + input.describe());
        }
        if (weight.dim() != 4) {
            throw new IllegalArgumentException(op + ": weight must be 4-D (O, C/groups, kH, kW), got " + weight.describe());
        }
        if (input.dtype() != weight.dtype() || !input.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": input and weight must both be F32 or both F64, got " + input.describe()
                    + " and " + weight.describe());
        }
        int g = spec.groups();
        int c = input.size(1);
        int o = weight.size(0);
        if (weight.size(1) * g != c || o % g != 0) {
            throw new IllegalArgumentException(op + ": weight " + weight.describe() + " with groups " + g
                    + " expects input with " + weight.size(1) * g + " channels and a multiple of " + g
                    + " output channels, got input " + input.describe());
        }
        int oh = spec.outHeight(input.size(2), weight.size(2));
        int ow = spec.outWidth(input.size(3), weight.size(3));
        if (oh > 0 && ow > 0) {
            Shapes.numel(op, new int[] {input.size(0), o, oh, ow});
        }
        return new int[] {input.size(0), c, input.size(2), input.size(3), o, weight.size(2), weight.size(3)};
    }

    // ------------------------------------------------------------------------------------------ entry points of NDArray

    /** {@link NDArray#conv2d}: validates, allocates the output and runs the backend's kernel into it. */
    static NDArray conv2d(NDArray input, NDArray weight, Conv2dSpec spec, boolean fixedWeight) {
        String op = "conv2d";
        int[] d = check(op, input, weight, spec);
        int oh = spec.outHeight(d[2], d[5]);
        int ow = spec.outWidth(d[3], d[6]);
        checkOutput(op, input, weight, spec, oh, ow);
        return run(input, weight, new int[] {d[0], d[4], oh, ow},
                out -> input.storage().backend().conv2d(input, weight, spec, fixedWeight, out));
    }

    /** {@link NDArray#conv2dInputGrad}: validates, allocates the [N, C, h, w] output and runs the backend's kernel. */
    static NDArray conv2dInputGrad(NDArray gradOut, NDArray weight, int h, int w, Conv2dSpec spec) {
        checkInputGrad(gradOut, weight, h, w, spec);
        return run(gradOut, weight, new int[] {gradOut.size(0), weight.size(1) * spec.groups(), h, w},
                out -> gradOut.storage().backend().conv2dInputGrad(gradOut, weight, spec, out));
    }

    /** {@link NDArray#conv2dWeightGrad}: validates, allocates the [O, C/groups, kh, kw] output and runs the kernel. */
    static NDArray conv2dWeightGrad(NDArray input, NDArray gradOut, int kh, int kw, Conv2dSpec spec) {
        checkWeightGrad(input, gradOut, kh, kw, spec);
        return run(input, gradOut, new int[] {gradOut.size(1), input.size(1) / spec.groups(), kh, kw},
                out -> input.storage().backend().conv2dWeightGrad(input, gradOut, spec, out));
    }

    /**
     * A new array of {@code shape} (the operands' dtype and device) computed by {@code kernel}, or zeros when an operand
     * is empty (a sum over nothing): backends see no empty operand.
     */
    private static NDArray run(NDArray a, NDArray b, int[] shape, java.util.function.Consumer<NDArray> kernel) {
        NDArray out = NDArray.empty(a.dtype(), a.device(), shape);
        if (out.numel() > 0 && (a.numel() == 0 || b.numel() == 0)) {
            out.fillUnchecked(0);
        } else if (out.numel() > 0) {
            kernel.accept(out);
        }
        return out;
    }

    /** {@link NDArray#maxPool2d}: validates, allocates values and indices and runs the backend's kernel. */
    static NDArray[] maxPool2d(NDArray input, int kh, int kw, Conv2dSpec spec, boolean ceilMode) {
        int[] d = checkMaxPool(input, kh, kw, spec, ceilMode);
        NDArray values = NDArray.empty(input.dtype(), input.device(), d[0], d[1], d[4], d[5]);
        NDArray indices = NDArray.empty(DType.I64, input.device(), d[0], d[1], d[4], d[5]);
        if (values.numel() > 0) {
            input.storage().backend().maxPool2d(input, kh, kw, spec, values, indices);
        }
        return new NDArray[] {values, indices};
    }

    // ------------------------------------------------------------------------------------------ composed kernels

    /**
     * The default {@link dev.kasane.tensor.spi.Backend#conv2d}: cross-correlation of {@code input} [N, C, H, W] with
     * {@code weight} [O, C/groups, kH, kW] into {@code dst} [N, O, OH, OW] (no bias), as im2col and one batched matmul
     * per (image, group) written straight into {@code dst}.
     */
    public static void conv2d(NDArray input, NDArray weight, Conv2dSpec spec, NDArray dst) {
        int n = dst.size(0), o = dst.size(1), oh = dst.size(2), ow = dst.size(3);
        int kh = weight.size(2), kw = weight.size(3);
        int g = spec.groups();
        int k = weight.size(1) * kh * kw;
        NDArray cols = im2col(input, kh, kw, spec, oh, ow, false).view(n * g, k, oh * ow);
        NDArray w3 = weight.reshape(1, g, o / g, k).expand(n, g, o / g, k).reshape(n * g, o / g, k);
        input.storage().backend().matmul(w3, cols, dst.view(n * g, o / g, oh * ow));
    }

    /**
     * The default {@link dev.kasane.tensor.spi.Backend#conv2dInputGrad}: the gradient of {@link #conv2d} with respect to
     * its input, for output gradient {@code gradOut} [N, O, OH, OW], into {@code dst} [N, C, H, W]. This is also the
     * transposed convolution: the products {@code W^T gradOut} added back window by window (col2im).
     */
    public static void conv2dInputGrad(NDArray gradOut, NDArray weight, Conv2dSpec spec, NDArray dst) {
        int g = spec.groups();
        int n = gradOut.size(0), o = weight.size(0), cg = weight.size(1), kh = weight.size(2), kw = weight.size(3);
        int oh = gradOut.size(2), ow = gradOut.size(3);
        int c = cg * g, h = dst.size(2), w = dst.size(3);
        int k = cg * kh * kw;
        int l = oh * ow;
        NDArray cols = weight.reshape(1, g, o / g, k).transpose(-1, -2).matmul(gradOut.reshape(n, g, o / g, l))
                .view(n, c, kh, kw, oh, ow);
        boolean padded = spec.padH() > 0 || spec.padW() > 0;
        NDArray target = padded ? NDArray.zeros(gradOut.dtype(), gradOut.device(), n, c, h + 2 * spec.padH(), w + 2 * spec.padW())
                : dst;
        if (!padded) {
            dst.fillUnchecked(0);
        }
        int[] st = target.strides();
        int[] winStrides = {st[0], st[1], spec.strideH() * st[2], spec.strideW() * st[3]};
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int off = target.offset() + i * spec.dilationH() * st[2] + j * spec.dilationW() * st[3];
                target.asStridedUnchecked(new int[] {n, c, oh, ow}, winStrides, off)
                        .binaryInPlace(BinaryOp.ADD, cols.select(3, j).select(2, i));
            }
        }
        if (padded) {
            dst.copyUnchecked(target.narrow(2, spec.padH(), h).narrow(3, spec.padW(), w));
        }
    }

    /**
     * The default {@link dev.kasane.tensor.spi.Backend#conv2dWeightGrad}: the gradient of {@link #conv2d} with respect
     * to its weight, for {@code input} [N, C, H, W] and output gradient {@code gradOut} [N, O, OH, OW], into {@code dst}
     * [O, C/groups, kH, kW]: one batched matmul per group over the im2col matrix of all images.
     */
    public static void conv2dWeightGrad(NDArray input, NDArray gradOut, Conv2dSpec spec, NDArray dst) {
        int g = spec.groups();
        int n = input.size(0), o = gradOut.size(1), kh = dst.size(2), kw = dst.size(3);
        int oh = gradOut.size(2), ow = gradOut.size(3);
        int k = dst.size(1) * kh * kw;
        int l = n * oh * ow;
        NDArray cols = im2col(input, kh, kw, spec, oh, ow, true).view(g, k, l);
        NDArray go = gradOut.reshape(n, g, o / g, oh * ow).permute(1, 2, 0, 3).reshape(g, o / g, l);
        input.storage().backend().matmul(go, cols.transpose(-1, -2), dst.view(g, o / g, k));
    }

    /**
     * Copies the convolution windows of {@code input} to a contiguous buffer: [N, C, kH, kW, OH, OW], or with
     * {@code channelsFirst} [C, kH, kW, N, OH, OW].
     */
    static NDArray im2col(NDArray input, int kh, int kw, Conv2dSpec spec, int oh, int ow, boolean channelsFirst) {
        NDArray xp = spec.padH() > 0 || spec.padW() > 0
                ? input.pad(spec.padW(), spec.padW(), spec.padH(), spec.padH())
                : input;
        int[] s = xp.strides();
        int[] shape = {xp.size(0), xp.size(1), kh, kw, oh, ow};
        int[] strides = {s[0], s[1], spec.dilationH() * s[2], spec.dilationW() * s[3], spec.strideH() * s[2], spec.strideW() * s[3]};
        NDArray windows = xp.asStridedUnchecked(shape, strides, xp.offset());
        if (channelsFirst) {
            windows = windows.permute(1, 2, 3, 0, 4, 5);
        }
        return windows.copy();
    }

    private static void checkOutput(String op, NDArray input, NDArray weight, Conv2dSpec spec, int oh, int ow) {
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + input.describe() + " is too small for kernel "
                    + Arrays.toString(Arrays.copyOfRange(weight.shape(), 2, 4)) + " with " + spec + " (output would be " + oh
                    + " x " + ow + ")");
        }
    }

    static void checkInputGrad(NDArray gradOut, NDArray weight, int h, int w, Conv2dSpec spec) {
        String op = "conv2dInputGrad";
        Checks.checkSameDevice(op, gradOut, weight);
        Checks.requireComputable(op, gradOut, weight);
        if (gradOut.dim() != 4 || weight.dim() != 4 || gradOut.size(1) != weight.size(0)
                || gradOut.dtype() != weight.dtype() || !weight.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expects gradOut [N, O, OH, OW] and weight [O, C/groups, kH, kW] of one "
                    + "float dtype, got " + gradOut.describe() + " and " + weight.describe());
        }
        int g = spec.groups();
        int o = weight.size(0), kh = weight.size(2), kw = weight.size(3);
        int oh = gradOut.size(2), ow = gradOut.size(3);
        if (o % g != 0 || spec.outHeight(h, kh) != oh || spec.outWidth(w, kw) != ow) {
            throw new IllegalArgumentException(op + ": gradOut " + gradOut.describe() + " does not match an input of size "
                    + h + " x " + w + " for weight " + weight.describe() + " and " + spec);
        }
        Shapes.numel(op, new int[] {gradOut.size(0), weight.size(1) * g, h, w});
    }

    static void checkWeightGrad(NDArray input, NDArray gradOut, int kh, int kw, Conv2dSpec spec) {
        String op = "conv2dWeightGrad";
        Checks.checkSameDevice(op, input, gradOut);
        Checks.requireComputable(op, input, gradOut);
        int g = spec.groups();
        if (input.dim() != 4 || gradOut.dim() != 4 || input.size(0) != gradOut.size(0) || input.dtype() != gradOut.dtype()
                || !input.dtype().isFloating() || input.size(1) % g != 0 || gradOut.size(1) % g != 0) {
            throw new IllegalArgumentException(op + ": expects input [N, C, H, W] and gradOut [N, O, OH, OW] of one float dtype"
                    + " with C and O divisible by groups " + g + ", got " + input.describe() + " and " + gradOut.describe());
        }
        int oh = gradOut.size(2), ow = gradOut.size(3);
        if (spec.outHeight(input.size(2), kh) != oh || spec.outWidth(input.size(3), kw) != ow) {
            throw new IllegalArgumentException(op + ": gradOut " + gradOut.describe() + " does not match input "
                    + input.describe() + " with a " + kh + " x " + kw + " kernel and " + spec);
        }
    }

    static int[] checkMaxPool(NDArray input, int kh, int kw, Conv2dSpec spec, boolean ceilMode) {
        String op = "maxPool2d";
        Checks.requireComputable(op, input);
        if (input.dim() != 4 || !input.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": input must be a 4-D (N, C, H, W) float array, got " + input.describe());
        }
        if (kh < 1 || kw < 1 || spec.padH() * 2 > kh || spec.padW() * 2 > kw) {
            throw new IllegalArgumentException(op + ": kernel " + kh + " x " + kw + " must be positive and padding ("
                    + spec.padH() + ", " + spec.padW() + ") at most half of it");
        }
        int n = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
        int oh = poolOutSize(h, kh, spec.padH(), spec.strideH(), spec.dilationH(), ceilMode);
        int ow = poolOutSize(w, kw, spec.padW(), spec.strideW(), spec.dilationW(), ceilMode);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + input.describe() + " is too small for a " + kh + " x " + kw
                    + " window with " + spec + " (output would be " + oh + " x " + ow + ")");
        }
        Shapes.numel(op, new int[] {n, c, oh, ow});
        return new int[] {n, c, h, w, oh, ow};
    }

    /** {@code [0, 1, ..., n-1]} as I64 on {@code device}, uploaded once per device and size and then reused read-only. */
    private static NDArray positions(int n, Device device) {
        return POSITIONS.computeIfAbsent(device + ":" + n, k -> NDArray.arange(0, n, 1, device));
    }

    /** Output size of a pooling window along one axis, with PyTorch's ceil-mode rule. */
    static int poolOutSize(int in, int k, int pad, int stride, int dilation, boolean ceilMode) {
        int num = in + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0);
        int out = Math.floorDiv(num, stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    /**
     * The default {@link dev.kasane.tensor.spi.Backend#maxPool2d}: max pooling of {@code input} [N, C, H, W] over
     * {@code kh} x {@code kw} windows into {@code values} [N, C, OH, OW] and, as PyTorch's {@code return_indices}, the
     * I64 flat index {@code h * W + w} of each maximum within its input plane into {@code indices}. Padding is implicit
     * negative infinity; {@code spec.groups()} is ignored; the output size (ceil mode or not) is the destinations'.
     */
    public static void maxPool2d(NDArray input, int kh, int kw, Conv2dSpec spec, NDArray values, NDArray indices) {
        int n = values.size(0), c = values.size(1), oh = values.size(2), ow = values.size(3);
        int h = input.size(2), w = input.size(3);
        int extraH = Math.max(0, (oh - 1) * spec.strideH() + (kh - 1) * spec.dilationH() + 1 - (h + 2 * spec.padH()));
        int extraW = Math.max(0, (ow - 1) * spec.strideW() + (kw - 1) * spec.dilationW() + 1 - (w + 2 * spec.padW()));
        NDArray xp = spec.padH() + spec.padW() + extraH + extraW > 0
                ? input.pad(new int[] {spec.padW(), spec.padW() + extraW, spec.padH(), spec.padH() + extraH},
                        PadMode.CONSTANT, Double.NEGATIVE_INFINITY)
                : input;
        int[] s = xp.strides();
        NDArray windows = xp.asStridedUnchecked(new int[] {n, c, oh, ow, kh, kw},
                new int[] {s[0], s[1], spec.strideH() * s[2], spec.strideW() * s[3], spec.dilationH() * s[2], spec.dilationW() * s[3]},
                xp.offset()).copy().view(n, c, oh, ow, kh * kw);
        // The value at the first maximum (as PyTorch: of -0.0 and 0.0 the first wins, which max() need not keep): the
        // max over the window with every other tap masked to -inf. A gather would do, but it validates its indices,
        // which costs a device round trip on accelerators.
        NDArray first = windows.reduce(ReduceOp.ARGMAX, -1, true);
        Backend backend = input.storage().backend();
        backend.reduce(ReduceOp.MAX, windows.maskedFill(positions(kh * kw, input.device()).binary(BinaryOp.NE, first),
                Double.NEGATIVE_INFINITY), values.view(n, c, oh, ow, 1));
        NDArray k = first.squeeze(-1).toType(DType.F64);
        NDArray kr = k.binary(BinaryOp.DIV, kw).unary(UnaryOp.FLOOR);
        NDArray kc = k.binary(BinaryOp.SUB, kr.binary(BinaryOp.MUL, kw));
        NDArray rows = positions(oh, input.device()).toType(DType.F64).binary(BinaryOp.MUL, spec.strideH()).binary(BinaryOp.SUB, spec.padH())
                .view(oh, 1).binary(BinaryOp.ADD, kr.binary(BinaryOp.MUL, spec.dilationH()));
        NDArray colsIdx = positions(ow, input.device()).toType(DType.F64).binary(BinaryOp.MUL, spec.strideW()).binary(BinaryOp.SUB, spec.padW())
                .binary(BinaryOp.ADD, kc.binary(BinaryOp.MUL, spec.dilationW()));
        // exact integers in F64: the conversion to I64 (truncation) is exact
        backend.copy(rows.binary(BinaryOp.MUL, w).binary(BinaryOp.ADD, colsIdx), indices);
    }
}
