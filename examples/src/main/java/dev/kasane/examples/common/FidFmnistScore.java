package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.vision.metrics.FidFmnist;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

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

    /**
     * {@code --fid-samples} of a GAN example: 0 to skip the score, else at least 2.
     *
     * @throws UsageException for 1 or a negative count
     */
    public static int samples(Args args) {
        int n = args.getInt(OPTION);
        if (n != 0 && n < 2) {
            throw args.error("--" + OPTION + " must be 0 or at least 2, got " + n);
        }
        return n;
    }

    /** {@link #of} of {@code generated}, also said on {@code log}. */
    public static double report(Tensor generated, Path dataDir, PrintStream log) throws IOException {
        double fid = of(generated, dataDir);
        log.printf(Locale.ROOT, "FID-FMNIST (not FID) of %d generated images against as many test images: %.3f%n",
                generated.size(0), fid);
        return fid;
    }
}
