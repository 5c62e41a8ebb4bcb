package dev.kasane.data;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The background threads of a {@link DataLoader}: up to {@code size} daemon threads running submitted tasks in order
 * of submission.
 *
 * <p>Unlike a {@code ThreadPoolExecutor}, a thread ends when it is interrupted while idle, or after running a task
 * during which it was interrupted by anything but the task's own cancellation (as {@code mvn exec:java} does to every
 * thread it started when the program ends), and after {@code keepAliveMillis} without work, so the threads of a
 * loader that is never closed end without a cleaner thread. A later {@link #submit} starts new threads as needed.
 */
final class WorkerPool {
    private final String name;
    private final int size;
    private final long keepAliveMillis;
    private final ArrayDeque<FutureTask<?>> queue = new ArrayDeque<>();
    /** Submitted tasks that have not finished: queued, or taken by a thread. */
    private final Set<FutureTask<?>> unfinished = new HashSet<>();
    private final Set<Thread> threads = new HashSet<>();
    private int idle;
    private boolean shutdown;
    private int started;

    /**
     * @param name the threads are named {@code name-1}, {@code name-2}, ...
     * @param size the most threads at once
     * @param keepAliveMillis how long an idle thread waits for work before it ends
     */
    WorkerPool(String name, int size, long keepAliveMillis) {
        this.name = name;
        this.size = size;
        this.keepAliveMillis = keepAliveMillis;
    }

    /**
     * Queues {@code task}, waking an idle thread or starting one (up to {@code size}) for it.
     *
     * @throws RejectedExecutionException after {@link #shutdownNow}
     */
    synchronized <T> Future<T> submit(Callable<T> task) {
        if (shutdown) {
            throw new RejectedExecutionException(name + ": shut down");
        }
        FutureTask<T> f = new FutureTask<>(task);
        queue.add(f);
        unfinished.add(f);
        if (idle > 0) {
            notify();
        }
        startThreadsForQueue();
        return f;
    }

    /**
     * Refuses further tasks, cancels every unfinished one (a waiting {@code get()} then throws
     * {@code CancellationException} at once) and interrupts the threads running them. Returns without waiting: a
     * thread busy in code that ignores interrupts ends when that code returns.
     */
    synchronized void shutdownNow() {
        shutdown = true;
        for (FutureTask<?> f : unfinished) {
            f.cancel(true);
        }
        unfinished.clear();
        queue.clear();
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    /** Starts threads while queued tasks outnumber the idle threads and fewer than {@code size} run. */
    private void startThreadsForQueue() {
        while (!shutdown && queue.size() > idle && threads.size() < size) {
            Thread t = new Thread(this::work, name + "-" + (++started));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void work() {
        Thread self = Thread.currentThread();
        FutureTask<?> task;
        while ((task = next()) != null) {
            task.run();
            synchronized (this) {
                unfinished.remove(task);
            }
            // an interrupt meant for the task (its cancellation) is spent; any other one ends the thread
            if (Thread.interrupted() && !task.isCancelled()) {
                break;
            }
        }
        synchronized (this) {
            threads.remove(self);
            startThreadsForQueue(); // tasks queued while this thread was counted as running get another
        }
    }

    /** The next task, or null when the thread should end (shut down, interrupted, or idle for the keep-alive). */
    private synchronized FutureTask<?> next() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
        while (!shutdown && queue.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            idle++;
            try {
                wait(left);
            } catch (InterruptedException e) {
                return null;
            } finally {
                idle--;
            }
        }
        return shutdown ? null : queue.poll();
    }
}
