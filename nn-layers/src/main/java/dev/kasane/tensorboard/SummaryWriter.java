package dev.kasane.tensorboard;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Writes TensorBoard event files, with the method names of PyTorch's {@code torch.utils.tensorboard.SummaryWriter}:
 * {@code tensorboard --logdir <dir>} shows what it wrote.
 *
 * <pre>{@code
 * try (var tb = new SummaryWriter(Path.of("runs/lenet"))) {
 *     tb.addScalar("loss/train", loss.item(), step);
 *     tb.addHistogram("conv1.weight", model.namedParameters().get("conv1.weight"), epoch);
 *     tb.addImages("samples", generated, epoch);            // [N, C, H, W] in [0, 1]: one grid, 8 per row
 * }
 * }</pre>
 *
 * <p>Asynchronous: each call copies what it needs (tensors are copied to the host, so later in-place updates do not
 * change what is logged) and queues the event; one writer thread per writer wakes every 100 ms (sooner when the queue
 * is half full), encodes what was queued (histogram bins, PNG) and appends each event to the file as one whole
 * record, so a process that dies leaves a file TensorBoard reads up to its last record, missing at most the last
 * 100 ms. A call never wakes the thread itself (a wake-up per event cost a LeNet-5 training step 60-90 us, about
 * 1.5 %); the queue holds 1024 events and a call waits while it is full. Calls may come from several threads; the
 * events of one file are written in the order of the calls. An error of the writer thread (a full disk) is thrown
 * by the next call. {@link #flush} waits until everything queued is on disk; {@link #close} also ends the thread,
 * and must be called (try-with-resources) or events still queued are lost when the JVM exits.
 *
 * <p>Files: {@code events.out.tfevents.*} in the log directory; {@link #addScalars} and {@link #addHparams} write
 * theirs in subdirectories (runs of their own, as PyTorch does).
 */
public final class SummaryWriter implements AutoCloseable {
    /** Bins of {@link #addHistogram(String, Tensor, long)}. */
    public static final int DEFAULT_BINS = 64;
    /** Images per row of the grid of {@link #addImages}. */
    public static final int GRID_COLUMNS = 8;

    private static final int QUEUE_CAPACITY = 1024;
    /** How long the writer thread sleeps between looks at the queue. */
    private static final long PERIOD_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    private static final Task STOP = new Task(null, null, null);

    private final Path logDir;
    private final EventFile mainFile;
    private final Map<Path, EventFile> files = new ConcurrentHashMap<>();
    private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile RuntimeException failure;
    private boolean closed;

    /** A queued event for {@code file}, or a flush request ({@code flushed} not null). */
    private record Task(EventFile file, Supplier<byte[]> event, CompletableFuture<Void> flushed) {
    }

    /**
     * Creates {@code logDir} if needed and a new event file in it, and starts the writer thread.
     *
     * @throws IOException if the directory or the file cannot be created
     */
    public SummaryWriter(Path logDir) throws IOException {
        this.logDir = Objects.requireNonNull(logDir, "SummaryWriter: logDir");
        this.mainFile = open(logDir);
        this.thread = new Thread(this::drain, "kasane-summary-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** The log directory. */
    public Path logDir() {
        return logDir;
    }

    /**
     * Logs a scalar (stored as a 32-bit float, as TensorBoard stores it).
     *
     * @throws IllegalArgumentException if {@code tag} is empty
     */
    public void addScalar(String tag, double value, long step) {
        checkTag("addScalar", tag);
        enqueue(mainFile, step, () -> Summaries.scalar(tag, (float) value));
    }

    /**
     * Logs several scalars under one chart, as PyTorch does: each {@code values} entry {@code (name, v)} goes to tag
     * {@code mainTag} in the run {@code <logDir>/<mainTag with '/' as '_'>_<name>}.
     *
     * @throws IllegalArgumentException if a tag or name is empty or leads outside the log directory
     */
    public void addScalars(String mainTag, Map<String, ? extends Number> values, long step) {
        checkTag("addScalars", mainTag);
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            checkTag("addScalars(" + mainTag + ")", e.getKey());
            EventFile file = fileIn("addScalars", mainTag.replace('/', '_') + "_" + e.getKey());
            float v = e.getValue().floatValue();
            enqueue(file, step, () -> Summaries.scalar(mainTag, v));
        }
    }

    /** Logs the histogram of {@code values} over {@link #DEFAULT_BINS} equal-width bins. */
    public void addHistogram(String tag, Tensor values, long step) {
        addHistogram(tag, values, step, DEFAULT_BINS);
    }

    /**
     * Logs the histogram of {@code values} (any shape, copied now) over {@code bins} equal-width bins between their
     * smallest and largest value, counted as {@code numpy.histogram} counts.
     *
     * @throws IllegalArgumentException if {@code values} is empty or holds NaN or infinity, or {@code bins < 1}
     */
    public void addHistogram(String tag, Tensor values, long step, int bins) {
        checkTag("addHistogram", tag);
        String op = "addHistogram(" + tag + ")";
        if (bins < 1) {
            throw new IllegalArgumentException(op + ": bins must be >= 1, got " + bins);
        }
        double[] v = values.toDoubleArray();
        int bad = 0;
        for (double x : v) {
            bad += Double.isFinite(x) ? 0 : 1;
        }
        if (v.length == 0 || bad > 0) {
            throw new IllegalArgumentException(op + ": needs at least one value and only finite ones, got "
                    + values.describe() + (bad > 0 ? " with " + bad + " NaN or infinite values" : ""));
        }
        enqueue(mainFile, step, () -> Summaries.histogram(tag, Histogram.of(v, bins)));
    }

    /**
     * Logs an image, {@code [C, H, W]} (C = 1 grey, 3 RGB, 4 RGBA) or {@code [H, W]}: U8, or floating point in [0, 1]
     * (scaled by 255, clipped and truncated, as PyTorch does). Stored as PNG.
     *
     * @throws IllegalArgumentException for another shape or dtype, or a NaN or infinite value
     */
    public void addImage(String tag, Tensor image, long step) {
        checkTag("addImage", tag);
        addPixels(tag, Pixels.of("addImage(" + tag + ")", image, false), step);
    }

    /**
     * Logs a batch of images, {@code [N, C, H, W]} (as {@link #addImage}), as one grid of {@link #GRID_COLUMNS}
     * images per row.
     *
     * @throws IllegalArgumentException for another shape or dtype, or a NaN or infinite value
     */
    public void addImages(String tag, Tensor images, long step) {
        checkTag("addImages", tag);
        addPixels(tag, Pixels.of("addImages(" + tag + ")", images, true).grid(GRID_COLUMNS), step);
    }

    private void addPixels(String tag, Pixels p, long step) {
        enqueue(mainFile, step, () -> Summaries.image(tag, p.height(), p.width(), p.channels(), p.png()));
    }

    /** Logs text (Markdown in TensorBoard's text tab) under {@code <tag>/text_summary}, as PyTorch does. */
    public void addText(String tag, String text, long step) {
        checkTag("addText", tag);
        Objects.requireNonNull(text, "addText: text");
        enqueue(mainFile, step, () -> Summaries.text(tag, text));
    }

    /**
     * Logs the graph of {@code model} applied to {@code input} for TensorBoard's Graphs tab, as PyTorch's
     * {@code add_graph(model, input)} does: one forward pass in eval mode with gradients recorded (the model's training
     * mode and its parameters' {@code requiresGrad} flags are restored afterwards, and no gradient is computed), drawn
     * from its autograd graph. Nodes are named by module path: a parameter under its module ({@code LeNet5/conv1/weight}),
     * an op in the scope of the module whose parameters it reads, else at the top ({@code LeNet5}); the input is
     * {@code input/input.0}, the result {@code output/output.0}; edges carry shapes. Ops that read no tensor needing a
     * gradient (constants, buffers alone) are not in the autograd graph and do not appear.
     *
     * @param input a float tensor of the shape the model takes (a batch)
     * @throws IllegalArgumentException if {@code input} is not a float tensor
     */
    @SuppressWarnings("try") // the grad guard is only opened and closed
    public void addGraph(Module model, Tensor input) {
        Objects.requireNonNull(model, "addGraph: model");
        Objects.requireNonNull(input, "addGraph: input");
        if (!input.dtype().isFloating()) {
            throw new IllegalArgumentException("addGraph: the input must be a float tensor (it becomes the graph's input "
                    + "node), got " + input.dtype() + " of shape " + java.util.Arrays.toString(input.shape()) + " on "
                    + input.device());
        }
        Map<String, Tensor> params = model.namedParameters();
        List<Tensor> frozen = new ArrayList<>();
        params.values().stream().filter(p -> !p.requiresGrad()).forEach(frozen::add);
        boolean training = model.isTraining();
        byte[] graphDef;
        try (var grad = Autograd.enableGrad()) {
            frozen.forEach(p -> p.requiresGrad(true));
            model.train(false);
            Tensor x = input.detach().requiresGrad(true);
            graphDef = ModelGraph.of(model.getClass().getSimpleName(), params, x, model.forward(x));
        } finally {
            model.train(training);
            frozen.forEach(p -> p.requiresGrad(false));
        }
        double t = now();
        put(new Task(mainFile, () -> Summaries.graphEvent(t, graphDef), null));
    }

    /** {@link #addHparams(Map, Map, String)} in a run named after the current time, as PyTorch names it. */
    public void addHparams(Map<String, ?> hparams, Map<String, ? extends Number> metrics) {
        addHparams(hparams, metrics, String.valueOf(now()));
    }

    /**
     * Logs one run of a hyperparameter search for TensorBoard's HParams tab, as PyTorch does: the experiment, the
     * session's hyperparameters and its end, and each metric as a scalar at step 0, in the run {@code
     * <logDir>/<runName>}.
     *
     * @param hparams values that are numbers, strings or booleans, in the order the table shows them
     * @param metrics the run's results by tag
     * @throws IllegalArgumentException for a value of another type, an empty name or one leading outside the log
     *                                  directory
     */
    public void addHparams(Map<String, ?> hparams, Map<String, ? extends Number> metrics, String runName) {
        Map<String, Object> h = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : hparams.entrySet()) {
            checkTag("addHparams", e.getKey());
            Object v = e.getValue();
            if (!(v instanceof Number || v instanceof String || v instanceof Boolean)) {
                throw new IllegalArgumentException("addHparams: hyperparameter '" + e.getKey() + "' must be a number, "
                        + "string or boolean, got " + (v == null ? "null" : v.getClass().getName()));
            }
            h.put(e.getKey(), v);
        }
        List<String> tags = new ArrayList<>(metrics.keySet());
        tags.forEach(t -> checkTag("addHparams", t));
        EventFile file = fileIn("addHparams", runName);
        enqueue(file, 0, () -> Summaries.hparamsExperiment(h, tags));
        enqueue(file, 0, () -> Summaries.hparamsSessionStart(h));
        enqueue(file, 0, Summaries::hparamsSessionEnd);
        for (Map.Entry<String, ? extends Number> e : metrics.entrySet()) {
            float v = e.getValue().floatValue();
            enqueue(file, 0, () -> Summaries.scalar(e.getKey(), v));
        }
    }

    /**
     * Waits until every event queued before this call is written and forced to the storage device.
     *
     * @throws UncheckedIOException if writing failed
     */
    public void flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        put(new Task(null, null, done));
        LockSupport.unpark(thread);
        done.join();
        checkFailure();
    }

    /**
     * Writes what is queued, ends the writer thread and closes the files. Closing again does nothing.
     *
     * @throws UncheckedIOException if writing or closing failed
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            putUninterruptibly(STOP);
            LockSupport.unpark(thread);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (EventFile f : files.values()) {
            try {
                f.close();
            } catch (IOException e) {
                fail(new UncheckedIOException("SummaryWriter: closing " + f.path() + " failed", e));
            }
        }
        checkFailure();
    }

    // ------------------------------------------------------------------------------------------ files and queue

    private EventFile open(Path dir) throws IOException {
        EventFile f = EventFile.create(dir);
        files.put(dir, f);
        double t = now();
        put(new Task(f, () -> Summaries.fileVersionEvent(t), null));
        return f;
    }

    /** The event file of the run {@code <logDir>/<name>}, created on first use. */
    private synchronized EventFile fileIn(String op, String name) {
        checkOpen();
        Path dir = logDir.resolve(name).normalize();
        if (name.isEmpty() || !dir.startsWith(logDir.normalize()) || dir.equals(logDir.normalize())) {
            throw new IllegalArgumentException(op + ": run name '" + name + "' must name a directory inside " + logDir);
        }
        EventFile f = files.get(dir);
        if (f != null) {
            return f;
        }
        try {
            return open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(op + ": cannot create an event file in " + dir, e);
        }
    }

    private void enqueue(EventFile file, long step, Supplier<ProtoWriter> summary) {
        double t = now();
        put(new Task(file, () -> Summaries.event(t, step, summary.get()), null));
    }

    private synchronized void put(Task task) {
        checkOpen();
        checkFailure();
        if (queue.remainingCapacity() <= QUEUE_CAPACITY / 2) {
            LockSupport.unpark(thread);
        }
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("SummaryWriter: interrupted while waiting for room in the queue of " + logDir, e);
        }
    }

    private void putUninterruptibly(Task task) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(task);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The writer thread: every {@link #PERIOD_NANOS} (or when woken by {@link #flush}, {@link #close} or a half-full
     * queue) takes what is queued and writes it, until {@link #STOP}.
     */
    private void drain() {
        List<Task> batch = new ArrayList<>();
        while (true) {
            if (queue.isEmpty()) {
                LockSupport.parkNanos(this, PERIOD_NANOS);
                Thread.interrupted(); // nothing interrupts this thread on purpose; a stray interrupt must not spin it
            }
            queue.drainTo(batch);
            for (Task t : batch) {
                if (t == STOP) {
                    return;
                }
                run(t);
            }
            batch.clear();
        }
    }

    /** Writes the event of {@code t}, or forces the files for a flush request. */
    private void run(Task t) {
        if (t.flushed() != null) {
            forceAll();
            t.flushed().complete(null);
        } else if (failure == null) {
            try {
                t.file().write(t.event().get());
            } catch (IOException e) {
                fail(new UncheckedIOException("SummaryWriter: writing " + t.file().path() + " failed", e));
            } catch (RuntimeException | Error e) {
                fail(new IllegalStateException("SummaryWriter: encoding an event for " + t.file().path() + " failed", e));
            }
        }
    }

    private void forceAll() {
        for (EventFile f : files.values()) {
            try {
                f.force();
            } catch (IOException e) {
                fail(new UncheckedIOException("SummaryWriter: flushing " + f.path() + " failed", e));
            }
        }
    }

    private void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void checkFailure() {
        RuntimeException f = failure;
        if (f instanceof UncheckedIOException) {
            throw new UncheckedIOException(f.getMessage(), ((UncheckedIOException) f).getCause());
        } else if (f != null) {
            throw new IllegalStateException(f.getMessage(), f.getCause());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("SummaryWriter: closed (log directory " + logDir + ")");
        }
    }

    private static void checkTag(String op, String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException(op + ": a tag or name must be a non-empty string, got "
                    + (tag == null ? "null" : "''"));
        }
    }

    private static double now() {
        Instant t = Instant.now();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
