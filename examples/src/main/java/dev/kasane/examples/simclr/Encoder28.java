package dev.kasane.examples.simclr;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;

/**
 * The small CNN encoder of the simclr example, for 1x28x28 images: three 3x3 convolutions (width w, 2w, 4w) each
 * followed by BatchNorm and ReLU, max-pooling after the first two (28 -> 14 -> 7), and a global average pool, giving
 * {@code [N, 4w]} features.
 */
final class Encoder28 extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;

    Encoder28(int width) {
        conv1 = registerModule("conv1", new Conv2d(1, width, 3, 1, 1));
        bn1 = registerModule("bn1", new BatchNorm2d(width));
        conv2 = registerModule("conv2", new Conv2d(width, 2 * width, 3, 1, 1));
        bn2 = registerModule("bn2", new BatchNorm2d(2 * width));
        conv3 = registerModule("conv3", new Conv2d(2 * width, 4 * width, 3, 1, 1));
        bn3 = registerModule("bn3", new BatchNorm2d(4 * width));
    }

    /** Size of the features for a given width. */
    static int featureDim(int width) {
        return 4 * width;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = F.maxPool2d(F.relu(bn1.forward(conv1.forward(x))), 2);
        x = F.maxPool2d(F.relu(bn2.forward(conv2.forward(x))), 2);
        x = F.relu(bn3.forward(conv3.forward(x)));
        return x.mean(new int[] {2, 3}, false);
    }
}
