package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.vision.metrics.FidFmnist;
import java.io.IOException;
import java.nio.file.Path;

/**
 * FID-FMNIST of generated Fashion-MNIST images against the test split, for the GAN examples: the shipped
 * {@link FidFmnist} network, the first {@code n} test images scaled to [-1, 1] as the real set. Not FID (see
 * {@link FidFmnist}).
 */
public final class FidFmnistScore {
    /** The option name of the sample count in the GAN examples. */
    public static final String OPTION = "fid-samples";

    private FidFmnistScore() {
    }

    /**
     * FID-FMNIST of {@code generated} [N, 1, 28, 28] in [-1, 1] against as many test images (all N of them when
     * the test split has that many; fewer otherwise).
     *
     * @param dataDir the Fashion-MNIST directory ({@code --data}), or null for the default
     * @throws IOException if the test split cannot be read
     */
    public static double of(Tensor generated, Path dataDir) throws IOException {
        ImageData real = ImageData.fashionMnist(dataDir, false, generated.size(0), 0.5, 0.5);
        return FidFmnist.pretrained().distance(real.images(), generated);
    }
}
