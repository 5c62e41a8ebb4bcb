package dev.kasane.tensor.spi;

import dev.kasane.tensor.DType;

/**
 * Elementwise unary primitives. Source and destination have the same dtype. Each constant carries everything a
 * backend needs to compute it, so backends select ops by constant and never by declaration order:
 * <ul>
 *   <li>its PyTorch name ({@link #torchName()}) and the dtypes it is called on ({@link #accepts(DType)});</li>
 *   <li>its scalar formula, {@link #applyAsDouble(double)} (F32 values are computed in double and rounded), and
 *       for ops that accept integers {@link #applyAsLong(long)} (the result is then stored with wrap-around into
 *       the destination dtype);</li>
 *   <li>its OpenCL C expressions ({@link #clFloatExpression()}, {@link #clIntegerExpression()}), from which the
 *       OpenCL backend generates its kernels' op selection;</li>
 *   <li>whether it calls a transcendental function ({@link #isTranscendental()}), which sets how much work a CPU
 *       thread takes.</li>
 * </ul>
 *
 * <p>How to add a unary op:
 * <ol>
 *   <li>Add a constant here with its name, {@link Domain}, {@link Cost}, OpenCL expressions and scalar formula.
 *       Nothing else in the backends changes: the CPU backend runs the formula in a generic loop, the OpenCL
 *       backend compiles the expression into its programs, and both backends' op tests iterate over
 *       {@link #values()}, so they cover the new op.</li>
 *   <li>Add its derivative to the autograd derivative table (core-autograd).</li>
 *   <li>Add the user method to {@code Tensor}.</li>
 *   <li>Only if it is hot in training and measured faster that way: a dedicated loop in the CPU backend's
 *       {@code UnaryKernels}, selected by constant.</li>
 * </ol>
 */
