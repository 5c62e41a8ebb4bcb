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
import org.junit.jupiter.api.Test;

/** Reuse of host arrays: same type and length only, zeroed, within the pool's capacity; recycled storage fails loudly. */
class HostArrayPoolTest {
    private static final int N = HostArrayPool.MIN_LENGTH;

    /** A pool of 1 MiB holding {@code a}. */
    private static HostArrayPool holding(Object a) {
        HostArrayPool pool = new HostArrayPool(1 << 20);
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
    void smallArraysAndArraysBeyondTheCapacityAreNotKept() {
        HostArrayPool pool = new HostArrayPool(4L * N);
        pool.give(new float[N - 1]);
        pool.give(new float[N + 1]);
        assertEquals(0, pool.heldBytes());
        HostArrayPool off = new HostArrayPool(0);
        off.give(new long[N]);
        assertEquals(0, off.heldBytes());
    }

    @Test
    void aFullPoolDropsTheArraysGivenBackLongestAgo() {
        HostArrayPool pool = new HostArrayPool(12L * N);
        float[] oldest = new float[N];
        int[] older = new int[N];
        float[] newer = new float[N];
        pool.give(oldest);
        pool.give(older);
        pool.give(newer);
        assertEquals(12L * N, pool.heldBytes());
        assertSame(older, pool.take(DType.I32, N));           // taking one frees its room ...
        int[] latest = new int[N];
        pool.give(latest);                                     // ... so this fits without dropping anything
        assertEquals(12L * N, pool.heldBytes());
        double[] wide = new double[N];                         // 8N bytes: the two kept longest ago (oldest, newer) go
        pool.give(wide);
        assertEquals(12L * N, pool.heldBytes());
        assertSame(wide, pool.take(DType.F64, N));
        assertSame(latest, pool.take(DType.I32, N));
        Object f = pool.take(DType.F32, N);
        assertTrue(f != oldest && f != newer, "dropped arrays are not handed out");
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
        assertEquals(0f, data[5], 0f);
    }
}
