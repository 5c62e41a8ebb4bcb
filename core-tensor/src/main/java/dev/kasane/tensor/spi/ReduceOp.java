package dev.kasane.tensor.spi;

/**
 * Reduction primitives. See {@link Backend#reduce}.
 */
public enum ReduceOp {
    /** Sum; integer and BOOL sources are summed into an I64 destination. */
    SUM,
    /** Product; integer and BOOL sources multiply into an I64 destination. */
    PROD,
    /** Maximum; NaN propagates. Not called on empty reductions. */
    MAX,
    /** Minimum; NaN propagates. Not called on empty reductions. */
    MIN,
    /** Index (I64) of the first maximum along exactly one dimension; NaN counts as the maximum. */
    ARGMAX,
    /** Index (I64) of the first minimum along exactly one dimension; NaN counts as the minimum. */
    ARGMIN
}
