package dev.kasane.autograd;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;

/** Deterministic test inputs. */
final class TestTensors {
    private static final Generator GEN = new Generator(1234);

    private TestTensors() {
    }

    /** Standard-normal F64 leaf requiring grad. */
    static Tensor randn(int... shape) {
        return Tensor.of(NDArray.normal(GEN, 0, 1, DType.F64, Device.getDefault(), shape), true);
    }

    /** Uniform F64 leaf in [lo, hi) requiring grad. */
    static Tensor uniform(double lo, double hi, int... shape) {
        return Tensor.of(NDArray.uniform(GEN, lo, hi, DType.F64, Device.getDefault(), shape), true);
    }

    /** A non-contiguous leaf: the transpose of a [b, a] array, so the given shape is [a, b]. */
    static Tensor randnT(int a, int b) {
        return Tensor.of(NDArray.normal(GEN, 0, 1, DType.F64, Device.getDefault(), b, a).transpose(0, 1), true);
    }

    /** Standard-normal F64 constant (no grad). */
    static Tensor constant(int... shape) {
        return Tensor.of(NDArray.normal(GEN, 0, 1, DType.F64, Device.getDefault(), shape));
    }

    static Tensor f64(double... v) {
        return Tensor.of(NDArray.of(v), true);
    }

    static Tensor longs(long[] v, int... shape) {
        return Tensor.of(v, shape);
    }
}
