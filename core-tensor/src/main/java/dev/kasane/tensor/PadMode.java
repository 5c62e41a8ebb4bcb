package dev.kasane.tensor;

/** How {@link NDArray#pad(int[], PadMode, double)} fills the border, as in PyTorch's {@code F.pad}. */
public enum PadMode {
    /** A constant value. */
    CONSTANT,
    /** Mirror without repeating the edge: {@code [a b c] -> b [a b c] b}; each pad must be smaller than the size. */
    REFLECT,
    /** Repeat the edge element. */
    REPLICATE,
    /** Wrap around. */
    CIRCULAR
}
