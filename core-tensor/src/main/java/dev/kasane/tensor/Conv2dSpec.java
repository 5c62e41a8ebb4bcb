package dev.kasane.tensor;

/**
 * The geometry of a 2-D convolution or pooling window: stride, zero padding and dilation per spatial axis, and the
 * number of channel groups. {@code padH}/{@code padW} pad both sides symmetrically.
 *
 * @param strideH vertical stride (&gt;= 1)
 * @param strideW horizontal stride (&gt;= 1)
 * @param padH rows of padding above and below (&gt;= 0)
 * @param padW columns of padding left and right (&gt;= 0)
 * @param dilationH vertical spacing of kernel taps (&gt;= 1)
 * @param dilationW horizontal spacing of kernel taps (&gt;= 1)
 * @param groups channel groups (&gt;= 1; both channel counts must divide by it)
 */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
    /** Validates the values. */
    public Conv2dSpec {
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0 || dilationH < 1 || dilationW < 1 || groups < 1) {
            throw new IllegalArgumentException("conv2d: need stride >= 1, padding >= 0, dilation >= 1, groups >= 1, got stride ("
                    + strideH + ", " + strideW + "), padding (" + padH + ", " + padW + "), dilation (" + dilationH + ", "
                    + dilationW + "), groups " + groups);
        }
    }

    /** Square stride, padding and dilation. */
    public static Conv2dSpec of(int stride, int padding, int dilation, int groups) {
        return new Conv2dSpec(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** Output size along one axis: {@code floor((in + 2 pad - dilation (k - 1) - 1) / stride) + 1}. */
    static int outSize(int in, int pad, int dilation, int kernel, int stride) {
        return Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** Output height for input height {@code h} and kernel height {@code kh}. */
    public int outHeight(int h, int kh) {
        return outSize(h, padH, dilationH, kh, strideH);
    }

    /** Output width for input width {@code w} and kernel width {@code kw}. */
    public int outWidth(int w, int kw) {
        return outSize(w, padW, dilationW, kw, strideW);
    }
}
