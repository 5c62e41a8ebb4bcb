package dev.kasane.nn.functional;

/** The interpolation of {@link F#interpolate}. */
public enum InterpolationMode {
    /** Each output pixel copies the input pixel at {@code floor(dst * in / out)} (PyTorch's "nearest"). */
    NEAREST,
    /** Linear in each of height and width. */
    BILINEAR
}
