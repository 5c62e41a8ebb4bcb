package dev.kasane.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A pool of daemon worker threads that runs numbered tasks. The calling thread takes part, so a pool of
 * {@code n} threads keeps {@code n - 1} workers. How work is cut into tasks never depends on the thread count
 * (callers cut by problem size), so results are the same for every thread count.
 *
 * <p>The shared instance has {@code Runtime.availableProcessors()} threads unless the system property
 * {@code kasane.cpu.threads} says otherwise.
 */
final class Parallel {
    private static volatile Parallel shared;

    private final int threads;
    private volatile ForkJoinPool pool;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: thread count must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    /** The process-wide pool used by the default {@link CpuBackend}. */
    static Parallel shared() {
        Parallel p = shared;
        if (p == null) {
            synchronized (Parallel.class) {
                if (shared == null) {
                    shared = new Parallel(configuredThreads());
                }
                p = shared;
            }
        }
        return p;
    }

    static int configuredThreads() {
        String prop = System.getProperty("kasane.cpu.threads");
        if (prop == null || prop.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return Math.max(1, Integer.parseInt(prop.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cpu backend: bad value '" + prop + "' for system property kasane.cpu.threads", e);
        }
    }

    int threads() {
        return threads;
    }

    /** Number of tasks to cut {@code work} items into so that each task has at least about {@code grain} items. */
    static int tasksFor(long work, long grain, int maxTasks) {
        if (work <= grain) {
            return 1;
        }
        return (int) Math.min(maxTasks, (work + grain - 1) / grain);
    }

    /** Runs {@code task.accept(i)} for {@code i} in {@code [0, count)}, in parallel when it pays off. */
    void run(int count, IntConsumer task) {
        if (count <= 0) {
            return;
        }
        if (count == 1 || threads == 1 || isOwnWorker()) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        ForkJoinPool p = pool();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                try {
                    task.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        int helpers = Math.min(threads, count) - 1;
        ForkJoinTask<?>[] started = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            started[h] = p.submit(worker);
        }
        worker.run();
        for (ForkJoinTask<?> f : started) {
            f.join();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException("cpu backend: task failed", t);
        }
    }

    private boolean isOwnWorker() {
        Thread t = Thread.currentThread();
        return t instanceof ForkJoinWorkerThread && ((ForkJoinWorkerThread) t).getPool() == pool;
    }

    private ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (this) {
                if (pool == null) {
                    AtomicInteger ids = new AtomicInteger();
                    pool = new ForkJoinPool(threads - 1 == 0 ? 1 : threads - 1, fj -> {
                        ForkJoinWorkerThread w = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
                        w.setName("kasane-cpu-" + ids.incrementAndGet());
                        w.setDaemon(true);
                        return w;
                    }, null, false);
                }
                p = pool;
            }
        }
        return p;
    }
}
