package dev.kasane.examples.common;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.Dataset;
import dev.kasane.data.TensorDataset;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;
import dev.kasane.optim.Optimizer;
import dev.kasane.tensor.Device;
import dev.kasane.vision.metrics.ConfusionMatrix;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Training, evaluation and the outputs of a classifier, shared by the classification examples. */
public final class Classifiers {
    /** The columns of a classifier's {@link History}. */
    public static final String[] HISTORY_COLUMNS = {"epoch", "train_loss", "test_loss", "test_acc", "epoch_seconds",
        "img_per_s"};

    private Classifiers() {
    }

    /**
     * Mean loss and accuracy of a classifier.
     *
     * @param loss mean cross-entropy over the samples
     * @param accuracy fraction of samples whose arg-max logit is the label
     * @param samples number of samples
     */
    public record Evaluation(double loss, double accuracy, long samples) {
    }

    /**
     * How a loader's input batch becomes the model's input: {@code convert} on the CPU (e.g.
     * {@link ImageData#convert}), the move to {@code device}, then {@code prepare} there (e.g. channel repeat).
     *
     * @param convert applied to each batch before the move, or null
     * @param device where the model lives
     * @param prepare applied to each batch after the move, or null
     */
    public record Inputs(UnaryOperator<Tensor> convert, Device device, UnaryOperator<Tensor> prepare) {
        /** The model's input for {@code batch}. */
        public Tensor of(Tensor batch) {
            Tensor x = (convert == null ? batch : convert.apply(batch)).to(device);
            return prepare == null ? x : prepare.apply(x);
        }
    }

    /**
     * One training epoch: batches of {@code batchSize} shuffled with {@code shuffleSeed}, each moved to {@code device}
     * (then {@code prepare}d), cross-entropy of the logits, backward, one optimizer step; each step's batch size and
     * loss go to {@code progress}. The caller sets the model's mode and starts and stops the progress epoch.
     *
     * @param prepare applied to each input batch after the move (e.g. channel repeat), or null
     */
    public static <T> void trainEpoch(Module model, Optimizer<?> opt, Dataset<T> data, int batchSize, long shuffleSeed,
                                      Device device, UnaryOperator<Tensor> prepare, Progress progress) {
        trainEpoch(model, opt, data, batchSize, shuffleSeed, new Inputs(null, device, prepare), progress);
    }

