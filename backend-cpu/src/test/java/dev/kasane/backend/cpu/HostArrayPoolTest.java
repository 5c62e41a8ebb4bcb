package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.spi.Storage;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reuse of host arrays: same type and length only, zeroed, within the pool's capacity; recycled storage fails loudly. */
class HostArrayPoolTest {
    private static final int N = HostArrayPool.MIN_LENGTH;

    /** A clock the test moves. */
    private static final class Clock implements java.util.function.LongSupplier {
        long nanos;

        @Override
        public long getAsLong() {
            return nanos;
        }
    }

    private static HostArrayPool pool(long bytes) {
        return new HostArrayPool(bytes, new Clock(), false);
    }

    /** A pool of 1 MiB holding {@code a}. */
    private static HostArrayPool holding(Object a) {
        HostArrayPool pool = pool(1 << 20);
        pool.give(a);
        return pool;
    }

    @Test
    void givenArrayComesBackZeroedForTheSameTypeAndLength() {
        float[] a = new float[N];
        Arrays.fill(a, 7f);
        HostArrayPool pool = holding(a);
        assertEquals(4L * N, pool.heldBytes());
        assertNotSame(a, pool.take(DType.F32, N + 1));
        assertNotSame(a, pool.take(DType.I32, N));
        Object b = pool.take(DType.F32, N);
        assertSame(a, b);
        assertArrayEquals(new float[N], a, 0f);
        assertEquals(0, pool.heldBytes());
        assertNotSame(a, pool.take(DType.F32, N));
    }

    @Test
    void uninitializedTakeSkipsTheClear() {
        double[] a = new double[N];
        Arrays.fill(a, 3.0);
        assertSame(a, holding(a).takeUninitialized(DType.F64, N));
        assertEquals(3.0, a[N - 1], 0.0);
    }

    @Test
    void aFillingPoolHandsOutNaNs() {
        HostArrayPool pool = new HostArrayPool(4L * N * 8, new Clock(), true);
        double[] a = new double[N];
        pool.give(a);
        assertSame(a, pool.takeUninitialized(DType.F64, N));
        assertTrue(Arrays.stream(a).allMatch(Double::isNaN));
        float[] fresh = (float[]) pool.takeUninitialized(DType.F32, 10); // below MIN_LENGTH: new, filled too
        assertTrue(Float.isNaN(fresh[9]));
        long[] ints = (long[]) pool.takeUninitialized(DType.I64, 10);
        assertEquals(0x5A5A5A5A5A5A5A5AL, ints[0]);
    }

    @Test
    void smallArraysAndArraysBeyondTheCapacityAreNotKept() {
        HostArrayPool pool = pool(4L * N);
        pool.give(new float[N - 1]);
        assertEquals(0, pool.heldBytes());
        float[] kept = new float[N];
        pool.give(kept);
        pool.give(new float[N]);                              // full: the newer one is left to the collector
        assertEquals(4L * N, pool.heldBytes());
        assertSame(kept, pool.take(DType.F32, N));
        assertEquals(0, pool.heldBytes());
        HostArrayPool off = pool(0);
        off.give(new long[N]);
        assertEquals(0, off.heldBytes());
    }

    /** Takes of a shape the pool never holds, to pass operations. */
    private static void passOperations(HostArrayPool pool, long n) {
        for (long i = 0; i < n; i++) {
            pool.takeUninitialized(DType.I64, N + 1);
        }
    }

    @Test
    void arraysNobodyTookForTheIdleTimeAndOperationsAreDropped() {
        Clock clock = new Clock();
        HostArrayPool pool = new HostArrayPool(12L * N, clock, false);
        float[] early = new float[N];
        pool.give(early);                                     // at 0, operation 1
        passOperations(pool, HostArrayPool.IDLE_OPERATIONS + 5);
        clock.nanos = TimeUnit.SECONDS.toNanos(HostArrayPool.IDLE_SECONDS) - 1;
        int[] later = new int[N];
        pool.give(later);                                     // early has not idled long enough: both kept
        assertEquals(8L * N, pool.heldBytes());
        clock.nanos += 2;
        double[] wide = new double[N];
        pool.give(wide);                                      // early idled long enough: dropped, so wide (8N) fits
        assertEquals(12L * N, pool.heldBytes());
        clock.nanos += TimeUnit.SECONDS.toNanos(HostArrayPool.IDLE_SECONDS);
        passOperations(pool, HostArrayPool.IDLE_OPERATIONS - 5);   // time has passed, operations not yet
        assertEquals(12L * N, pool.heldBytes());
        assertSame(wide, pool.take(DType.F64, N));
        assertSame(later, pool.take(DType.I32, N));
        assertNotSame(early, pool.take(DType.F32, N));
        assertEquals(0, pool.heldBytes());
        long[] idle = new long[N];
        pool.give(idle);
        passOperations(pool, HostArrayPool.IDLE_OPERATIONS);
        assertEquals(8L * N, pool.heldBytes());               // operations passed, time not yet
        clock.nanos += TimeUnit.SECONDS.toNanos(HostArrayPool.IDLE_SECONDS);
        passOperations(pool, 1);                              // both passed: a take drops it
        assertEquals(0, pool.heldBytes());
    }

    @Test
    void recycledStorageIsReusedAndItsOldViewsFailLoudly() {
        CpuBackend backend = new CpuBackend();
        Storage s = backend.allocate(Device.CPU, DType.F32, N);
        float[] data = (float[]) ((CpuStorage) s).data();
        data[5] = 9f;
        backend.recycle(s);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ((CpuStorage) s).data());
        assertTrue(e.getMessage().contains("recycled"), e.getMessage());
        Storage again = backend.allocate(Device.CPU, DType.F32, N);
        assertSame(data, ((CpuStorage) again).data());
        // allocate's contents are unspecified: the reused array as it was, or NaN when the pool fills (the tests' setting)
        assertEquals(HostArrayPool.shared().fillsUninitialized() ? Float.NaN : 9f, data[5], 0f);
    }
}
