package dev.kasane.data;

import dev.kasane.tensor.Generator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Iterates over a {@link Dataset} in batches (PyTorch's {@code DataLoader}): optionally shuffled, with the last
 * partial batch kept or dropped, each batch made by a collate function (by default {@link Collate#stack()}, which
 * gives a {@link Batch}), and optionally loaded ahead by background worker threads.
 *
 * <pre>{@code
 * try (var loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).numWorkers(2).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         for (Batch batch : loader) {
 *             Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Each call to {@link #iterator()} starts an epoch. With shuffling, the epoch's permutation is
 * drawn from the loader's own {@link Generator} (seeded with {@link Builder#seed(long)}, or from the global
 * generator when no seed is given), so successive epochs are shuffled differently, and the sequence of epochs is the
 * same for a given seed whatever the number of workers: batches are always delivered in order.
 *
 * <p><b>Workers.</b> With {@code numWorkers > 0}, batches are loaded on up to that many daemon threads, at most
 * {@code numWorkers * prefetchFactor} batches ahead of the consumer. The dataset must allow concurrent {@code get}
 * calls. An exception thrown while loading a batch is rethrown from the iterator's {@code next()} as a
 * {@link DataLoaderException} whose cause is the original exception; the iteration then ends. Starting a new epoch
 * cancels the prefetching of the previous one (an abandoned iterator still works, but loads on demand).
 *
 * <p><b>Closing.</b> {@link #close()} (try-with-resources) may be called from any thread: it interrupts the workers
 * and returns at once, and a {@code next()} waiting for a batch, or called later, throws an
 * {@code IllegalStateException} saying the loader was closed. A worker thread also ends when it is interrupted
 * (as {@code mvn exec:java} does to the threads of a finished program) and after 5 seconds
 * without work, so a loader that is never closed leaves no thread behind; the next epoch starts new ones.
 *
 * @param <B> the batch type produced by the collate function
 */
public final class DataLoader<B> implements Iterable<B>, AutoCloseable {
    /** How long an idle worker thread waits for the next batch to load before it ends. */
    static final long KEEP_ALIVE_MILLIS = 5000;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Dataset<?> dataset;
    private final Function<List<Object>, B> collate;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int numWorkers;
    private final int prefetchFactor;
    private final Generator generator;
    private final int id = IDS.incrementAndGet();
    private final Object lock = new Object();
    private volatile WorkerPool pool;
    private Iter current;
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    private DataLoader(Builder<?, B> b) {
        this.dataset = b.dataset;
        this.collate = (Function<List<Object>, B>) (Function<?, B>) b.collate;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.numWorkers = b.numWorkers;
        this.prefetchFactor = b.prefetchFactor;
        this.generator = shuffle ? new Generator(b.seed != null ? b.seed : Generator.global().nextLong()) : null;
    }

    /** A builder over {@code dataset} with the defaults: batch size 1, no shuffling, keep the last batch, no workers. */
    public static <T> Builder<T, Batch> builder(Dataset<T> dataset) {
        return new Builder<>(Objects.requireNonNull(dataset, "DataLoader.builder: dataset"), Collate.stack());
    }

    /**
     * Configures a {@link DataLoader}.
     *
     * @param <T> the dataset's sample type
     * @param <B> the batch type
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private Function<List<T>, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private int numWorkers;
        private int prefetchFactor = 2;
        private Long seed;

        private Builder(Dataset<T> dataset, Function<List<T>, B> collate) {
            this.dataset = dataset;
            this.collate = collate;
        }

        /** Samples per batch (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            this.batchSize = atLeast("batchSize", batchSize, 1);
            return this;
        }

        /** Whether to visit the samples in a fresh random order each epoch (default false). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seeds the shuffling generator, making the order of every epoch reproducible. */
        public Builder<T, B> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to drop the last batch when it has fewer than {@code batchSize} samples (default false). */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Number of background loading threads; 0 (the default) loads in the iterating thread. */
        public Builder<T, B> numWorkers(int numWorkers) {
            this.numWorkers = atLeast("numWorkers", numWorkers, 0);
            return this;
        }

        /** Batches loaded ahead per worker (default 2). */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            this.prefetchFactor = atLeast("prefetchFactor", prefetchFactor, 1);
            return this;
        }

        /** Replaces the collate function, which turns a list of samples into a batch (it may run on a worker thread). */
        public <C> Builder<T, C> collate(Function<List<T>, C> collate) {
            Builder<T, C> b = new Builder<>(dataset, Objects.requireNonNull(collate, "DataLoader: collate"));
            b.batchSize = batchSize;
            b.shuffle = shuffle;
            b.dropLast = dropLast;
            b.numWorkers = numWorkers;
            b.prefetchFactor = prefetchFactor;
            b.seed = seed;
            return b;
        }

        private static int atLeast(String option, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException("DataLoader: " + option + " must be >= " + min + ", got " + value);
            }
            return value;
        }

        /** The loader. Its worker threads, if any, start with the first iteration. */
        public DataLoader<B> build() {
            return new DataLoader<>(this);
        }
    }

    /** The dataset this loader reads. */
    public Dataset<?> dataset() {
        return dataset;
    }

    /** Samples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Number of worker threads. */
    public int numWorkers() {
        return numWorkers;
    }

    /** Number of batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * Starts an epoch: a fresh order (if shuffling) and, with workers, prefetching.
     *
     * @throws IllegalStateException if the loader is closed
     */
    @Override
    public Iterator<B> iterator() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("DataLoader: iterator() after close()");
            }
            int n = dataset.size();
            int[] order = shuffle ? Datasets.permutation(n, generator) : identity(n);
            if (current != null) {
                current.cancelPrefetch();
            }
            if (numWorkers > 0 && pool == null) {
                pool = new WorkerPool("kasane-dataloader-" + id + "-worker", numWorkers, KEEP_ALIVE_MILLIS);
            }
            current = new Iter(order, numBatches());
            return current;
        }
    }

    /**
     * Closes the loader from any thread, without waiting: interrupts the worker threads and cancels the batches they
     * load, so that a {@code next()} waiting in another thread throws an {@code IllegalStateException} at once; later
     * iterations are refused. A worker busy in a {@code get} that ignores interrupts ends when the {@code get} returns.
     */
    @Override
    public void close() {
        WorkerPool p;
        synchronized (lock) {
            closed = true;
            p = pool;
        }
        if (p != null) {
            p.shutdownNow();
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private int[] batchIndices(int[] order, int b) {
        int start = b * batchSize;
        return Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize));
    }

    private B load(int[] indices) {
        List<Object> samples = new ArrayList<>(indices.length);
        for (int i : indices) {
            samples.add(dataset.get(i));
        }
        return collate.apply(samples);
    }

    private DataLoaderException failure(int b, int[] indices, Throwable cause, boolean worker) {
        String ix = indices.length <= 16 ? Arrays.toString(indices)
                : Arrays.toString(Arrays.copyOf(indices, 16)).replace("]", ", ...]");
        return new DataLoaderException("DataLoader: loading batch " + b + " (dataset indices " + ix + ") failed"
                + (worker ? " in a worker thread" : "") + ": " + cause, cause);
    }

    /** One epoch. */
    private final class Iter implements Iterator<B> {
        private final int[] order;
        private final int numBatches;
        private final ArrayDeque<Future<B>> queue = new ArrayDeque<>();
        private int nextToDeliver;
        private int nextToSubmit;
        private boolean failed;

        Iter(int[] order, int numBatches) {
            this.order = order;
            this.numBatches = numBatches;
        }

        @Override
        public synchronized boolean hasNext() {
            return !failed && nextToDeliver < numBatches;
        }

        @Override
        public synchronized B next() {
            int b = nextToDeliver;
            if (closed) {
                throw closedError(b, null);
            }
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: the epoch is over (" + numBatches + " batches)");
            }
            int[] indices = batchIndices(order, b);
            WorkerPool p = pool;
            if (p == null) {
                try {
                    B out = load(indices);
                    nextToDeliver++;
                    return out;
                } catch (RuntimeException e) {
                    failed = true;
                    throw failure(b, indices, e, false);
                }
            }
            fill(p);
            Future<B> f = queue.poll();
            nextToDeliver++;
            try {
                B out = f.get();
                fill(p);
                return out;
            } catch (ExecutionException e) {
                failed = true;
                cancelPrefetch();
                throw failure(b, indices, e.getCause(), true);
            } catch (CancellationException e) {
                failed = true;
                throw closed ? closedError(b, e)
                        : new IllegalStateException("DataLoader: batch " + b + " was cancelled by a new epoch", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = true;
                cancelPrefetch();
                throw new DataLoaderException("DataLoader: interrupted while waiting for batch " + b, e);
            }
        }

        private IllegalStateException closedError(int b, Throwable cause) {
            return new IllegalStateException("DataLoader: the loader was closed (batch " + b + " of " + numBatches
                    + " not delivered)", cause);
        }

        private void fill(WorkerPool p) {
            int ahead = numWorkers * prefetchFactor;
            while (queue.size() < ahead && nextToSubmit < numBatches) {
                int[] indices = batchIndices(order, nextToSubmit);
                try {
                    queue.add(p.submit(() -> load(indices)));
                } catch (RejectedExecutionException e) {
                    throw closedError(nextToDeliver, e);
                }
                nextToSubmit++;
            }
        }

        /** Drops the batches loaded ahead; a later next() loads on demand from where it is. */
        synchronized void cancelPrefetch() {
            for (Future<B> f : queue) {
                f.cancel(true);
            }
            queue.clear();
            nextToSubmit = nextToDeliver;
        }
    }
}
