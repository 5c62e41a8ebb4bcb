package dev.kasane.backend.cpu;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A pool of daemon helper threads that runs numbered tasks. The calling thread takes part, so a pool of
 * {@code n} threads keeps {@code n - 1} helpers. How work is cut into tasks never depends on the thread count
 * (callers cut by problem size), so results are the same for every thread count.
 *
 * <p>Training steps issue hundreds of parallel ops of tens of microseconds each, so dispatch must cost far less than
 * that: an idle helper waits for the next job for {@code kasane.cpu.spinMicros} (default 200) microseconds, spinning
 * and then yielding its core, before it parks, as OpenMP runtimes do. The property is read after every job, so it can
 * change at run time (the OpenCL backend sets it to 0 when native code could take the JVM's signals: see its docs). (A fork-join pool, whose workers park at once, cost about 20 us per op here: more
 * than LeNet-5's small ops themselves.) One job runs at a time: a call from another thread while a job runs, or from
 * inside a task, runs its tasks on the calling thread.
 *
 * <p>The shared instance has {@code Runtime.availableProcessors()} threads unless the system property
 * {@code kasane.cpu.threads} says otherwise.
 */
final class Parallel {
    /** The system property with the idle helpers' wait in microseconds, read again after every job. */
    static final String SPIN_PROPERTY = "kasane.cpu.spinMicros";
    private static final long YIELD_AFTER_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static volatile Parallel shared;

    private final int threads;
    /** Held by the thread whose job is running. */
    private final ReentrantLock running = new ReentrantLock();
    /** The running job, or null; helpers tell a new one from the one they have done by its sequence number. */
    private volatile Job job;
    private long jobs;
    private Helper[] helpers;
    /** Set by a helper that ends, so that the next job replaces it. */
    private volatile boolean helperEnded;

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
        if (count == 1 || threads == 1 || Thread.currentThread() instanceof Helper || running.isHeldByCurrentThread()
                || !running.tryLock()) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        Job j;
        try {
            j = new Job(++jobs, count, task);
            job = j;
            for (Helper h : helpers()) {
                if (h.parked) {
                    LockSupport.unpark(h);
                }
            }
            j.work();
            for (long since = System.nanoTime(); j.done.get() < count; ) {
                idle(since);
            }
        } finally {
            job = null; // drop the task (and the arrays it holds) at once
            running.unlock();
        }
        Throwable t = j.failure.get();
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

    /**
     * One turn of a wait that began at {@code since}: a pause instruction for the first microseconds, then a yield of
     * the core, so that the JIT compiler and GC threads run while helpers wait (on two cores, pure spinning starved C2
     * and left steps running in the interpreter's code for seconds).
     */
    private static void idle(long since) {
        if (System.nanoTime() - since < YIELD_AFTER_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** How long an idle helper waits before it parks: {@value #SPIN_PROPERTY} (microseconds, default 200). */
    static long spinNanos() {
        return TimeUnit.MICROSECONDS.toNanos(Math.max(0, Long.getLong(SPIN_PROPERTY, 200)));
    }

    /** The helpers, started on first use; one that has ended (see {@link Helper}) is replaced. */
    private Helper[] helpers() {
        if (helpers == null) {
            helpers = new Helper[threads - 1];
            helperEnded = true;
        }
        if (helperEnded) {
            helperEnded = false;
            for (int i = 0; i < helpers.length; i++) {
                if (helpers[i] == null || helpers[i].ended) {
                    helpers[i] = new Helper();
                    helpers[i].start();
                }
            }
        }
        return helpers;
    }

    /** The helper threads as they are now (for tests). */
    List<Thread> helperThreads() {
        running.lock();
        try {
            return helpers == null ? List.of() : List.<Thread>of(helpers);
        } finally {
            running.unlock();
        }
    }

    /** One call's tasks, taken one at a time by the caller and the helpers; a failure skips the tasks not yet begun. */
    private static final class Job {
        final long seq;
        final int count;
        final IntConsumer task;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(long seq, int count, IntConsumer task) {
            this.seq = seq;
            this.count = count;
            this.task = task;
        }

        void work() {
            int i;
            while ((i = next.getAndIncrement()) < count) {
                try {
                    if (failure.get() == null) {
                        task.accept(i);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    /**
     * Takes part in each new job; waits ({@link #idle}) for {@link #spinNanos} after one, then parks until the next.
     * Interrupted while parked (as {@code mvn exec:java} does to the threads of a finished program), it ends, and
     * the next job starts another in its place.
     */
    private final class Helper extends Thread {
        volatile boolean parked;
        volatile boolean ended;

        Helper() {
            super("kasane-cpu-" + IDS.incrementAndGet());
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            long idleSince = System.nanoTime();
            long spin = spinNanos();
            while (true) {
                Job j = job;
                if (j != null && j.seq != seen) {
                    seen = j.seq;
                    j.work();
                    idleSince = System.nanoTime();
                    spin = spinNanos();
                } else if (System.nanoTime() - idleSince < spin) {
                    idle(idleSince);
                } else {
                    parked = true;
                    Job again = job; // re-read after publishing parked: the caller reads parked after publishing job
                    if (again == null || again.seq == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    if (Thread.interrupted()) {
                        ended = true;
                        helperEnded = true;
                        return;
                    }
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
