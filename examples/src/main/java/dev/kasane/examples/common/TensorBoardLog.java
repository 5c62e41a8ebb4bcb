package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensorboard.SummaryWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an example logs to TensorBoard with {@code --logdir DIR}: the loss of every step ({@code step/loss}), each
 * epoch's row of its {@link History} ({@code <first column>/<column>}, e.g. {@code epoch/test_acc}), a histogram of
 * every parameter per epoch ({@code weights/<name>}) and image grids. Without {@code --logdir} every method does
 * nothing.
 */
public final class TensorBoardLog implements AutoCloseable {
    private final SummaryWriter writer;

    private TensorBoardLog(SummaryWriter writer) {
        this.writer = writer;
    }

    /** A log into {@code --logdir}, or one that logs nothing when the option is absent. */
    public static TensorBoardLog open(Args args, PrintStream out) throws IOException {
        return open(args, "", out);
    }

    /** A log into the run {@code <--logdir>/<run>} (one per task of an example), or one that logs nothing. */
    public static TensorBoardLog open(Args args, String run, PrintStream out) throws IOException {
        if (args.logDir() == null) {
            return new TensorBoardLog(null);
        }
        Path dir = args.logDir().resolve(run);
        out.println("tensorboard: logging to " + dir + " (view with: tensorboard --logdir " + dir + ")");
        return new TensorBoardLog(new SummaryWriter(dir));
    }

    /** Logs the loss of every step that {@code progress} records, numbered over the whole run. Returns this. */
    public TensorBoardLog follow(Progress progress) {
        if (writer != null) {
            progress.onStep((step, loss) -> {
                if (!Double.isNaN(loss)) {
                    writer.addScalar("step/loss", loss, step);
                }
            });
        }
        return this;
    }

    /**
     * Logs the last row of {@code history} (its first column is the step) and a histogram of each parameter of
     * {@code model}.
     */
    public void epoch(History history, Module model) {
        if (writer == null) {
            return;
        }
        List<String> columns = history.columns();
        long step = (long) history.last(columns.get(0));
        for (String c : columns.subList(1, columns.size())) {
            writer.addScalar(columns.get(0) + "/" + c, history.last(c), step);
        }
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            writer.addHistogram("weights/" + p.getKey(), p.getValue(), step);
        }
    }

    /**
     * Logs the graph of {@code model} applied to a batch for TensorBoard's Graphs tab; {@code input} is called only
     * when logging is on.
     */
    public void graph(Module model, Supplier<Tensor> input) {
        if (writer != null) {
            writer.addGraph(model, input.get());
        }
    }

    /** Logs images ({@code [N, C, H, W]} in [0, 1]) as one grid. */
    public void images(String tag, Tensor images, long step) {
        if (writer != null) {
            writer.addImages(tag, images, step);
        }
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
