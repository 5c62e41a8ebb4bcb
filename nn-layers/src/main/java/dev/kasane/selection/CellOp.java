package dev.kasane.selection;

import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.Padding;
import dev.kasane.tensor.PadMode;
import java.util.Locale;

/**
 * The operations of an {@link Architecture}'s blocks, each followed by batch norm and ReLU, keeping the spatial size
 * (stride 1, "same" padding): plain convolutions, depthwise-separable ones (a depthwise convolution, then a 1x1) and a
 * dilated one, the operation set of the NAS cell search spaces (Zoph et al. 2018; Real et al. 2019) without pooling
 * (the stages pool).
 */
public enum CellOp {
    /** 3x3 convolution. */
    CONV3X3(3, 1, false),
    /** 5x5 convolution. */
    CONV5X5(5, 1, false),
    /** 3x3 depthwise-separable convolution. */
    SEP3X3(3, 1, true),
    /** 5x5 depthwise-separable convolution. */
    SEP5X5(5, 1, true),
    /** 3x3 convolution with dilation 2 (a 5x5 receptive field). */
    DIL3X3(3, 2, false);

    private final int kernel;
    private final int dilation;
    private final boolean separable;

    CellOp(int kernel, int dilation, boolean separable) {
        this.kernel = kernel;
        this.dilation = dilation;
        this.separable = separable;
    }

    /** A short name, the constant's name in lower case, e.g. "sep3x3". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operation whose {@link #label()} is {@code label}. */
    public static CellOp of(String label) {
        for (CellOp op : values()) {
            if (op.label().equals(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException("CellOp.of: unknown operation '" + label + "'");
    }

    /** One block of this operation from {@code in} to {@code out} channels: the operation, batch norm, ReLU. */
    public Module block(int in, int out) {
        int pad = dilation * (kernel - 1) / 2;
        Module op;
        if (separable) {
            op = new Sequential(conv(in, in, kernel, pad, dilation, in), conv(in, out, 1, 0, 1, 1));
        } else {
            op = conv(in, out, kernel, pad, dilation, 1);
        }
        return new Sequential(op, new BatchNorm2d(out), new ReLU());
    }

    /** Parameters of {@link #block}{@code (in, out)}: the convolutions (no biases) and batch norm's weight and bias. */
    public long parameters(int in, int out) {
        long k2 = (long) kernel * kernel;
        long convs = separable ? in * k2 + (long) in * out : (long) in * out * k2;
        return convs + 2L * out;
    }

    private static Conv2d conv(int in, int out, int kernel, int pad, int dilation, int groups) {
        return new Conv2d(in, out, new int[] {kernel, kernel}, new int[] {1, 1}, Padding.of(pad),
                new int[] {dilation, dilation}, groups, false, PadMode.CONSTANT);
    }
}
