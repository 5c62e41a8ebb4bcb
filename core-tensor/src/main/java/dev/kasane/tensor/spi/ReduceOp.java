package dev.kasane.tensor.spi;

/**
 * Reduction primitives. See {@link Backend#reduce}. Each constant carries its PyTorch name and its {@link Kind},
 * so backends select ops by constant and never by declaration order.
 */
public enum ReduceOp {
    /** Sum; integer and BOOL sources are summed into an I64 destination. */
    SUM("sum", Kind.ACCUMULATE),
    /** Product; integer and BOOL sources multiply into an I64 destination. */
    PROD("prod", Kind.ACCUMULATE),
    /** Maximum; NaN propagates. Not called on empty reductions. */
    MAX("amax", Kind.EXTREMUM),
    /** Minimum; NaN propagates. Not called on empty reductions. */
    MIN("amin", Kind.EXTREMUM),
    /** Index (I64) of the first maximum along exactly one dimension; NaN counts as the maximum. */
    ARGMAX("argmax", Kind.INDEX),
    /** Index (I64) of the first minimum along exactly one dimension; NaN counts as the minimum. */
    ARGMIN("argmin", Kind.INDEX);

    /** What a reduction combines and what it writes. */
    public enum Kind {
        /** Folds values with an arithmetic operator from its identity; integers accumulate in I64. */
        ACCUMULATE,
        /** Keeps the extreme value, in the source dtype. */
        EXTREMUM,
        /** Keeps the index (I64) of the extreme value. */
        INDEX
    }

    private final String torchName;
    private final Kind kind;

    ReduceOp(String torchName, Kind kind) {
        this.torchName = torchName;
        this.kind = kind;
    }

    /** The op's name in PyTorch ({@code torch.<name>}), e.g. {@code "amax"}. */
    public String torchName() {
        return torchName;
    }

    /** Accumulation, extremum or index. */
    public Kind kind() {
        return kind;
    }
}
