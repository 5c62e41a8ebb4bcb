package dev.kasane.tensor.spi;

/**
 * Elementwise binary primitives. Both inputs have the same dtype; the destination has that dtype,
 * except comparisons, which write BOOL.
 */
public enum BinaryOp {
    /** a + b. */
    ADD,
    /** a - b. */
    SUB,
    /** a * b. */
    MUL,
    /** a / b (float dtypes only; the core promotes integers first). */
    DIV,
    /** a ^ b (for integers, b must be non-negative). */
    POW,
    /** max(a, b); NaN propagates. */
    MAXIMUM,
    /** min(a, b); NaN propagates. */
    MINIMUM,
    /** a == b, writes BOOL. */
    EQ,
    /** a != b, writes BOOL. */
    NE,
    /** a &lt; b, writes BOOL. */
    LT,
    /** a &lt;= b, writes BOOL. */
    LE,
    /** a &gt; b, writes BOOL. */
    GT,
    /** a &gt;= b, writes BOOL. */
    GE,
    /** Logical and, BOOL only. */
    AND,
    /** Logical or, BOOL only. */
    OR,
    /** Logical exclusive or, BOOL only. */
    XOR;

    /** True for the ops that write BOOL. */
    public boolean isComparison() {
        return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }

    /** True for the logical ops (BOOL inputs). */
    public boolean isLogical() {
        return this == AND || this == OR || this == XOR;
    }
}
