package dev.kasane.nn.quantization;

/** The integer types quantized values take, with their full ranges (PyTorch's {@code torch.quint8}, {@code torch.qint8}). */
public enum QuantDtype {
    /** Unsigned 8-bit, [0, 255]: PyTorch's default for activations. */
    QUINT8(0, 255),
    /** Signed 8-bit, [-128, 127]: PyTorch's default for weights. */
    QINT8(-128, 127);

    private final int min;
    private final int max;

    QuantDtype(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** The smallest value. */
    public int min() {
        return min;
    }

    /** The largest value. */
    public int max() {
        return max;
    }
}
