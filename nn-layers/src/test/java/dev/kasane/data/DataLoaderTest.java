package dev.kasane.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DataLoaderTest {
    /** x[i] = [i, 10 i], y[i] = i. */
    static TensorDataset data(int n) {
        double[] x = new double[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    static List<Long> order(DataLoader<Batch> loader) {
        List<Long> out = new ArrayList<>();
        for (Batch b : loader) {
            for (long v : b.target().toLongArray()) {
                out.add(v);
            }
        }
        return out;
    }

    static List<Long> range(int n) {
        List<Long> r = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void sequentialBatchesStackSamples() {
        try (DataLoader<Batch> loader = DataLoader.builder(data(10)).batchSize(4).build()) {
            assertEquals(3, loader.numBatches());
            List<Batch> batches = new ArrayList<>();
            loader.forEach(batches::add);
            assertEquals(3, batches.size());
            Batch b0 = batches.get(0);
            assertArrayEquals(new int[] {4, 2}, b0.input().shape());
            assertEquals(DType.F64, b0.input().dtype());
            assertArrayEquals(new int[] {4}, b0.target().shape());
            assertEquals(DType.I64, b0.target().dtype());
            assertFalse(b0.input().requiresGrad());
            assertArrayEquals(new double[] {0, 0, 1, 10, 2, 20, 3, 30}, b0.input().toDoubleArray());
            assertArrayEquals(new long[] {8, 9}, batches.get(2).target().toLongArray());
            assertEquals(2, batches.get(2).batchSize());
            assertEquals(range(10), order(loader));
        }
    }

    @Test
    void dropLast() {
        try (DataLoader<Batch> loader = DataLoader.builder(data(10)).batchSize(4).dropLast(true).build()) {
            assertEquals(2, loader.numBatches());
            assertEquals(range(8), order(loader));
        }
        try (DataLoader<Batch> loader = DataLoader.builder(data(8)).batchSize(4).dropLast(true).build()) {
            assertEquals(2, loader.numBatches());
        }
        try (DataLoader<Batch> loader = DataLoader.builder(data(3)).batchSize(4).dropLast(true).build()) {
            assertEquals(0, loader.numBatches());
            assertFalse(loader.iterator().hasNext());
        }
    }

    @Test
    void shufflingIsSeededFreshEachEpochAndIndependentOfWorkers() {
        List<List<Long>> reference = new ArrayList<>();
        try (DataLoader<Batch> loader = DataLoader.builder(data(50)).batchSize(7).shuffle(true).seed(42).build()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                List<Long> o = order(loader);
                List<Long> sorted = new ArrayList<>(o);
                sorted.sort(null);
                assertEquals(range(50), sorted, "each epoch is a permutation");
                reference.add(o);
            }
        }
        assertNotEquals(reference.get(0), reference.get(1), "epochs are shuffled afresh");
        assertNotEquals(range(50), reference.get(0));
        for (int workers : new int[] {0, 1, 3}) {
            try (DataLoader<Batch> loader = DataLoader.builder(data(50)).batchSize(7).shuffle(true).seed(42)
                    .numWorkers(workers).prefetchFactor(1 + workers).build()) {
                for (int epoch = 0; epoch < 3; epoch++) {
                    assertEquals(reference.get(epoch), order(loader), "workers=" + workers + " epoch " + epoch);
                }
            }
        }
        try (DataLoader<Batch> loader = DataLoader.builder(data(50)).batchSize(7).shuffle(true).seed(43).build()) {
            assertNotEquals(reference.get(0), order(loader));
        }
    }

    @Test
    void workersDeliverInOrderAndStopOnClose() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Dataset<Sample> slow = hooked(40, index -> {
            calls.incrementAndGet();
            if (index % 3 == 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        DataLoader<Batch> loader = DataLoader.builder(slow).batchSize(3).numWorkers(3).build();
        String prefix = workerPrefix(loader);
        assertEquals(0, countThreads(prefix), "workers start lazily");
        assertEquals(range(40), order(loader));
        assertEquals(range(40), order(loader));
        assertEquals(3, countThreads(prefix));
        // abandon an epoch half way: the next one still works and is complete
        Iterator<Batch> it = loader.iterator();
        it.next();
        assertEquals(range(40), order(loader));
        assertArrayEquals(new long[] {3, 4, 5}, it.next().target().toLongArray(), "abandoned iterator loads on demand");
        loader.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (countThreads(prefix) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, countThreads(prefix), "threads are gone after close");
        assertThrows(IllegalStateException.class, loader::iterator);
        loader.close(); // idempotent
    }

    @Test
    void closeFromAnotherThreadReturnsPromptlyAndTheWaitingConsumerGetsLoaderClosed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a get that is stuck and ignores interrupts (it only counts them) until the test releases it
        Dataset<Sample> stuck = hooked(8, index -> {
            entered.countDown();
            while (true) {
                try {
                    if (release.await(30, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        });
        DataLoader<Batch> loader = DataLoader.builder(stuck).batchSize(2).numWorkers(2).build();
        String prefix = workerPrefix(loader);
        try {
            Iterator<Batch> it = loader.iterator();
            AtomicReference<Throwable> consumerError = new AtomicReference<>();
            Thread consumer = new Thread(() -> {
                try {
                    it.next();
                } catch (Throwable t) {
                    consumerError.set(t);
                }
            });
            consumer.start();
            assertTrue(entered.await(5, TimeUnit.SECONDS), "a worker started loading");
            Thread.sleep(50); // let the consumer block in next()
            assertTimeoutPreemptively(Duration.ofSeconds(2), loader::close, "close() returns promptly");
            assertTrue(interrupted.await(2, TimeUnit.SECONDS), "close() interrupts the busy workers");
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> consumer.join(), "the consumer is released");
            Throwable t = consumerError.get();
            assertTrue(t instanceof IllegalStateException && t.getMessage().contains("loader was closed"),
                    String.valueOf(t));
            assertThrows(IllegalStateException.class, it::next);
        } finally {
            release.countDown();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (countThreads(prefix) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, countThreads(prefix), "the workers end once their get returns");
    }

    @Test
    void nextAfterCloseWithoutWorkersSaysTheLoaderIsClosed() {
        DataLoader<Batch> loader = DataLoader.builder(data(8)).batchSize(2).build();
        Iterator<Batch> it = loader.iterator();
        it.next();
        loader.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertTrue(e.getMessage().contains("loader was closed"), e.getMessage());
    }

    /**
     * What {@code mvn exec:java} does when the program ends: interrupt every thread it started and join it (15 s
     * each). The loader's threads must be daemons and end on interrupt, even when the loader is never closed.
     */
    @Test
    void loaderThreadsAreDaemonsAndEndWhenInterrupted() {
        DataLoader<Batch> loader = DataLoader.builder(data(40)).batchSize(4).numWorkers(2).build();
        assertEquals(range(40), order(loader));
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(workerPrefix(loader))
                        || t.getName().startsWith("kasane-dataloader-cleaner"))
                .toList();
        assertEquals(2, threads.stream().filter(t -> t.getName().startsWith(workerPrefix(loader))).count(), "workers");
        for (Thread t : threads) {
            assertTrue(t.isDaemon(), t.getName() + " is a daemon");
            t.interrupt();
        }
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (Thread t : threads) {
                t.join();
            }
        }, "interrupted loader threads end");
        // the loader still works: it starts new workers
        assertEquals(range(40), order(loader));
        loader.close();
    }

    /** {@code data(n)} whose {@code get} first calls {@code hook} with the index (to be slow, count or throw). */
    private static Dataset<Sample> hooked(int n, IntConsumer hook) {
        TensorDataset d = data(n);
        return TestDatasets.of(n, index -> {
            hook.accept(index);
            return d.get(index);
        });
    }

    private static String workerPrefix(DataLoader<?> loader) {
        // each loader has its own thread-name prefix; find it by starting the pool
        try {
            var f = DataLoader.class.getDeclaredField("id");
            f.setAccessible(true);
            return "kasane-dataloader-" + f.get(loader) + "-worker-";
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static long countThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    @Test
    void workerExceptionSurfacesWithCause() {
        IllegalStateException boom = new IllegalStateException("corrupt sample 13");
        Dataset<Sample> bad = hooked(30, index -> {
            if (index == 13) {
                throw boom;
            }
        });
        for (int workers : new int[] {0, 2}) {
            try (DataLoader<Batch> loader = DataLoader.builder(bad).batchSize(4).numWorkers(workers).build()) {
                Iterator<Batch> it = loader.iterator();
                for (int b = 0; b < 3; b++) {
                    it.next();
                }
                DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
                assertSame(boom, e.getCause());
                assertTrue(e.getMessage().contains("batch 3") && e.getMessage().contains("[12, 13, 14, 15]")
                        && e.getMessage().contains("corrupt sample 13"), e.getMessage());
                assertFalse(it.hasNext());
                assertThrows(NoSuchElementException.class, it::next);
                // the loader itself survives: a new epoch fails at the same batch again
                Iterator<Batch> it2 = loader.iterator();
                assertEquals(4, it2.next().batchSize());
            }
        }
    }

    @Test
    void customCollateAndPlainSamples() {
        Dataset<Integer> ints = TestDatasets.of(5, index -> index * index);
        try (DataLoader<Integer> sums = DataLoader.builder(ints).batchSize(2)
                .collate(l -> l.stream().mapToInt(Integer::intValue).sum()).numWorkers(1).build()) {
            List<Integer> out = new ArrayList<>();
            sums.forEach(out::add);
            assertEquals(List.of(1, 13, 16), out);
        }
        try (DataLoader<Batch> loader = DataLoader.builder(ints).batchSize(5).build()) {
            Batch b = loader.iterator().next();
            assertEquals(1, b.numFields());
            assertEquals(DType.I64, b.input().dtype());
            assertArrayEquals(new long[] {0, 1, 4, 9, 16}, b.input().toLongArray());
            assertThrows(IllegalStateException.class, b::target);
        }
        Dataset<Object[]> pairs = TestDatasets.of(3,
                index -> new Object[] {Tensor.full(index, 2, 2), (double) index / 2, index % 2 == 0});
        try (DataLoader<Batch> loader = DataLoader.builder(pairs).batchSize(3).build()) {
            Batch b = loader.iterator().next();
            assertArrayEquals(new int[] {3, 2, 2}, b.input().shape());
            assertEquals(DType.F64, b.target().dtype());
            assertArrayEquals(new double[] {0, 0.5, 1}, b.target().toDoubleArray());
            assertEquals(DType.BOOL, b.get(2).dtype());
        }
    }

    @Test
    void collateRejectsMismatchedSamples() {
        Dataset<Sample> ragged = TestDatasets.of(2, index -> Sample.of(Tensor.zeros(index + 1), 0));
        try (DataLoader<Batch> loader = DataLoader.builder(ragged).batchSize(2).build()) {
            DataLoaderException e = assertThrows(DataLoaderException.class, () -> loader.iterator().next());
            assertTrue(e.getCause() instanceof IllegalArgumentException);
            assertTrue(e.getCause().getMessage().contains("field 0 of sample 1"), e.getCause().getMessage());
        }
    }

    @Test
    void builderChecksArguments() {
        var b = DataLoader.builder(data(3));
        assertThrows(IllegalArgumentException.class, () -> b.batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> b.numWorkers(-1));
        assertThrows(IllegalArgumentException.class, () -> b.prefetchFactor(0));
    }

    @Test
    void unseededShuffleUsesTheGlobalGenerator() {
        dev.kasane.tensor.Generator.seedGlobal(7);
        List<Long> a;
        try (DataLoader<Batch> l = DataLoader.builder(data(20)).batchSize(5).shuffle(true).build()) {
            a = order(l);
        }
        dev.kasane.tensor.Generator.seedGlobal(7);
        try (DataLoader<Batch> l = DataLoader.builder(data(20)).batchSize(5).shuffle(true).build()) {
            assertEquals(a, order(l));
        }
    }
}
