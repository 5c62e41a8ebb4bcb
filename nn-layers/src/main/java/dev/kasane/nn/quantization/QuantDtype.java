package dev.kasane.nn.quantization;

/** The integer types quantized values take, with their full ranges (PyTorch's {@code torch.quint8}, {@code torch.qint8}). */
public enum QuantDtype {
    /** Unsigned 8-bit, [0, 255]: PyTorch's default for activations. */
    QUINT8,
    /** Signed 8-bit, [-128, 127]: PyTorch's default for weights. */
    QINT8;

    /** The smallest value: 0 or -128. */
    public int min() {
        return this == QUINT8 ? 0 : -128;
    }

    /** The largest value: 255 or 127 (both types span 256 values). */
    public int max() {
        return min() + 255;
    }
}
