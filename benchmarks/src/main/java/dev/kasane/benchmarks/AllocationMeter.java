package dev.kasane.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Bytes the Java heap handed out, summed over all threads (the caller's and the CPU backend's helpers), as JMH's
 * {@code -prof gc} counts them ({@code gc.alloc.rate.norm}): {@link Workloads} reports it per timed call, so that the
 * per-step garbage that drives the heap's growth (and the peak RSS) is measured beside the time.
 */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {
    }

    /** Whether this JVM counts allocated bytes per thread (HotSpot does unless told not to). */
    static boolean available() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /** Bytes allocated so far by the threads alive now (a thread that has ended no longer counts). */
    static long allocatedBytes() {
        long[] bytes = THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds());
        return Arrays.stream(bytes).filter(b -> b > 0).sum();
    }
}
