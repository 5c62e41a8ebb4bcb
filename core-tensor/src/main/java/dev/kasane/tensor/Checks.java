package dev.kasane.tensor;

import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.Objects;

/**
 * The argument checks of {@link NDArray}'s ops. Each throws {@link IllegalArgumentException} whose message names the
 * op and the shapes, dtypes and devices involved, before anything is allocated or written.
 */
final class Checks {
    private Checks() {
    }

    static void checkSameDevice(String op, NDArray a, NDArray b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": arrays are on different devices: " + a.describe() + " and " + b.describe()
                    + "; move one with to(Device)");
        }
    }

    /**
     * Refuses the storage dtypes BF16 and F16 ({@link DType#isHalf()}) as operands of an op that computes: the one
     * place that keeps every op from running on them.
     */
    static void requireComputable(String op, NDArray... arrays) {
        for (NDArray a : arrays) {
            a.dtype().requireComputable(op, a.describe());
        }
    }

    static void requireFloat(String op, NDArray a) {
        requireComputable(op, a);
        if (!a.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expects a float array (F32 or F64), got " + a.describe());
        }
    }

    static void requireFloatDType(String op, DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(op + ": dtype must be F32 or F64, got " + dtype);
        }
    }

    static void requireIndex(String op, NDArray index) {
        if (index.dtype() != DType.I64 && index.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": index must be an integer array (I64 or I32), got " + index.describe());
        }
    }

    /** Refuses anything but a one-element array (for reading its single value). */
    static void oneElement(String op, NDArray a) {
        if (a.numel() != 1) {
            throw new IllegalArgumentException(op + ": array must have exactly one element, got " + a.describe());
        }
    }

    private static void requireBool(String op, String role, NDArray a) {
        if (a.dtype() != DType.BOOL) {
            throw new IllegalArgumentException(op + ": " + role + " must be BOOL, got " + a.describe());
        }
    }

    /** {@link NDArray#where}: a BOOL condition, all on one device; returns the shape all three broadcast to. */
    static int[] where(NDArray cond, NDArray a, NDArray b) {
        String op = "where";
        checkSameDevice(op, cond, a);
        checkSameDevice(op, cond, b);
        requireBool(op, "condition", cond);
        return Shapes.broadcast(op, () -> cond.describe() + ", " + a.describe() + ", " + b.describe(), cond.layout().shape(),
                a.layout().shape(), b.layout().shape());
    }

    /** {@link NDArray#maskedFill}: a BOOL mask on the array's device that broadcasts to its shape. */
    static void maskedFill(NDArray a, NDArray mask) {
        String op = "maskedFill";
        checkSameDevice(op, a, mask);
        requireBool(op, "mask", mask);
        requireBroadcastsTo(op, a, "mask ", mask);
    }

    /**
     * The dtype {@code a op b} computes in: the promoted dtype, BOOL for logical ops, the default dtype for a division
     * of integers; arithmetic on BOOL is refused.
     */
    static DType binaryType(String op, BinaryOp bop, NDArray a, NDArray b) {
        requireComputable(op, a, b);
        DType t = DType.promote(a.dtype(), b.dtype());
        if (bop.isLogical()) {
            return DType.BOOL;
        } else if (bop == BinaryOp.DIV && !t.isFloating()) {
            return DType.getDefault();
        } else if (t == DType.BOOL && !bop.isComparison()) {
            throw new IllegalArgumentException(op + ": arithmetic on BOOL arrays is not supported (" + a.describe() + " and "
                    + b.describe() + "); convert with toType first");
        }
        return t;
    }

    /** The array a unary {@code uop} reads: integer arrays promoted to the default dtype for float-only ops. */
    static NDArray unaryInput(String op, UnaryOp uop, NDArray a) {
        requireComputable(op, a);
        if (!uop.acceptsIntegers() && !a.dtype().isFloating()) {
            return a.toType(DType.getDefault());
        } else if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + ": not supported on BOOL arrays, got " + a.describe());
        }
        return a;
    }

    /** Refuses a broadcast view (a stride-0 dim of size above 1) as the target of a write. */
    static void checkWritable(String op, NDArray a) {
        Layout l = a.layout();
        for (int i = 0; i < l.shape().length; i++) {
            if (l.strides()[i] == 0 && l.shape()[i] > 1) {
                throw new IllegalArgumentException(op + ": cannot write into a broadcast view " + a.describe()
                        + " (stride 0 at dimension " + i + "); make it contiguous first");
            }
        }
    }

    /** Checks that {@code o} (described with the prefix {@code role}) broadcasts to exactly {@code target}'s shape. */
    static void requireBroadcastsTo(String op, NDArray target, String role, NDArray o) {
        int[] shape = target.layout().shape();
        int[] s = Shapes.broadcast(op, () -> target.describe() + ", " + role + o.describe(), shape, o.layout().shape());
        if (!Arrays.equals(s, shape)) {
            throw new IllegalArgumentException(op + ": " + role + o.describe() + " does not broadcast to " + target.describe());
        }
    }

    /** {@link NDArray#binaryInPlace}: {@code self op other} must be storable in {@code self}, other broadcast to it. */
    static void binaryInPlace(String op, BinaryOp bop, NDArray self, NDArray other) {
        checkWritable(op, self);
        checkSameDevice(op, self, other);
        requireComputable(op, self, other);
        DType dtype = self.dtype();
        if (bop == BinaryOp.DIV && !dtype.isFloating()) {
            throw new IllegalArgumentException(op + ": true division in place needs a float array, got " + self.describe());
        }
        if (dtype == DType.BOOL) {
            throw new IllegalArgumentException(op + ": arithmetic on BOOL arrays is not supported, got " + self.describe());
        }
        DType t = DType.promote(dtype, other.dtype());
        if (t != dtype) {
            throw new IllegalArgumentException(op + ": result type " + t + " of " + self.describe() + " and " + other.describe()
                    + " cannot be stored in " + dtype);
        }
        requireBroadcastsTo(op, self, "", other);
    }

    /** A fused in-place update of float {@code self} by {@code a} (and {@code b}, if not null) of its dtype. */
    static void fusedInPlace(String op, NDArray self, NDArray a, NDArray b) {
        checkWritable(op, self);
        requireFloat(op, self);
        for (NDArray o : b == null ? new NDArray[] {a} : new NDArray[] {a, b}) {
            Objects.requireNonNull(o, op + ": operand");
            checkSameDevice(op, self, o);
            requireComputable(op, o);
            if (o.dtype() != self.dtype()) {
                throw new IllegalArgumentException(op + ": operand " + o.describe() + " must have the dtype of "
                        + self.describe());
            }
            requireBroadcastsTo(op, self, "", o);
        }
    }

    /** {@link NDArray#reduce}: extremes and indices refuse an empty reduced dim (or an empty 0-d array). */
    static void reducible(String op, ReduceOp rop, NDArray a, boolean[] mask) {
        requireComputable(op, a);
        if (rop.kind() == ReduceOp.Kind.EXTREMUM || rop.kind() == ReduceOp.Kind.INDEX) {
            int[] shape = a.layout().shape();
            for (int d = 0; d < shape.length; d++) {
                if (mask[d] && shape[d] == 0) {
                    throw new IllegalArgumentException(op + ": cannot reduce over dimension " + d + " of size 0 in "
                            + a.describe());
                }
            }
        }
    }

    /** {@link NDArray#matmul}: float operands of one dtype and device, at least 1-D, with matching inner sizes. */
    static void matmul(String op, NDArray a, NDArray b) {
        checkSameDevice(op, a, b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException(op + ": both arguments need at least 1 dim, got " + a.describe() + " and "
                    + b.describe());
        }
        requireComputable(op, a, b);
        if (a.dtype() != b.dtype() || !a.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expects two F32 or two F64 arrays, got " + a.describe() + " and "
                    + b.describe());
        }
        int k = a.size(-1);
        int bk = b.size(b.dim() == 1 ? 0 : -2);
        if (bk != k) {
            throw new IllegalArgumentException(op + ": inner dimensions differ: " + a.describe() + " @ " + b.describe()
                    + " (" + k + " vs " + bk + ")");
        }
    }

    /** {@link NDArray#bmm}: {@code [B, M, K]} and {@code [B, K, N]} on one device. */
    static void bmm(NDArray a, NDArray b) {
        checkSameDevice("bmm", a, b);
        int[] sa = a.layout().shape();
        int[] sb = b.layout().shape();
        if (sa.length != 3 || sb.length != 3 || sa[0] != sb[0] || sa[2] != sb[1]) {
            throw new IllegalArgumentException("bmm: expects [B, M, K] and [B, K, N], got " + a.describe() + " and "
                    + b.describe());
        }
    }

    /** {@link NDArray#gather}: an integer index of the source's rank, no larger than it off {@code dim}; returns dim. */
    static int gather(NDArray a, int dim, NDArray index) {
        String op = "gather";
        checkSameDevice(op, a, index);
        requireIndex(op, index);
        int[] shape = a.layout().shape();
        int[] is = index.layout().shape();
        int d = Shapes.dim(op, dim, shape.length, a::describe);
        if (is.length != shape.length && !(shape.length == 0 && is.length <= 1)) {
            throw new IllegalArgumentException(op + ": index " + index.describe() + " must have the same number of dims as "
                    + a.describe());
        }
        for (int i = 0; i < is.length; i++) {
            if (i != d && is[i] > shape[i]) {
                throw new IllegalArgumentException(op + ": index " + index.describe() + " is larger than " + a.describe()
                        + " at dimension " + i);
            }
        }
        return d;
    }

    /** {@link NDArray#scatterAddInPlace}: index no larger than src, nor than the target off {@code dim}; returns dim. */
    static int scatterAdd(String op, NDArray a, int dim, NDArray index, NDArray src) {
        checkWritable(op, a);
        checkSameDevice(op, a, index);
        checkSameDevice(op, a, src);
        requireIndex(op, index);
        requireComputable(op, a, src);
        if (src.dtype() != a.dtype()) {
            throw new IllegalArgumentException(op + ": src " + src.describe() + " must have the dtype of " + a.describe());
        }
        int[] shape = a.layout().shape();
        int[] is = index.layout().shape();
        int[] ss = src.layout().shape();
        int d = Shapes.dim(op, dim, shape.length, a::describe);
        if (is.length != shape.length || ss.length != shape.length) {
            throw new IllegalArgumentException(op + ": index " + index.describe() + " and src " + src.describe()
                    + " must have the same number of dims as " + a.describe());
        }
        for (int i = 0; i < is.length; i++) {
            if (is[i] > ss[i] || (i != d && is[i] > shape[i])) {
                throw new IllegalArgumentException(op + ": index " + index.describe() + " is larger than src "
                        + src.describe() + " or " + a.describe() + " at dimension " + i);
            }
        }
        return d;
    }

    /**
     * {@link NDArray#indexSelect}: a 0-D or 1-D integer index; for an array of at least one dim, returns the dim,
     * which must not be empty if the index is not.
     */
    static int indexSelect(String op, NDArray a, int dim, NDArray index) {
        checkSameDevice(op, a, index);
        requireIndex(op, index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be 0-D or 1-D, got " + index.describe());
        }
        int[] shape = a.layout().shape();
        if (shape.length == 0) {
            return 0;
        }
        int d = Shapes.dim(op, dim, shape.length, a::describe);
        if (shape[d] == 0 && index.numel() > 0) {
            throw new IllegalArgumentException(op + ": index out of range for dimension " + dim + " of size 0 in "
                    + a.describe());
        }
        return d;
    }
}
