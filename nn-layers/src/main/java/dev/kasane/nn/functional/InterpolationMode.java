package dev.kasane.nn.functional;

/** The interpolation of {@link F#interpolate}. */
public enum InterpolationMode {
    /** Each output pixel copies the input pixel at {@code floor(dst * in / out)} (PyTorch's "nearest"). */
    NEAREST,
    /** Linear in each of height and width. */
    BILINEAR,
    /**
     * Cubic convolution in each of height and width over 4 input pixels (Keys' kernel with {@code A = -0.75}, as
     * PyTorch's "bicubic"), border pixels repeated; with antialiasing the filter is PyTorch's (and PIL's) {@code
     * A = -0.5}. Values may overshoot the input's range.
     */
    BICUBIC
}
