package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.TensorDataset;
import dev.kasane.tensor.DType;
import dev.kasane.vision.datasets.FashionMNIST;
import dev.kasane.vision.datasets.MNIST;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A labelled image set held in memory as two tensors, converted once with whole-array operations (much cheaper than a
 * per-sample transform in every epoch).
 *
 * <pre>{@code
 * ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0.2860, 0.3530);
 * var loader = DataLoader.builder(train.dataset()).batchSize(64).shuffle(true).seed(s).build();
 * }</pre>
 *
 * @param images F32 {@code [N, C, H, W]}
 * @param labels I64 {@code [N]}
 * @param classes class names, indexed by label
 */
public record ImageData(Tensor images, Tensor labels, List<String> classes) {
    /**
     * Fashion-MNIST as F32 {@code [N, 1, 28, 28]}, scaled to [0, 1] and then normalised as {@code (x - mean) / std}.
     *
     * @param dir the data directory ({@code --data}), or null for {@code $KASANE_DATA} if set, else
     *     {@code /usr/share/datasets/fashion-mnist}
     * @param train the training split (60,000) or the test split (10,000)
     * @param limit keep only the first {@code limit} samples; 0 for all
     * @param mean subtracted after scaling to [0, 1] (0 for none)
     * @param std divided by after subtracting the mean (1 for none)
     * @throws IOException if the files are missing (the message says where it looked and how to get them) or corrupt
     */
    public static ImageData fashionMnist(Path dir, boolean train, int limit, double mean, double std) throws IOException {
        MNIST ds = train ? FashionMNIST.train(dir) : FashionMNIST.test(dir);
        return of(ds, limit, mean, std);
    }

    /** MNIST digits, as {@link #fashionMnist}. */
    public static ImageData mnist(Path dir, boolean train, int limit, double mean, double std) throws IOException {
        return of(train ? MNIST.train(dir) : MNIST.test(dir), limit, mean, std);
    }

    private static ImageData of(MNIST ds, int limit, double mean, double std) {
        Tensor images = ds.images();
        Tensor labels = ds.labels();
        if (limit > 0 && limit < images.size(0)) {
            images = images.narrow(0, 0, limit);
            labels = labels.narrow(0, 0, limit);
        }
        // In place on the one F32 copy: no full-size temporaries (each would be 188 MB for Fashion-MNIST's training
        // split, and G1 grows the heap for good on such a burst at start-up); the same rounding as out-of-place ops.
        Tensor x = images.toType(DType.F32).divInPlace(255.0);
        if (mean != 0) {
            x.subInPlace(mean);
        }
        if (std != 1) {
            x.divInPlace(std);
        }
        return new ImageData(x.unsqueeze(1).contiguous(), labels.contiguous(), ds.classes());
    }

    /** Number of images. */
    public int size() {
        return images.size(0);
    }

    /** The same images transformed as a whole (e.g. padded), with the same labels. */
    public ImageData map(java.util.function.UnaryOperator<Tensor> f) {
        return new ImageData(f.apply(images), labels, classes);
    }

    /** A dataset of (image {@code [C, H, W]}, 0-d label) samples over the tensors (views, no copies). */
    public TensorDataset dataset() {
        return new TensorDataset(images, labels);
    }
}
