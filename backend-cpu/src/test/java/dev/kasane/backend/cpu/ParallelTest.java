package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The thread pool and the coalescing iteration. */
class ParallelTest {
    @Test
    void runsEveryTaskExactlyOnceAndPropagatesFailures() {
        Parallel par = new Parallel(3);
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        par.run(100, hits::incrementAndGet);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, hits.get(i));
        }
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> par.run(10, i -> {
            if (i == 7) {
                throw boom;
            }
        }));
        assertSame(boom, e);
        // nested use from a worker runs inline instead of deadlocking
        AtomicIntegerArray nested = new AtomicIntegerArray(16);
        par.run(4, i -> par.run(4, j -> nested.incrementAndGet(i * 4 + j)));
        for (int i = 0; i < 16; i++) {
            assertEquals(1, nested.get(i));
        }
    }

    /**
     * What {@code mvn exec:java} does when the program ends: interrupt every thread it started and wait for it (15 s).
     * Idle helpers are daemons that end when interrupted, and the next job starts new ones.
     */
    @Test
    void helpersAreDaemonsThatEndWhenInterruptedAndAreReplaced() {
        Parallel par = new Parallel(3);
        par.run(8, i -> { });
        List<Thread> helpers = par.helperThreads();
        assertEquals(2, helpers.size());
        for (Thread t : helpers) {
            assertTrue(t.isDaemon(), t.getName());
            t.interrupt();
        }
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (Thread t : helpers) {
                t.join();
            }
        }, "interrupted helpers end");
        // the next job runs every task, on new helpers
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        par.run(64, i -> {
            ran.add(Thread.currentThread());
            hits.incrementAndGet(i);
            LockSupport.parkNanos(1_000_000);
        });
        for (int i = 0; i < 64; i++) {
            assertEquals(1, hits.get(i));
        }
        List<Thread> fresh = par.helperThreads();
        assertEquals(2, fresh.size());
        for (Thread t : fresh) {
            assertTrue(t.isAlive() && !helpers.contains(t), t.getName());
        }
    }

    @Test
    void coalescingMergesContiguousAndBroadcastDims() {
        View dst = View.contiguous(new float[60], DType.F32, 3, 4, 5);
        View same = View.contiguous(new float[60], DType.F32, 3, 4, 5);
        Iteration.Plan p = Iteration.elementwise(dst.shape, dst, same);
        assertArrayEquals(new int[] {60}, p.shape);
        // scalar broadcast: all strides 0 merge too
        View scalar = new View(new float[1], DType.F32, 0, new int[] {3, 4, 5}, new int[] {0, 0, 0});
        p = Iteration.elementwise(dst.shape, dst, scalar);
        assertArrayEquals(new int[] {60}, p.shape);
        assertEquals(0, p.innerStride(1));
        // row broadcast [1,5] -> [3,4,5] keeps an inner run of 5
        View row = new View(new float[5], DType.F32, 0, new int[] {3, 4, 5}, new int[] {0, 0, 1});
        p = Iteration.elementwise(dst.shape, dst, row);
        assertArrayEquals(new int[] {12, 5}, p.shape);
        // a flipped destination is walked forwards
        View flipped = new View(new float[60], DType.F32, 59, new int[] {60}, new int[] {-1});
        p = Iteration.elementwise(flipped.shape, flipped, same.withStrides(new int[] {1}));
        assertEquals(1, p.innerStride(0));
        assertEquals(0, p.base[0]);
    }

    @Test
    void forRangeVisitsExactlyTheRequestedElements() {
        View v = new View(new float[200], DType.F32, 3, new int[] {4, 3, 5}, new int[] {40, -12, 2});
        Iteration.Plan p = Iteration.ordered(v.shape, new int[][] {v.strides}, new int[] {v.offset + 24});
        java.util.List<Integer> all = new java.util.ArrayList<>();
        Iteration.forRange(p, 0, p.numel, (off, n) -> {
            for (int i = 0; i < n; i++) {
                all.add(off[0] + i * p.innerStride(0));
            }
        });
        java.util.List<Integer> pieces = new java.util.ArrayList<>();
        for (int lo = 0; lo < p.numel; lo += 7) {
            Iteration.forRange(p, lo, Math.min(p.numel, lo + 7), (off, n) -> {
                for (int i = 0; i < n; i++) {
                    pieces.add(off[0] + i * p.innerStride(0));
                }
            });
        }
        assertEquals(60, all.size());
        assertEquals(all, pieces);
        assertEquals(27, (int) all.get(0));
        assertEquals(27 + 3 * 40 + 2 * -12 + 4 * 2, (int) all.get(59));
    }
}
