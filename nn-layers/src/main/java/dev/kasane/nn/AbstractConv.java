package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Arrays;

/**
 * What convolution layers share: channel counts, kernel, stride, dilation, groups, the {@code weight} and optional
 * {@code bias} parameters with PyTorch's default initialisation, input checks and the printed form.
 */
public abstract class AbstractConv extends WeightBiasLayer {
    /** Input channels. */
    protected final int inChannels;
    /** Output channels. */
    protected final int outChannels;
    /** Kernel size per spatial dim. */
    protected final int[] kernel;
    /** Stride per spatial dim. */
    protected final int[] stride;
    /** Dilation per spatial dim. */
    protected final int[] dilation;
    /** Channel groups. */
    protected final int groups;

    /**
     * Registers {@code weight} ([out, in/groups, k...], or [in, out/groups, k...] when {@code transposed}) and
     * {@code bias} [out] and initialises them.
     */
    protected AbstractConv(int inChannels, int outChannels, int[] kernel, int[] stride, int[] dilation, int groups, boolean bias,
                           boolean transposed) {
        String name = getClass().getSimpleName();
        this.inChannels = Layers.positive(name, "in_channels", inChannels);
        this.outChannels = Layers.positive(name, "out_channels", outChannels);
        this.groups = Layers.positive(name, "groups", groups);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(name + ": in_channels " + inChannels + " and out_channels " + outChannels
                    + " must be divisible by groups " + groups);
        }
        this.kernel = Layers.positive(name, "kernel_size", kernel);
        this.stride = Layers.positive(name, "stride", stride);
        this.dilation = Layers.positive(name, "dilation", dilation);
        int[] shape = new int[2 + kernel.length];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = (transposed ? outChannels : inChannels) / groups;
        System.arraycopy(kernel, 0, shape, 2, kernel.length);
        registerWeightAndBias(shape, bias, outChannels);
    }

    /** The number of input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** The number of output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** The kernel size per spatial dim (a copy). */
    public int[] kernelSize() {
        return kernel.clone();
    }

    /** The stride per spatial dim (a copy). */
    public int[] stride() {
        return stride.clone();
    }

    /** The dilation per spatial dim (a copy). */
    public int[] dilation() {
        return dilation.clone();
    }

    /** The number of channel groups. */
    public int groups() {
        return groups;
    }

    /** {@code v} repeated {@code n} times. */
    static int[] repeat(int v, int n) {
        int[] r = new int[n];
        Arrays.fill(r, v);
        return r;
    }

    /** Checks the input is (N, inChannels, spatial...) with the kernel's number of spatial dims. */
    protected final void checkInput(Tensor input) {
        String layout = kernel.length == 1 ? "(N, " + inChannels + ", L)" : "(N, " + inChannels + ", H, W)";
        requireRank(input, layout, kernel.length + 2);
        requireSize(input, 1, inChannels, "channels", layout);
    }

    /** {@code in, out, kernel_size=(k, k), stride=(s, s)} and dilation and groups when not 1. */
    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder();
        sb.append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(Layers.tuple(kernel))
                .append(", stride=").append(Layers.tuple(stride));
        String extra = paddingRepr();
        if (!extra.isEmpty()) {
            sb.append(", ").append(extra);
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            sb.append(", dilation=").append(Layers.tuple(dilation));
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (bias() == null) {
            sb.append(", bias=false");
        }
        return sb.toString();
    }

    /** The padding part of {@link #extraRepr()} ("" for none). */
    protected abstract String paddingRepr();
}
