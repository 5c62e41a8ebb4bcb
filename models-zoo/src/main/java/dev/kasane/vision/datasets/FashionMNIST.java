package dev.kasane.vision.datasets;

import dev.kasane.autograd.Tensor;
import dev.kasane.vision.transforms.Transform;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test 28x28 grey images of clothing in 10 classes, in
 * MNIST's IDX layout. Everything in {@link MNIST} applies; the files are read from the given directory (or its
 * {@code fashion-mnist} or {@code FashionMNIST/raw} subdirectory), or, when none is given, from {@code $KASANE_DATA}
 * if set, else from {@code /usr/share/datasets/fashion-mnist}, where {@code apt-get install dataset-fashion-mnist}
 * puts them. A given directory that lacks a file is an error, never a reason to look elsewhere.
 *
 * <pre>{@code
 * var train = FashionMNIST.train(null);     // samples: F32 [1, 28, 28] in [0, 1], 0-d I64 label
 * var test = FashionMNIST.test(null);
 * System.out.println(train.classes().get(train.label(0)));   // "Ankle boot"
 * }</pre>
 */
public final class FashionMNIST extends MNIST {
    /** The class names by label, 0 to 9 (what {@link #classes()} returns). */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final Spec SPEC = new Spec("FashionMNIST", "fashion-mnist", "FashionMNIST",
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "sudo apt-get install dataset-fashion-mnist (installs them in /usr/share/datasets/fashion-mnist)", CLASSES);

    FashionMNIST(boolean train, Path directory, Tensor images, Tensor labels, Transform transform) {
        super(SPEC, train, directory, images, labels, transform);
    }

    /**
     * The training split (60,000 images).
     *
     * @param directory the data directory, or null for {@code $KASANE_DATA} if set, else the system directory
     * @throws FileNotFoundException if the data directory lacks a file (the message names it, every place tried and
     *     how to get the files)
     * @throws IOException if a file cannot be read or is corrupt
     */
    public static FashionMNIST train(Path directory) throws IOException {
        return (FashionMNIST) load(SPEC, directory, true);
    }

    /**
     * The test split (10,000 images).
     *
     * @param directory the data directory, or null for {@code $KASANE_DATA} if set, else the system directory
     * @throws FileNotFoundException if the data directory lacks a file
     * @throws IOException if a file cannot be read or is corrupt
     */
    public static FashionMNIST test(Path directory) throws IOException {
        return (FashionMNIST) load(SPEC, directory, false);
    }

    /** The same data with another per-sample transform (null: samples hold the raw U8 [28, 28] image). */
    @Override
    public FashionMNIST withTransform(Transform transform) {
        return (FashionMNIST) super.withTransform(transform);
    }
}
