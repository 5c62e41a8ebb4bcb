package dev.kasane.tensor.spi;

/**
 * Elementwise unary primitives. Source and destination have the same dtype.
 * Ops marked "float" are only called on F32/F64; the others also on integer dtypes
 * (and {@link #NOT} only on BOOL).
 */
public enum UnaryOp {
    /** -x. */
    NEG,
    /** |x|. */
    ABS,
    /** -1, 0 or 1 (NaN stays NaN). */
    SIGN,
    /** x*x. */
    SQUARE,
    /** max(x, 0), NaN propagates. */
    RELU,
    /** Logical not, BOOL only. */
    NOT,
    /** e^x, float. */
    EXP,
    /** Natural log, float. */
    LOG,
    /** log(1+x), float. */
    LOG1P,
    /** Square root, float. */
    SQRT,
    /** 1/sqrt(x), float. */
    RSQRT,
    /** 1/x, float. */
    RECIPROCAL,
    /** sin, float. */
    SIN,
    /** cos, float. */
    COS,
    /** tanh, float. */
    TANH,
    /** 1/(1+e^-x) computed stably, float. */
    SIGMOID,
    /** Error function, float (absolute error below 1e-7 in F32 and 1e-13 in F64). */
    ERF,
    /** Round toward negative infinity, float. */
    FLOOR,
    /** Round toward positive infinity, float. */
    CEIL,
    /** Round half to even, float. */
    ROUND;

    /** True if the op is defined on integer dtypes. */
    public boolean acceptsIntegers() {
        return ordinal() <= RELU.ordinal();
    }
}
