package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.TensorDataset;
import dev.kasane.tensor.DType;
import dev.kasane.vision.datasets.FashionMNIST;
import dev.kasane.vision.datasets.MNIST;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A labelled image set held in memory as its 8-bit pixels (a quarter of the bytes of float32) and converted to
 * float32 inputs batch by batch, with whole-batch operations (much cheaper than a per-sample transform): the
 * training loops read {@link #pixelDataset()} and {@link #convert} each batch. The conversion of a batch gives the
 * same values, bit for bit, as that of the whole set, since every element goes through the same operations.
 *
 * <pre>{@code
 * ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0.2860, 0.3530);
 * var loader = DataLoader.builder(train.pixelDataset()).batchSize(64).shuffle(true).seed(s).build();
 * for (Batch b : loader) {
 *     Tensor x = train.convert(b.input());      // F32 [64, 1, 28, 28], normalised
 * }
 * }</pre>
 */
public final class ImageData {
    private final Tensor pixels;
    private final Tensor labels;
    private final List<String> classes;
    private final UnaryOperator<Tensor> conversion;

    private ImageData(Tensor pixels, Tensor labels, List<String> classes, UnaryOperator<Tensor> conversion) {
        this.pixels = pixels;
        this.labels = labels;
        this.classes = classes;
        this.conversion = conversion;
    }

    /**
     * Fashion-MNIST as U8 pixels {@code [N, 1, 28, 28]}, converted to F32 scaled to [0, 1] and then normalised as
     * {@code (x - mean) / std}.
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
            images = images.narrow(0, 0, limit).contiguous();
            labels = labels.narrow(0, 0, limit).contiguous();
        }
        return new ImageData(images.unsqueeze(1), labels, ds.classes(), x -> normalize(x, mean, std));
    }

    /**
     * U8 pixels as F32 {@code (x / 255 - mean) / std}, in place on the one F32 copy: no temporaries of the batch's
     * size; the same rounding as out-of-place ops.
     */
    private static Tensor normalize(Tensor pixels, double mean, double std) {
        Tensor x = pixels.toType(DType.F32).divInPlace(255.0);
        if (mean != 0) {
            x.subInPlace(mean);
        }
        if (std != 1) {
            x.divInPlace(std);
        }
        return x;
    }

    /** Number of images. */
    public int size() {
        return pixels.size(0);
    }

    /** The pixels, U8 {@code [N, C, H, W]} (do not modify). */
    public Tensor pixels() {
        return pixels;
    }

    /** The labels, I64 {@code [N]}. */
    public Tensor labels() {
        return labels;
    }

    /** Class names, indexed by label. */
    public List<String> classes() {
        return classes;
    }

    /**
     * The inputs of a batch of {@link #pixels()} rows (e.g. a loader's batch of {@link #pixelDataset()}): F32
     * {@code [B, C', H', W']}, a new tensor on the pixels' device.
     */
    public Tensor convert(Tensor pixelBatch) {
        return conversion.apply(pixelBatch);
    }

    /** The inputs of the first {@code n} images (all when fewer), as {@link #convert}. */
    public Tensor head(int n) {
        return convert(pixels.narrow(0, 0, Math.min(n, size())));
    }

    /** All images converted at once, F32 {@code [N, C', H', W']} (a new tensor each call: four bytes per pixel). */
    public Tensor images() {
        return convert(pixels);
    }

    /** The same pixels with {@code f} applied to every converted batch after the conversion (e.g. padding). */
    public ImageData map(UnaryOperator<Tensor> f) {
        return new ImageData(pixels, labels, classes, x -> f.apply(conversion.apply(x)));
    }

    /** (pixels {@code [C, H, W]} U8, 0-d label) samples over the tensors (views, no copies): {@link #convert} batches. */
    public TensorDataset pixelDataset() {
        return new TensorDataset(pixels, labels);
    }

    /** (converted image {@code [C', H', W']}, 0-d label) samples over all images converted at once ({@link #images()}). */
    public TensorDataset dataset() {
        return new TensorDataset(images(), labels);
    }
}
