package dev.kasane.examples.common;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.Dataset;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;
import dev.kasane.tensor.Device;
import dev.kasane.vision.metrics.ConfusionMatrix;
import java.util.function.UnaryOperator;

/** Evaluation of a classifier over a dataset, shared by the classification examples. */
public final class Classifiers {
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
     * Runs {@code model} in eval mode without gradients over {@code data} (samples of image, label) and returns the
     * mean cross-entropy and accuracy; the model is put back in training mode afterwards if it was in it.
     *
     * @param device where the model lives; batches are moved there
     * @param prepare applied to each input batch after the move (e.g. channel repeat), or null
     * @param confusion updated with every prediction, or null
     */
    public static <T> Evaluation evaluate(Module model, Dataset<T> data, int batchSize, Device device,
                                          UnaryOperator<Tensor> prepare, ConfusionMatrix confusion) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        long n = 0;
        try (GradGuard g = Autograd.noGrad();
             DataLoader<Batch> loader = DataLoader.builder(data).batchSize(batchSize).build()) {
            for (Batch b : loader) {
                Tensor x = b.input().to(device);
                Tensor y = b.target().to(device);
                if (prepare != null) {
                    x = prepare.apply(x);
                }
                Tensor logits = model.forward(x);
                lossSum += F.crossEntropy(logits, y, null, -100, Reduction.SUM, 0).item();
                var pred = logits.data().argmax(1, false);
                correct += (long) pred.eq(y.data()).sum().item();
                n += b.batchSize();
                if (confusion != null) {
                    confusion.update(Tensor.of(pred.to(Device.CPU)), b.target());
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n, n);
    }
}
