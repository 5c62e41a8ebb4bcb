package dev.kasane.nn.functional;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.PadMode;
import java.util.Arrays;

/** StyleGAN's functional pieces, composed from differentiable Tensor ops: modulated convolution, minibatch stddev, pixel norm. */
final class StyleOps {
    private StyleOps() {
    }

    /** StyleGAN2's demodulation epsilon. */
    static final double DEMOD_EPS = 1e-8;

    static Tensor modulatedConv2d(Tensor x, Tensor weight, Tensor styles, boolean demodulate) {
        String op = "modulatedConv2d";
        if (x.dim() != 4 || weight.dim() != 4 || styles.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected input (N, C, H, W), weight (O, C, k, k) and styles (N, C), got "
                    + x.describe() + ", " + weight.describe() + " and " + styles.describe());
        }
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int kh = weight.size(2);
        int kw = weight.size(3);
        if (weight.size(1) != c || styles.size(0) != n || styles.size(1) != c || kh % 2 == 0 || kw % 2 == 0) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(x.shape()) + ", weight "
                    + Arrays.toString(weight.shape()) + " and styles " + Arrays.toString(styles.shape())
                    + " do not fit (weight (O, C, k, k) with odd k, styles (N, C))");
        }
        Tensor w = weight.unsqueeze(0).mul(styles.view(n, 1, c, 1, 1)); // [N, O, C, k, k]
        if (demodulate) {
            w = w.mul(w.square().sum(new int[] {2, 3, 4}, true).add(DEMOD_EPS).rsqrt());
        }
        Tensor y = F.conv2d(x.reshape(1, n * c, x.size(2), x.size(3)), w.reshape(n * o, c, kh, kw), null, new int[] {1},
                Padding.of(kh / 2, kw / 2), new int[] {1}, n, PadMode.CONSTANT);
        return y.view(n, o, x.size(2), x.size(3));
    }

    static Tensor minibatchStdDev(Tensor x, int groupSize, int channels) {
        String op = "minibatchStdDev";
        if (x.dim() != 4 || groupSize < 1 || channels < 1 || x.size(1) % channels != 0) {
            throw new IllegalArgumentException(op + ": expected input (N, C, H, W) with C divisible by " + channels
                    + " channels and a group size >= 1 (got " + groupSize + "), got " + x.describe());
        }
        int n = x.size(0);
        int g = Math.min(groupSize, n);
        if (n % g != 0) {
            throw new IllegalArgumentException(op + ": batch " + n + " is not a multiple of the group size " + g + " (input "
                    + x.describe() + ")");
        }
        int h = x.size(2);
        int w = x.size(3);
        Tensor y = x.reshape(g, n / g, channels, x.size(1) / channels, h, w);
        y = y.sub(y.mean(0, true)).square().mean(0, false).add(1e-8).sqrt(); // [N/G, F, c, H, W]
        y = y.mean(new int[] {2, 3, 4}, false).reshape(n / g, channels, 1, 1).repeat(g, 1, h, w);
        return Tensor.cat(java.util.List.of(x, y), 1);
    }

    static Tensor pixelNorm(Tensor x, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("pixelNorm: expected input (N, C, ...), got " + x.describe());
        }
        return x.mul(x.square().mean(1, true).add(eps).rsqrt());
    }
}