public enum UnaryOp {
    /** -x. */
    NEG("neg", Domain.NUMERIC, Cost.ARITHMETIC, "-x", "NORM((UT)0 - (UT)x)") {
        @Override public double applyAsDouble(double x) {
            return -x;
        }

        @Override public long applyAsLong(long x) {
            return -x;
        }
    },
    /** |x|. */
    ABS("abs", Domain.NUMERIC, Cost.ARITHMETIC, "fabs(x)", "IS_NEG(x) ? (T)((UT)0 - (UT)x) : x") {
        @Override public double applyAsDouble(double x) {
            return Math.abs(x);
        }

        @Override public long applyAsLong(long x) {
            return Math.abs(x);
        }
    },
    /** -1, 0 or 1 (NaN stays NaN). */
    SIGN("sign", Domain.NUMERIC, Cost.ARITHMETIC, "ISNAN(x) ? x : (x > 0 ? (T)1 : (x < 0 ? (T)-1 : (T)0))",
            "(T)((x > 0) - IS_NEG(x))") {
        @Override public double applyAsDouble(double x) {
            return Math.signum(x);
        }

        @Override public long applyAsLong(long x) {
            return Long.signum(x);
        }
    },
    /** x*x. */
    SQUARE("square", Domain.NUMERIC, Cost.ARITHMETIC, "x * x", "NORM((UT)x * (UT)x)") {
        @Override public double applyAsDouble(double x) {
            return x * x;
        }

        @Override public long applyAsLong(long x) {
            return x * x;
        }
    },
    /** max(x, 0), NaN propagates. */
    RELU("relu", Domain.NUMERIC, Cost.ARITHMETIC, "(x > 0 || ISNAN(x)) ? x : (T)0", "x > 0 ? x : (T)0") {
        @Override public double applyAsDouble(double x) {
            return Math.max(x, 0.0);
        }

        @Override public long applyAsLong(long x) {
            return x < 0 ? 0 : x;
        }
    },
    /** Logical not, BOOL only. */
    NOT("logical_not", Domain.BOOL, Cost.ARITHMETIC, null, "(T)(x == 0)") {
        @Override public double applyAsDouble(double x) {
            return x == 0 ? 1 : 0;
        }

        @Override public long applyAsLong(long x) {
            return x == 0 ? 1 : 0;
        }
    },
    /** e^x, float. */
    EXP("exp", Domain.FLOAT, Cost.TRANSCENDENTAL, "exp(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.exp(x);
        }
    },
    /** Natural log, float. */
    LOG("log", Domain.FLOAT, Cost.TRANSCENDENTAL, "log(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.log(x);
        }
    },
    /** log(1+x), float. */
    LOG1P("log1p", Domain.FLOAT, Cost.TRANSCENDENTAL, "log1p(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.log1p(x);
        }
    },
    /** Square root, float. */
    SQRT("sqrt", Domain.FLOAT, Cost.TRANSCENDENTAL, "sqrt(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.sqrt(x);
        }
    },
    /** 1/sqrt(x), float. */
    RSQRT("rsqrt", Domain.FLOAT, Cost.TRANSCENDENTAL, "(T)1 / sqrt(x)", null) {
        @Override public double applyAsDouble(double x) {
            return 1.0 / Math.sqrt(x);
        }
    },
    /** 1/x, float. */
    RECIPROCAL("reciprocal", Domain.FLOAT, Cost.ARITHMETIC, "(T)1 / x", null) {
        @Override public double applyAsDouble(double x) {
            return 1.0 / x;
        }
    },
    /** sin, float. */
    SIN("sin", Domain.FLOAT, Cost.TRANSCENDENTAL, "sin(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.sin(x);
        }
    },
    /** cos, float. */
    COS("cos", Domain.FLOAT, Cost.TRANSCENDENTAL, "cos(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.cos(x);
        }
    },
    /** tanh, float. */
    TANH("tanh", Domain.FLOAT, Cost.TRANSCENDENTAL, "tanh(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.tanh(x);
        }
    },
    /** 1/(1+e^-x) computed stably (e^x/(1+e^x) for negative x), float. */
    SIGMOID("sigmoid", Domain.FLOAT, Cost.TRANSCENDENTAL,
            "x >= 0 ? (T)1 / ((T)1 + exp(-x)) : exp(x) / ((T)1 + exp(x))", null) {
        @Override public double applyAsDouble(double x) {
            if (x >= 0) {
                return 1.0 / (1.0 + Math.exp(-x));
            }
            double e = Math.exp(x);
            return e / (1.0 + e);
        }
    },
    /** Error function, float (absolute error below 1e-7 in F32 and 1e-13 in F64). */
    ERF("erf", Domain.FLOAT, Cost.TRANSCENDENTAL, "erf(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Erf.erf(x);
        }
    },
    /** Round toward negative infinity, float. */
    FLOOR("floor", Domain.FLOAT, Cost.ARITHMETIC, "floor(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.floor(x);
        }
    },
    /** Round toward positive infinity, float. */
    CEIL("ceil", Domain.FLOAT, Cost.ARITHMETIC, "ceil(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.ceil(x);
        }
    },
    /** Round half to even, float. */
    ROUND("round", Domain.FLOAT, Cost.ARITHMETIC, "rint(x)", null) {
        @Override public double applyAsDouble(double x) {
            return Math.rint(x);
        }
    };

    /** The dtypes an op is called on. */
    public enum Domain {
        /** F32 and F64 only; the core converts integer inputs to F32 first. */
        FLOAT,
        /** F32, F64, I32, I64 and U8 (not BOOL). */
        NUMERIC,
        /** BOOL only. */
        BOOL;

        /** True if an op of this domain is called on {@code t}. */
        public boolean accepts(DType t) {
            switch (this) {
                case FLOAT: return t.isFloating();
                case NUMERIC: return t.isFloating() || t.isInteger();
                default: return t == DType.BOOL;
            }
        }
    }

    /** What one element costs, relative to a load and a store. */
    public enum Cost {
        /** A few arithmetic instructions. */
        ARITHMETIC,
        /** A call to a transcendental function (exp, log, sqrt, sin, erf, ...): tens of cycles. */
        TRANSCENDENTAL
    }

    private final String torchName;
    private final Domain domain;
    private final Cost cost;
    private final String clFloat;
    private final String clInteger;

    UnaryOp(String torchName, Domain domain, Cost cost, String clFloat, String clInteger) {
        this.torchName = torchName;
        this.domain = domain;
        this.cost = cost;
        this.clFloat = clFloat;
        this.clInteger = clInteger;
    }

    /** The op's name in PyTorch ({@code torch.<name>}), e.g. {@code "logical_not"}. */
    public String torchName() {
        return torchName;
    }

    /** The dtypes the op is called on. */
    public Domain domain() {
        return domain;
    }

    /** True if the op is called on {@code t}. */
    public boolean accepts(DType t) {
        return domain.accepts(t);
    }

    /** True if the op is defined on the integer dtypes I32, I64 and U8. */
    public boolean acceptsIntegers() {
        return domain == Domain.NUMERIC;
    }

    /** True if the op calls a transcendental function, false if it is a few arithmetic instructions. */
    public boolean isTranscendental() {
        return cost == Cost.TRANSCENDENTAL;
    }

    /**
     * The op on F32/F64 as an OpenCL C expression over {@code x} of element type {@code T} (macro {@code ISNAN}
     * available), or null if the op takes no float dtype.
     */
    public String clFloatExpression() {
        return clFloat;
    }

    /**
     * The op on I32/I64/U8/BOOL as an OpenCL C expression over {@code x} of element type {@code T}, with
     * {@code UT} its unsigned twin for wrapping arithmetic and the macros {@code NORM} (wrap into {@code T}, BOOL to
     * 0/1) and {@code IS_NEG}; null if the op takes no integer or BOOL dtype.
     */
    public String clIntegerExpression() {
        return clInteger;
    }

    /** The op on one value held as a double: the reference formula every backend matches. */
    public abstract double applyAsDouble(double x);

    /**
     * The op on one integer or BOOL value held as a long (wrap-around arithmetic; the caller stores the result
     * into the destination dtype).
     *
     * @throws UnsupportedOperationException if the op takes no integer or BOOL dtype
     */
    public long applyAsLong(long x) {
        throw new UnsupportedOperationException("unary " + torchName + ": not defined on integer or BOOL values ("
                + x + "), only on " + domain);
    }
}
