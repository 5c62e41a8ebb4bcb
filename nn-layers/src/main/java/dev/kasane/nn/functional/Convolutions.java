package dev.kasane.nn.functional;

import dev.kasane.amp.Autocast;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.PadMode;
import java.util.Arrays;

/** Convolutions built on the differentiable primitives of {@link ConvOps}; 1-D ones run as 2-D with height 1. */
final class Convolutions {
    private Convolutions() {
    }

    static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, Padding padding, int[] dilation, int groups,
                         PadMode padMode) {
        String op = "conv2d";
        checkRank(op, input, 4, "(N, C, H, W)");
        checkRank(op, weight, 4, "weight (O, C/groups, kH, kW)");
        int[] s = Shape2.pair(op, "stride", stride);
        int[] d = Shape2.pair(op, "dilation", dilation);
        checkChannels(op, input, weight, groups, "(N, C, H, W)");
        int[] k = {weight.size(2), weight.size(3)};
        if (padding.isSame() && (s[0] != 1 || s[1] != 1)) {
            throw new IllegalArgumentException(op + ": padding='same' is not supported for strided convolutions, got stride "
                    + Arrays.toString(s));
        }
        int[] p = padding.resolve(op, k, d);
        Tensor x = input;
        int ph = p[0];
        int pw = p[2];
        boolean symmetric = p[0] == p[1] && p[2] == p[3];
        if (padMode != PadMode.CONSTANT || !symmetric) {
            if (p[0] + p[1] + p[2] + p[3] > 0) {
                x = x.pad(new int[] {p[2], p[3], p[0], p[1]}, padMode, 0);
            }
            ph = 0;
            pw = 0;
        }
        Conv2dSpec spec = new Conv2dSpec(s[0], s[1], ph, pw, d[0], d[1], groups);
        int oh = spec.outHeight(x.size(2), k[0]);
        int ow = spec.outWidth(x.size(3), k[1]);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(input.shape()) + " is too small for kernel "
                    + Arrays.toString(k) + " with padding " + padding + ", dilation " + Arrays.toString(d) + " (output "
                    + oh + " x " + ow + ")");
        }
        x = Autocast.cast(x);
        Tensor w = Autocast.cast(weight);
        if (bias != null && bias.dtype() == x.dtype() && bias.device().equals(x.device())) {
            checkBias(op, bias, weight.size(0));
            return new ConvOps.Conv2d(spec).apply(x, w, Autocast.cast(bias)); // the bias fused into the convolution's output
        }
        Tensor y = new ConvOps.Conv2d(spec).apply(x, w);
        return addBias(op, y, bias, weight.size(0));
    }

    static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, Padding padding, int dilation, int groups,
                         PadMode padMode) {
        String op = "conv1d";
        checkRank(op, input, 3, "(N, C, L)");
        checkRank(op, weight, 3, "weight (O, C/groups, k)");
        checkChannels(op, input, weight, groups, "(N, C, L)");
        Padding p2 = padding.isSame() || padding == Padding.VALID ? padding
                : Padding.of(0, padding.resolve(op, new int[] {weight.size(2)}, new int[] {dilation})[0]);
        Tensor y = conv2d(input.unsqueeze(2), weight.unsqueeze(2), null, new int[] {1, stride}, p2, new int[] {1, dilation},
                groups, padMode);
        return addBias(op, y.squeeze(2), bias, weight.size(0));
    }

    /**
     * The transposed convolution of [N, Cin, H, W] with weight [Cin, Cout/groups, kH, kW]: output size
     * {@code (H - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1}.
     */
    static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                  int groups, int[] dilation) {
        String op = "convTranspose2d";
        checkRank(op, input, 4, "(N, C, H, W)");
        checkRank(op, weight, 4, "weight (Cin, Cout/groups, kH, kW)");
        int[] s = Shape2.pair(op, "stride", stride);
        int[] p = Shape2.pair(op, "padding", padding);
        int[] op2 = Shape2.pair(op, "output_padding", outputPadding);
        int[] d = Shape2.pair(op, "dilation", dilation);
        if (input.size(1) != weight.size(0)) {
            throw new IllegalArgumentException(op + ": expected input with " + weight.size(0) + " channels (N, " + weight.size(0)
                    + ", H, W) for weight " + Arrays.toString(weight.shape()) + ", got " + Arrays.toString(input.shape()));
        }
        if (groups < 1 || weight.size(0) % groups != 0) {
            throw new IllegalArgumentException(op + ": " + weight.size(0) + " input channels are not divisible by groups " + groups);
        }
        for (int i = 0; i < 2; i++) {
            if (op2[i] < 0 || op2[i] >= s[i]) {
                throw new IllegalArgumentException(op + ": output_padding must be in [0, stride), got output_padding "
                        + Arrays.toString(op2) + " for stride " + Arrays.toString(s));
            }
        }
        Conv2dSpec spec = new Conv2dSpec(s[0], s[1], p[0], p[1], d[0], d[1], groups);
        int h = (input.size(2) - 1) * s[0] - 2 * p[0] + d[0] * (weight.size(2) - 1) + op2[0] + 1;
        int w = (input.size(3) - 1) * s[1] - 2 * p[1] + d[1] * (weight.size(3) - 1) + op2[1] + 1;
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException(op + ": output size " + h + " x " + w + " is not positive for input "
                    + Arrays.toString(input.shape()) + " and weight " + Arrays.toString(weight.shape()));
        }
        Tensor y = ConvOps.Conv2dGrad.ofInput(spec, h, w).apply(Autocast.cast(input), Autocast.cast(weight));
        return addBias(op, y, bias, weight.size(1) * groups);
    }

    /**
     * {@code y} plus the bias along dim 1. {@code y} is the convolution's own result (or a view of it) that nothing
     * else references: with a bias, its memory goes back to the backend as soon as no graph node needs it
     * ({@link dev.kasane.tensor.spi.Storage#releaseIntermediate}; the addition saves nothing), as PyTorch frees it.
     */
    private static Tensor addBias(String op, Tensor y, Tensor bias, int channels) {
        if (bias == null) {
            return y;
        }
        checkBias(op, bias, channels);
        int[] shape = new int[y.dim()];
        Arrays.fill(shape, 1);
        shape[1] = channels;
        Tensor out = y.add(bias.view(shape));
        Function.array(y).storage().releaseIntermediate();
        return out;
    }

    private static void checkBias(String op, Tensor bias, int channels) {
        if (bias.dim() != 1 || bias.size(0) != channels) {
            throw new IllegalArgumentException(op + ": bias must have shape [" + channels + "], got " + Arrays.toString(bias.shape()));
        }
    }

    static void checkRank(String op, Tensor t, int rank, String layout) {
        if (t.dim() != rank) {
            throw new IllegalArgumentException(op + ": " + (layout.startsWith("weight") ? "" : "input ") + "must be " + rank
                    + "-D " + layout + ", got " + Arrays.toString(t.shape()));
        }
    }

    private static void checkChannels(String op, Tensor input, Tensor weight, int groups, String layout) {
        if (groups < 1 || weight.size(0) % groups != 0) {
            throw new IllegalArgumentException(op + ": " + weight.size(0) + " output channels are not divisible by groups " + groups);
        }
        int c = weight.size(1) * groups;
        if (input.size(1) != c) {
            throw new IllegalArgumentException(op + ": expected input with " + c + " channels " + layout.replace("C", "" + c)
                    + " for weight " + Arrays.toString(weight.shape()) + (groups > 1 ? " and groups " + groups : "") + ", got "
                    + Arrays.toString(input.shape()));
        }
    }
}
