package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.vision.metrics.FidFmnist;
import dev.kasane.vision.metrics.InceptionScore;
import dev.kasane.vision.metrics.PrecisionRecall;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * FID-FMNIST, IS-FMNIST and precision/recall of generated Fashion-MNIST images, for the GAN examples: the shipped
 * {@link FidFmnist} network ({@link FidFmnist#evaluate}), by default against the first {@code n} test images scaled
 * to [-1, 1] as the real set. Not FID, not the Inception Score (see {@link FidFmnist}).
 */
public final class FidFmnistScore {
    /** The option name of the sample count in the GAN examples. */
    public static final String OPTION = "fid-samples";

    private FidFmnistScore() {
    }

    /**
     * {@code --fid-samples} of a GAN example: 0 to skip the scores, else at least {@value InceptionScore#SPLITS}
     * (IS-FMNIST's splits).
     *
     * @throws UsageException for a count from 1 to 9 or a negative one
     */
    public static int samples(Args args) {
        int n = args.getInt(OPTION);
        if (n != 0 && n < InceptionScore.SPLITS) {
            throw args.error("--" + OPTION + " must be 0 or at least " + InceptionScore.SPLITS + ", got " + n);
        }
        return n;
    }

    /**
     * The scores of {@code generated} [N, 1, 28, 28] in [-1, 1] against as many test images (all N of them when the
     * test split has that many; fewer otherwise), also said on {@code log}.
     *
     * @param dataDir the Fashion-MNIST directory ({@code --data}), or null for the default
     * @throws IOException if the test split cannot be read
     */
    public static FidFmnist.Evaluation report(Tensor generated, Path dataDir, PrintStream log) throws IOException {
        ImageData real = ImageData.fashionMnist(dataDir, false, generated.size(0), 0.5, 0.5);
        return report(generated, "generated images", real.images(), "test images", log);
    }

    /**
     * The scores of {@code generated} against {@code real} (both [N, 1, 28, 28] in [-1, 1]), said on {@code log} as
     * "FID-FMNIST (not FID) of N {@code what} against M {@code realWhat}: ...".
     */
    public static FidFmnist.Evaluation report(Tensor generated, String what, Tensor real, String realWhat, PrintStream log) {
        FidFmnist.Evaluation e = FidFmnist.pretrained().evaluate(real, generated);
        log.printf(Locale.ROOT, "FID-FMNIST (not FID) of %d %s against %d %s: %.3f; IS-FMNIST (not the Inception Score) "
                        + "%.3f +- %.3f; precision %.3f, recall %.3f (k = %d)%n", generated.size(0), what, real.size(0), realWhat,
                e.fid(), e.isFmnist().mean(), e.isFmnist().std(), e.precisionRecall().precision(),
                e.precisionRecall().recall(), PrecisionRecall.K);
        return e;
    }
}
