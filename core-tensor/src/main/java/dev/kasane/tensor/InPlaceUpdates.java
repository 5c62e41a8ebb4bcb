package dev.kasane.tensor;

import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.FusedUpdates;

/**
 * {@link NDArray}'s in-place updates that are more than one primitive: the fused multiply-adds
 * ({@code addInPlace(other, alpha)}, {@code addcmulInPlace}, {@code addcdivInPlace}), which use a backend's
 * {@link FusedUpdates} kernel when it has one and the composed ops, rounded the same way, when it has not; and
 * {@code clampInPlace}'s bounds for integer dtypes.
 */
final class InPlaceUpdates {
    private InPlaceUpdates() {
    }

    /** {@code self += value * a * b} ({@code b} null: {@code self += value * a}); returns self. */
    static NDArray addcmul(String op, NDArray self, NDArray a, NDArray b, double value) {
        Checks.fusedInPlace(op, self, a, b);
        NDArray ea = expanded(self, a);
        NDArray eb = b == null ? null : expanded(self, b);
        FusedUpdates k = self.storage().backend().extension(FusedUpdates.class);
        if (k == null || !k.addcmul(self, ea, eb, value)) {
            NDArray t = eb == null ? ea.binary(BinaryOp.MUL, value) : ea.binary(BinaryOp.MUL, eb);
            if (eb != null && value != 1) {
                t.binaryInPlace(BinaryOp.MUL, value);
            }
            self.storage().backend().binary(BinaryOp.ADD, self, t, self);
        }
        self.storage().bumpVersion();
        return self;
    }

    /** {@code self += value * a / b}; returns self. */
    static NDArray addcdiv(NDArray self, NDArray a, NDArray b, double value) {
        Checks.fusedInPlace("addcdivInPlace", self, a, b);
        NDArray ea = expanded(self, a);
        NDArray eb = expanded(self, b);
        FusedUpdates k = self.storage().backend().extension(FusedUpdates.class);
        if (k == null || !k.addcdiv(self, ea, eb, value)) {
            NDArray t = ea.binary(BinaryOp.DIV, eb);
            if (value != 1) {
                t.binaryInPlace(BinaryOp.MUL, value);
            }
            self.storage().backend().binary(BinaryOp.ADD, self, t, self);
        }
        self.storage().bumpVersion();
        return self;
    }

    /** {@code o} expanded to self's shape; copied first if it shares self's storage (the update writes it). */
    private static NDArray expanded(NDArray self, NDArray o) {
        return (o.sharesStorageWith(self) ? o.copy() : o).expand(self.layout().shape());
    }

    /** {@link NDArray#clampInPlace}: integer arrays round the bounds inward and keep them inside the dtype's range. */
    static NDArray clamp(NDArray self, double min, double max) {
        String op = "clampInPlace";
        if (min > max) {
            throw new IllegalArgumentException(op + ": min " + min + " is greater than max " + max + " for " + self.describe());
        }
        DType dtype = self.dtype();
        if (dtype == DType.BOOL) {
            throw new IllegalArgumentException(op + ": not supported on BOOL arrays, got " + self.describe());
        }
        double lo = min;
        double hi = max;
        if (!dtype.isFloating()) {
            double typeMin = dtype == DType.U8 ? 0 : dtype == DType.I32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
            double typeMax = dtype == DType.U8 ? 255 : dtype == DType.I32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
            lo = Math.min(Math.max(Math.ceil(min), typeMin), typeMax);
            hi = Math.max(Math.min(Math.floor(max), typeMax), typeMin);
            if (lo > hi) {
                return self.fillInPlace(hi);
            }
        }
        if (lo != Double.NEGATIVE_INFINITY) {
            self.binaryInPlace(op, BinaryOp.MAXIMUM, NDArray.scalar(lo, dtype, self.device()));
        }
        if (hi != Double.POSITIVE_INFINITY) {
            self.binaryInPlace(op, BinaryOp.MINIMUM, NDArray.scalar(hi, dtype, self.device()));
        }
        return self;
    }
}
