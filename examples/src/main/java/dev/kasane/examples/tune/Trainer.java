package dev.kasane.examples.tune;

import dev.kasane.data.Dataset;
import dev.kasane.data.Sample;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Classifiers;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.Progress;
import dev.kasane.examples.common.TensorBoardLog;
import dev.kasane.nn.Module;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * Trains one model of a trial with Adam and scores its accuracy; each trial a TensorBoard run of its own.
 *
 * @param args the command line ({@code --logdir})
 * @param device where the models train
 * @param epochs epochs of each training
 */
record Trainer(Args args, Device device, int epochs) {
    private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

    /**
     * Seeds the global generator with {@code seed} (so every configuration sees the same initial draws and batch
     * orders on a fold), trains a new model on {@code train} for the epochs, and returns its accuracy on {@code eval}.
     */
    double accuracy(String run, Supplier<Module> make, double lr, int batchSize, Dataset<Sample> train,
                    Dataset<Sample> eval, long seed) {
        Generator.seedGlobal(seed);
        Module model = make.get();
        model.to(device);
        Adam opt = new Adam(model.parameters(), lr);
        int steps = (train.size() + batchSize - 1) / batchSize;
        Progress progress = new Progress(epochs, steps).output(SILENT);
        History history = new History("epoch", "train_loss", "accuracy");
        double acc = Double.NaN;
        try (TensorBoardLog tb = TensorBoardLog.open(args, run, SILENT).follow(progress)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                Progress.Summary s = Classifiers.seededEpoch(model, opt, train, batchSize, seed, epoch, device, null,
                        progress);
                acc = Classifiers.evaluate(model, eval, 1000, device, null, null).accuracy();
                history.add(epoch + 1, s.meanLoss(), acc);
                tb.epoch(history, model);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return acc;
    }
}
