package dev.kasane.vision.models;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Intermediates;
import dev.kasane.nn.Linear;
import dev.kasane.nn.functional.F;

/**
 * LeNet-5 for 1x28x28 inputs (LeCun et al. 1998, with ReLU and max-pooling; the first convolution is padded so that
 * 28x28 inputs keep their size): conv 5x5 (6) - pool - conv 5x5 (16) - pool - 120 - 84 - classes. Layers and
 * state-dict keys are those of {@code reference_models.LeNet5}: {@code conv1, conv2, fc1, fc2, fc3}.
 *
 * <pre>{@code
 * var model = new LeNet5(10);
 * Tensor logits = model.forward(images);   // [N, 1, 28, 28] -> [N, 10]
 * }</pre>
 */
public final class LeNet5 extends SingleHeadClassifier {
    private final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 6, 5, 1, 2));
    private final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
    private final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
    private final Linear fc2 = registerModule("fc2", new Linear(120, 84));

    /**
     * A LeNet-5 with PyTorch's default initialisation.
     *
     * @throws IllegalArgumentException if {@code numClasses < 1}
     */
    public LeNet5(int numClasses) {
        super(numClasses, "fc3");
        registerHead(new Linear(84, numClasses));
    }

    /**
     * Class logits for a batch of images.
     *
     * @param x {@code [N, 1, 28, 28]}
     * @return {@code [N, numClasses]}
     */
    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, "(N, 1, 28, 28)", 4);
        requireSize(x, 1, 1, "channels", "(N, 1, 28, 28)");
        if (x.size(2) != 28 || x.size(3) != 28) {
            throw error("input must be (N, 1, 28, 28), got " + Function.array(x).describe());
        }
        Intermediates buffers = Intermediates.of(this);
        Tensor y = x;
        for (Conv2d conv : new Conv2d[] {conv1, conv2}) {
            y = buffers.then(y, conv.forward(y));
            y = buffers.then(y, F.relu(y));
            y = buffers.then(y, F.maxPool2d(y, 2));
        }
        y = y.flatten(1, -1);
        for (Linear fc : new Linear[] {fc1, fc2}) {
            y = buffers.then(y, fc.forward(y));
            y = buffers.then(y, F.relu(y));
        }
        return buffers.then(y, headLayer().forward(y));
    }
}
