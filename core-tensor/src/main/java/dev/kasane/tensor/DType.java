package dev.kasane.tensor;

/**
 * Element types of an {@link NDArray}.
 *
 * <p>Each dtype has one host array type used to move data in and out of a backend:
 * {@code float[]} for F32, {@code double[]} for F64, {@code int[]} for I32, {@code long[]} for I64,
 * {@code byte[]} for BOOL (0 or 1) and U8 (0..255, stored as a signed byte), and {@code short[]} holding the bit
 * patterns for BF16 and F16.
 *
 * <p>BF16 and F16 are <em>storage</em> dtypes ({@link #isHalf()}): arrays of them can be created, filled, copied,
 * viewed, made contiguous, read and written (host arrays, safetensors) and converted with {@code toType} in both
 * directions (rounding to nearest even, as PyTorch does; see {@link dev.kasane.tensor.spi.HalfFloats}), but no op
 * computes in them: arithmetic, reductions, matmul and convolution refuse them with an error that names the op, the
 * dtype and the device. Convert with {@code toType(DType.F32)}; inside a {@code dev.kasane.amp.Autocast} scope,
 * linear and the convolutions take them as operands. They are never the default dtype and {@link #isFloating()} is false for them.
 */
public enum DType {
    /** 32-bit IEEE float, the initial default (see {@link #getDefault()}). */
    F32(4, true),
    /** 64-bit IEEE float. */
    F64(8, true),
    /** 32-bit signed integer. */
    I32(4, false),
    /** 64-bit signed integer, the type of indices. */
    I64(8, false),
    /** Boolean, one byte per element holding 0 or 1. */
    BOOL(1, false),
    /** Unsigned 8-bit integer, the usual storage of images. */
    U8(1, false),
    /** bfloat16 (8 exponent bits, 7 mantissa bits: the top half of an F32), a storage dtype (see the class notes). */
    BF16(2, false),
    /** IEEE 754 binary16 (5 exponent bits, 10 mantissa bits), a storage dtype (see the class notes). */
    F16(2, false);

    private final int byteSize;
    private final boolean floating;

    /** Holds the default floating dtype (an enum cannot have a static field read by its constructor). */
    private static final class Default {
        static volatile DType value = initial();

        private static DType initial() {
            String prop = System.getProperty("kasane.dtype");
            if (prop == null || prop.isBlank()) {
                return F32;
            }
            return requireFloating("kasane.dtype", DType.valueOf(prop.trim().toUpperCase(java.util.Locale.ROOT)));
        }
    }

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /**
     * The floating dtype that creation functions use when given none ({@code zeros}, {@code ones}, {@code full},
     * {@code rand}, {@code randn}, {@code linspace}, {@code eye}, {@code scalar}) and that integer inputs are promoted
     * to by float-only ops (division, {@code exp}, {@code mean}, ...): PyTorch's {@code torch.get_default_dtype()}.
     * Starts as the system property {@code kasane.dtype} ({@code F32} or {@code F64}) or {@link #F32}.
     */
    public static DType getDefault() {
        return Default.value;
    }

    /**
     * Sets the default floating dtype ({@code torch.set_default_dtype}); global, not per thread.
     *
     * @throws IllegalArgumentException if {@code dtype} is not F32 or F64
     */
    public static void setDefault(DType dtype) {
        Default.value = requireFloating("DType.setDefault", java.util.Objects.requireNonNull(dtype, "dtype"));
    }

    private static DType requireFloating(String op, DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(op + ": the default dtype must be F32 or F64, got " + dtype);
        }
        return dtype;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for F32 and F64, the float dtypes that ops compute in (false for the storage dtypes BF16 and F16). */
    public boolean isFloating() {
        return floating;
    }

    /** True for BF16 and F16, the 16-bit float storage dtypes (host type {@code short[]} holding the bits). */
    public boolean isHalf() {
        return this == BF16 || this == F16;
    }

    /**
     * Refuses the storage dtypes BF16 and F16 as the operand of an op that computes: the error names the op, the
     * operand (its shape, dtype and device) and the ways out. Every compute op of {@code NDArray} calls this; ops
     * written above it whose own paths would otherwise accept a 16-bit operand call it too.
     *
     * @param operand the operand's description ({@code NDArray.describe()})
     * @throws IllegalArgumentException if this dtype is BF16 or F16
     */
    public void requireComputable(String op, String operand) {
        if (isHalf()) {
            throw new IllegalArgumentException(op + ": " + this + " is a storage dtype and no op computes in it, got "
                    + operand + "; convert with toType(DType.F32), or pass it to linear or a convolution inside a "
                    + "dev.kasane.amp.Autocast scope");
        }
    }

    /** True for I32, I64 and U8 (not BOOL). */
    public boolean isInteger() {
        return this == I32 || this == I64 || this == U8;
    }

    /**
     * The result type of a binary op between two dtypes, following PyTorch's promotion
     * lattice: BOOL &lt; U8 &lt; I32 &lt; I64 &lt; BF16, F16 &lt; F32 &lt; F64, where BF16 with F16 gives F32.
     */
    public static DType promote(DType a, DType b) {
        if (a.isHalf() && b.isHalf() && a != b) {
            return F32;
        }
        return a.rank() >= b.rank() ? a : b;
    }

    private int rank() {
        switch (this) {
            case BOOL: return 0;
            case U8: return 1;
            case I32: return 2;
            case I64: return 3;
            case BF16: case F16: return 4;
            case F32: return 5;
            default: return 6;
        }
    }

    /**
     * The most elements a host array may have: the JVM refuses arrays of nearly {@code Integer.MAX_VALUE} elements
     * (the exact limit depends on the VM; this is the limit the JDK's own collections keep to).
     */
    public static final int MAX_HOST_LENGTH = Integer.MAX_VALUE - 8;

    /**
     * A new zeroed host array of this dtype's host type with {@code n} elements.
     *
     * @throws IllegalArgumentException if {@code n} is negative or above {@link #MAX_HOST_LENGTH}
     */
    public Object newHostArray(int n) {
        if (n < 0 || n > MAX_HOST_LENGTH) {
            throw new IllegalArgumentException("a " + this + " host array of " + n + " elements is impossible: a Java array "
                    + "holds 0 to " + MAX_HOST_LENGTH + " elements");
        }
        switch (this) {
            case F32: return new float[n];
            case F64: return new double[n];
            case I32: return new int[n];
            case I64: return new long[n];
            case BF16: case F16: return new short[n];
            default: return new byte[n];
        }
    }

    /**
     * The dtype whose host array type is the class of {@code hostArray}; {@code byte[]} gives U8 (BOOL shares it) and
     * {@code short[]} BF16 (F16 shares it).
     */
    static DType ofHostArray(Object hostArray) {
        if (hostArray instanceof float[]) return F32;
        if (hostArray instanceof double[]) return F64;
        if (hostArray instanceof int[]) return I32;
        if (hostArray instanceof long[]) return I64;
        if (hostArray instanceof byte[]) return U8;
        if (hostArray instanceof short[]) return BF16;
        throw new IllegalArgumentException("not a host array: " + (hostArray == null ? "null" : hostArray.getClass().getSimpleName()));
    }

    /** Number of elements in a host array of any supported type. */
    public static int hostLength(Object hostArray) {
        return java.lang.reflect.Array.getLength(hostArray);
    }
}
