package dev.kasane.nn.functional;

/** What {@link F#stochasticDepth} drops at once, as torchvision's {@code mode} argument. */
public enum StochasticDepthMode {
    /** Each sample of the batch (each index of dim 0) is kept or zeroed on its own ({@code "row"}). */
    ROW,
    /** The whole input is kept or zeroed ({@code "batch"}). */
    BATCH
}
