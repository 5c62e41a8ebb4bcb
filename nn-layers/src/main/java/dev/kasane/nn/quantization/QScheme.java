package dev.kasane.nn.quantization;

/** How an observer maps its range to a scale and zero point (PyTorch's {@code torch.qscheme}). */
public enum QScheme {
    /** One scale and zero point for the whole tensor, the range [min, max] mapped onto [quant_min, quant_max]. */
    PER_TENSOR_AFFINE,
    /** One scale for the whole tensor, symmetric around zero (zero point 0 for QINT8, 128 for QUINT8). */
    PER_TENSOR_SYMMETRIC,
    /** One affine scale and zero point per channel. */
    PER_CHANNEL_AFFINE,
    /** One symmetric scale per channel: PyTorch's default for weights. */
    PER_CHANNEL_SYMMETRIC;

    /** Whether each channel gets its own parameters. */
    public boolean isPerChannel() {
        return this == PER_CHANNEL_AFFINE || this == PER_CHANNEL_SYMMETRIC;
    }

    /** Whether the range is symmetric around zero. */
    public boolean isSymmetric() {
        return this == PER_TENSOR_SYMMETRIC || this == PER_CHANNEL_SYMMETRIC;
    }
}
