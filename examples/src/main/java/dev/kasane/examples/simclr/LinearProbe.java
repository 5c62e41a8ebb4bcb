package dev.kasane.examples.simclr;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.TensorDataset;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import java.util.ArrayList;
import java.util.List;

/**
 * Linear evaluation on frozen features: the encoder runs once over the training and test images in eval mode without
 * gradients, the features are standardised with the training set's mean and standard deviation, and a linear
 * classifier (logistic regression) is trained on them with Adam; the encoder never changes.
 */
final class LinearProbe {
    private static final int BATCH = 256;
    private static final double LR = 1e-2;

    private LinearProbe() {
    }

    /**
     * Test accuracy of a linear classifier trained for {@code epochs} epochs on the encoder's features of the
     * training images.
     *
     * @param encoder the frozen encoder, [N, 1, 28, 28] -> [N, D]
     */
    static double accuracy(Module encoder, Tensor trainX, Tensor trainY, Tensor testX,
                           Tensor testY, int classes, int epochs, long seed, Device device) {
        Tensor fTrain = extract(encoder, trainX, device);
        Tensor fTest = extract(encoder, testX, device);
        Tensor mean = fTrain.mean(0, true);
        Tensor std = fTrain.std(new int[] {0}, 1, true).add(1e-6);
        fTrain = fTrain.sub(mean).div(std);
        fTest = fTest.sub(mean).div(std);
        Generator.seedGlobal(seed);
        Linear classifier = new Linear(fTrain.size(1), classes);
        classifier.to(device);
        Adam opt = new Adam(classifier.parameters(), LR);
        TensorDataset data = new TensorDataset(fTrain, trainY);
        for (int epoch = 0; epoch < epochs; epoch++) {
            try (DataLoader<Batch> loader = DataLoader.builder(data).batchSize(BATCH).shuffle(true)
                    .seed(seed + epoch).build()) {
                for (Batch b : loader) {
                    opt.zeroGrad();
                    F.crossEntropy(classifier.forward(b.input().to(device)), b.target().to(device)).backward();
                    opt.step();
                }
            }
        }
        try (GradGuard g = Autograd.noGrad()) {
            Tensor pred = classifier.forward(fTest.to(device)).argmax(1, false).to(Device.CPU);
            return pred.eq(testY).sum().item() / testY.size(0);
        }
    }

    /** The features of {@code images} in batches, in eval mode without gradients, on the CPU. */
    static Tensor extract(Module encoder, Tensor images, Device device) {
        boolean wasTraining = encoder.isTraining();
        encoder.eval();
        List<Tensor> out = new ArrayList<>();
        try (GradGuard g = Autograd.noGrad()) {
            for (int i = 0; i < images.size(0); i += 1000) {
                int n = Math.min(1000, images.size(0) - i);
                out.add(encoder.forward(images.narrow(0, i, n).to(device)).to(Device.CPU));
            }
        } finally {
            encoder.train(wasTraining);
        }
        return Tensor.cat(out, 0);
    }
}
