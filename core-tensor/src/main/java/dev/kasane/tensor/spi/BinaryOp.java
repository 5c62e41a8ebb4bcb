package dev.kasane.tensor.spi;

/**
 * Elementwise binary primitives. Both inputs have the same dtype; the destination has that dtype, except
 * comparisons, which write BOOL. Each constant carries its PyTorch name, its {@link Kind} and its OpenCL C
 * expressions, so backends select ops by constant and never by declaration order.
 */
public enum BinaryOp {
    /** a + b. */
    ADD("add", Kind.ARITHMETIC, "a + b", "NORM((UT)a + (UT)b)"),
    /** a - b. */
    SUB("sub", Kind.ARITHMETIC, "a - b", "NORM((UT)a - (UT)b)"),
    /** a * b. */
    MUL("mul", Kind.ARITHMETIC, "a * b", "NORM((UT)a * (UT)b)"),
    /** a / b (float dtypes only; the core promotes integers first). */
    DIV("div", Kind.ARITHMETIC, "a / b",
            "b == 0 ? (T)0 : ((IS_NEG(b) && b == (T)-1) ? (T)((UT)0 - (UT)a) : (T)(a / b))"),
    /** a ^ b (for integers, b must be non-negative). */
    POW("pow", Kind.ARITHMETIC, "pow(a, b)", "NORM(ipow(a, b))"),
    /** max(a, b); NaN propagates. */
    MAXIMUM("maximum", Kind.ARITHMETIC, "(ISNAN(a) || ISNAN(b)) ? a + b : (a > b ? a : b)", "a > b ? a : b"),
    /** min(a, b); NaN propagates. */
    MINIMUM("minimum", Kind.ARITHMETIC, "(ISNAN(a) || ISNAN(b)) ? a + b : (a < b ? a : b)", "a < b ? a : b"),
    /** a == b, writes BOOL. */
    EQ("eq", Kind.COMPARISON, "a == b", "a == b"),
    /** a != b, writes BOOL. */
    NE("ne", Kind.COMPARISON, "a != b", "a != b"),
    /** a &lt; b, writes BOOL. */
    LT("lt", Kind.COMPARISON, "a < b", "a < b"),
    /** a &lt;= b, writes BOOL. */
    LE("le", Kind.COMPARISON, "a <= b", "a <= b"),
    /** a &gt; b, writes BOOL. */
    GT("gt", Kind.COMPARISON, "a > b", "a > b"),
    /** a &gt;= b, writes BOOL. */
    GE("ge", Kind.COMPARISON, "a >= b", "a >= b"),
    /** Logical and, BOOL only. */
    AND("logical_and", Kind.LOGICAL, null, "NORM(a & b)"),
    /** Logical or, BOOL only. */
    OR("logical_or", Kind.LOGICAL, null, "NORM(a | b)"),
    /** Logical exclusive or, BOOL only. */
    XOR("logical_xor", Kind.LOGICAL, null, "NORM(a ^ b)");

    /** What an op computes and which dtypes it takes and writes. */
    public enum Kind {
        /** Same dtype in and out; every dtype but BOOL. */
        ARITHMETIC,
        /** Every dtype in, BOOL out. */
        COMPARISON,
        /** BOOL in, BOOL out. */
        LOGICAL
    }

    private final String torchName;
    private final Kind kind;
    private final String clFloat;
    private final String clInteger;

    BinaryOp(String torchName, Kind kind, String clFloat, String clInteger) {
        this.torchName = torchName;
        this.kind = kind;
        this.clFloat = clFloat;
        this.clInteger = clInteger;
    }

    /** The op's name in PyTorch ({@code torch.<name>}), e.g. {@code "logical_and"}. */
    public String torchName() {
        return torchName;
    }

    /** Arithmetic, comparison or logical. */
    public Kind kind() {
        return kind;
    }

    /** True for the ops that write BOOL. */
    public boolean isComparison() {
        return kind == Kind.COMPARISON;
    }

    /** True for the logical ops (BOOL inputs). */
    public boolean isLogical() {
        return kind == Kind.LOGICAL;
    }

    /**
     * The op on F32/F64 as an OpenCL C expression over {@code a} and {@code b} of element type {@code T} (macro
     * {@code ISNAN} available), or null if the op takes no float dtype.
     */
    public String clFloatExpression() {
        return clFloat;
    }

    /**
     * The op on I32/I64/U8/BOOL as an OpenCL C expression over {@code a} and {@code b} of element type {@code T},
     * with {@code UT} its unsigned twin for wrapping arithmetic and the macros {@code NORM}, {@code IS_NEG} and the
     * function {@code ipow}; null if the op takes no integer or BOOL dtype.
     */
    public String clIntegerExpression() {
        return clInteger;
    }
}