    /** {@link #trainEpoch(Module, Optimizer, Dataset, int, long, Device, UnaryOperator, Progress)} with {@code inputs}. */
    public static <T> void trainEpoch(Module model, Optimizer<?> opt, Dataset<T> data, int batchSize, long shuffleSeed,
                                      Inputs inputs, Progress progress) {
        try (DataLoader<Batch> loader = DataLoader.builder(data).batchSize(batchSize).shuffle(true).seed(shuffleSeed)
                .build()) {
            for (Batch b : loader) {
                Tensor x = inputs.of(b.input());
                Tensor y = b.target().to(inputs.device());
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(x), y);
                loss.backward();
                opt.step();
                progress.step(b.batchSize(), loss.item());
            }
        }
    }

    /**
     * Epoch {@code epoch} of a run seeded with {@code seed}: reseeds the global generator ({@link Seeds#startEpoch}),
     * puts the model in training mode and {@link #trainEpoch trains} it on the epoch's data order
     * ({@link Seeds#shuffleSeed}) as one epoch of {@code progress}, whose figures it returns; the summary line is left
     * to the caller.
     */
    public static <T> Progress.Summary seededEpoch(Module model, Optimizer<?> opt, Dataset<T> data, int batchSize,
                                                   long seed, int epoch, Device device, UnaryOperator<Tensor> prepare,
                                                   Progress progress) {
        return seededEpoch(model, opt, data, batchSize, seed, epoch, new Inputs(null, device, prepare), progress);
    }

    /** {@link #seededEpoch(Module, Optimizer, Dataset, int, long, int, Device, UnaryOperator, Progress)} with {@code inputs}. */
    public static <T> Progress.Summary seededEpoch(Module model, Optimizer<?> opt, Dataset<T> data, int batchSize,
                                                   long seed, int epoch, Inputs inputs, Progress progress) {
        Seeds.startEpoch(seed, epoch);
        model.train();
        progress.startEpoch(epoch);
        trainEpoch(model, opt, data, batchSize, Seeds.shuffleSeed(seed, epoch), inputs, progress);
        return progress.stopEpoch();
    }

    /**
     * Runs {@code model} in eval mode without gradients over {@code data} (samples of image, label) and returns the
     * mean cross-entropy and accuracy; the model is put back in training mode afterwards if it was in it.
     *
     * @param device where the model lives; batches are moved there
     * @param prepare applied to each input batch after the move (e.g. channel repeat), or null
     * @param confusion updated with every prediction, or null
     */
    public static <T> Evaluation evaluate(Module model, Dataset<T> data, int batchSize, Device device,
                                          UnaryOperator<Tensor> prepare, ConfusionMatrix confusion) {
        return evaluate(model, data, batchSize, new Inputs(null, device, prepare), confusion);
    }

    /** {@link #evaluate(Module, Dataset, int, Device, UnaryOperator, ConfusionMatrix)} with {@code inputs}. */
    public static <T> Evaluation evaluate(Module model, Dataset<T> data, int batchSize, Inputs inputs,
                                          ConfusionMatrix confusion) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        long n = 0;
        try (GradGuard g = Autograd.noGrad();
             DataLoader<Batch> loader = DataLoader.builder(data).batchSize(batchSize).build()) {
            for (Batch b : loader) {
                Tensor x = inputs.of(b.input());
                Tensor y = b.target().to(inputs.device());
                Tensor logits = model.forward(x);
                lossSum += F.crossEntropy(logits, y, null, -100, Reduction.SUM, 0).item();
                Tensor pred = logits.argmax(1, false);
                correct += (long) pred.eq(y).sum().item();
                n += b.batchSize();
                if (confusion != null) {
                    confusion.update(pred.to(Device.CPU), b.target());
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n, n);
    }

    /**
     * Writes what a classification run shows after each epoch to {@code dir}: {@code metrics.csv} (the history),
     * {@code curves.png} (losses and test accuracy per epoch), {@code confusion_matrix.png} and
     * {@code confusion_matrix.txt} (of the last epoch). Each file is replaced whole (written then renamed).
     *
     * @param title what was trained on what, e.g. "LeNet-5 on Fashion-MNIST"
     */
    public static void writeOutputs(Path dir, String title, History history, ConfusionMatrix cm) throws IOException {
        history.writeCsv(dir.resolve("metrics.csv"));
        history.chart(title, "loss / accuracy", dir.resolve("curves.png"), "train_loss", "test_loss", "test_acc");
        Plots.confusionMatrix(cm, title + ", test set, epoch " + (int) history.last("epoch"),
                dir.resolve("confusion_matrix.png"));
        TextFiles.write(dir.resolve("confusion_matrix.txt"), cm + System.lineSeparator());
    }

    /**
     * A classification run as lenet, resnet and fid-fmnist train it: the model and optimizer on {@code train},
     * evaluated on {@code test} after every epoch.
     *
     * @param args the example's command line ({@code --epochs}, {@code --batch-size}, {@code --log-every})
     * @param out where progress and summaries go
     * @param dir the output directory
     * @param title what was trained on what, for the charts (see {@link #writeOutputs})
     * @param evalBatch batch size of the evaluation
     * @param device where the model lives
     * @param prepare applied to each input batch after the move (e.g. channel repeat), or null
     */
    public record Run(Args args, PrintStream out, Path dir, String title, int evalBatch, Device device,
                      UnaryOperator<Tensor> prepare) {
        /**
         * Trains {@code model} with {@code opt} from {@code from} (restoring both and the history from its
         * checkpoint, parts "model" and "opt"; see {@link RunStart#save}): every epoch is a {@link #seededEpoch},
         * then an evaluation on {@code test} (summary line with the test loss and accuracy), a
         * {@link #HISTORY_COLUMNS} row, the TensorBoard epoch, {@link #writeOutputs} and then the checkpoint, so
         * that a checkpoint on disk means its epoch's outputs are too. A finished run resumed writes its outputs
         * again.
         *
         * @param tb follows the run's progress
         * @return one history row per epoch since the first
         */
        public History fit(Module model, Optimizer<?> opt, ImageData train, ImageData test, RunStart from,
                           TensorBoardLog tb) throws IOException {
            CheckpointParts parts = new CheckpointParts().add("model", model).add("opt", opt);
            History history = from.restore(parts, new History(HISTORY_COLUMNS));
            TensorDataset trainSet = train.pixelDataset();
            TensorDataset testSet = test.pixelDataset();
            int epochs = args.epochs();
            int batchSize = args.batchSize();
            Progress progress = new Progress(epochs, (trainSet.size() + batchSize - 1) / batchSize)
                    .logEvery(args.logEvery()).output(out);
            tb.follow(progress);
            Inputs trainInputs = new Inputs(train::convert, device, prepare);
            tb.graph(model, () -> trainInputs.of(train.pixels().narrow(0, 0, Math.min(2, trainSet.size()))));
            Inputs testInputs = new Inputs(test::convert, device, prepare);
            for (int epoch = from.epoch(); epoch < epochs; epoch++) {
                Progress.Summary s = seededEpoch(model, opt, trainSet, batchSize, from.seed(), epoch, trainInputs,
                        progress);
                ConfusionMatrix cm = new ConfusionMatrix(test.classes());
                Evaluation ev = evaluate(model, testSet, evalBatch, testInputs, cm);
                progress.printSummary(s, String.format(Locale.ROOT, "test loss %.4f, test accuracy %.2f%%", ev.loss(),
                        100 * ev.accuracy()));
                history.add(epoch + 1, s.meanLoss(), ev.loss(), ev.accuracy(), s.seconds(), s.throughput());
                tb.epoch(history, model);
                writeOutputs(dir, title, history, cm);
                from.save(parts, epoch + 1, history);
            }
            if (from.epoch() == epochs) {
                // a finished run resumed (killed after its last checkpoint, or outputs lost): write its outputs again
                ConfusionMatrix cm = new ConfusionMatrix(test.classes());
                evaluate(model, testSet, evalBatch, testInputs, cm);
                writeOutputs(dir, title, history, cm);
            }
            return history;
        }
    }
}
