package dev.kasane.tensor;

import java.util.function.IntFunction;

/**
 * Allocation of an array's elements, on a device or on the Java heap, under the name of the op that asked for them:
 * the element count is checked ({@link Shapes#numel}), and a failure (a size the device or the JVM cannot hold, or
 * memory running out) becomes an exception naming the op, shape, dtype, device and bytes instead of a bare
 * {@link OutOfMemoryError}. A failed allocation holds no memory, so catching the error leaves the JVM usable.
 */
final class Allocation {
    private Allocation() {
    }

    /**
     * Runs {@code allocate} with the element count of {@code shape}.
     *
     * @throws IllegalArgumentException if the shape is invalid or too large for the device or the JVM
     * @throws IllegalStateException if memory ran out
     */
    static <T> T of(String op, DType dtype, Device device, int[] shape, IntFunction<T> allocate) {
        int n = Shapes.numel(op, shape);
        try {
            return allocate.apply(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what(op, dtype, device, shape, n) + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(what(op, dtype, device, shape, n) + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException(what(op, dtype, device, shape, n) + "the Java heap (at most "
                    + Runtime.getRuntime().maxMemory() + " bytes, set with -Xmx) is exhausted: " + e.getMessage(), e);
        }
    }

    private static String what(String op, DType dtype, Device device, int[] shape, int n) {
        return op + ": cannot allocate " + Shapes.str(shape) + " " + dtype + " on " + device + " (" + n + " elements, "
                + (long) n * dtype.byteSize() + " bytes): ";
    }
}
