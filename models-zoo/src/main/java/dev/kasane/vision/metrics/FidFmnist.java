package dev.kasane.vision.metrics;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * "FID-FMNIST": the Fréchet distance ({@link FrechetDistance}) between Gaussians fitted to the 64 penultimate
 * features of a small Fashion-MNIST classifier ({@link Network}), for scoring generators trained on Fashion-MNIST
 * offline. <b>It is not FID</b>: FID uses the 2048 pool3 features of the FID paper's Inception network on 299x299
 * natural images, and numbers from this classifier are on another scale altogether, comparable only with other
 * FID-FMNIST values (same weights, same number of samples: the estimate is biased upwards for small samples).
 *
 * <p>Images are {@code [N, 1, 28, 28]} scaled to [-1, 1] (the range of a tanh generator: {@code x / 127.5 - 1}).
 * {@link #pretrained()} loads the weights shipped with this module (about 880 kB), trained by the examples' command
 * {@code fid-fmnist --epochs 3} (Fashion-MNIST training split, 3 epochs: 90.0% test accuracy; see README).
 *
 * <p>The same network also gives "IS-FMNIST" ({@link #inceptionScore}: the Inception Score's formula over its class
 * probabilities; not the Inception Score) and precision/recall ({@link PrecisionRecall}) on its features;
 * {@link #evaluate} computes all three.
 *
 * <pre>{@code
 * FidFmnist fid = FidFmnist.pretrained();
 * double score = fid.distance(realImages, generatedImages);   // both [N, 1, 28, 28] in [-1, 1]
 * FidFmnist.Evaluation e = fid.evaluate(realImages, generatedImages);   // FID-FMNIST, IS-FMNIST, precision/recall
 * }</pre>
 */
public final class FidFmnist {
    /** The classpath resource holding the shipped weights. */
    public static final String RESOURCE = "fid-fmnist.safetensors";
    /** The feature size. */
    public static final int FEATURES = 64;
    private static final int BATCH = 256;
    private final Network network;

    private FidFmnist(Network network) {
        this.network = network;
        network.eval();
    }

    /**
     * The feature network: two 3x3 convolutions (32 and 64 channels, each with batch norm, ReLU and 2x2 max pooling),
     * a linear layer from the 64 x 7 x 7 maps to 64 features with ReLU (the features), and a linear classifier to
     * the 10 classes. State-dict keys {@code features.*} and {@code classifier.*}.
     */
    public static final class Network extends Module {
        private final Sequential features = registerModule("features", new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * 7 * 7, FEATURES), new ReLU()));
        private final Linear classifier = registerModule("classifier", new Linear(FEATURES, 10));

        /** A network with PyTorch's default initialisation. */
        public Network() {
        }

        /** The 64 features [N, 64] of images [N, 1, 28, 28]. */
        public Tensor features(Tensor images) {
            if (images.dim() != 4 || images.size(1) != 1 || images.size(2) != 28 || images.size(3) != 28) {
                throw error("expected Fashion-MNIST images [N, 1, 28, 28] in [-1, 1], got " + images.describe());
            }
            return features.forward(images);
        }

        /** The class logits [N, 10] of images [N, 1, 28, 28]. */
        @Override
        public Tensor forward(Tensor images) {
            return logits(features(images));
        }

        /** The class logits [N, 10] of the 64 features [N, 64] that {@link #features} gives. */
        public Tensor logits(Tensor features) {
            if (features.dim() != 2 || features.size(1) != FEATURES) {
                throw error("expected features [N, " + FEATURES + "], got " + features.describe());
            }
            return classifier.forward(features);
        }
    }

    /**
     * The scorer with the weights shipped in this module's resources.
     *
     * @throws UncheckedIOException if the resource cannot be read
     */
    public static FidFmnist pretrained() {
        try (InputStream in = FidFmnist.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("FidFmnist: resource " + RESOURCE + " is missing from the class path"));
            }
            Path tmp = Files.createTempFile("fid-fmnist", ".safetensors");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("FidFmnist: reading the shipped weights " + RESOURCE, e);
        }
    }

    /**
     * The scorer with the {@link Network} weights of a safetensors file (as written by the {@code fid-fmnist} example).
     *
     * @throws IOException if the file cannot be read or is not a safetensors file
     * @throws IllegalArgumentException if its keys or shapes are not the network's
     */
    public static FidFmnist load(Path weights) throws IOException {
        Network n = new Network();
        n.loadStateDict(Safetensors.load(weights), true);
        return new FidFmnist(n);
    }

    /** The scorer around a trained network (put in evaluation mode). */
    public static FidFmnist of(Network network) {
        return new FidFmnist(Objects.requireNonNull(network, "network"));
    }

    /**
     * The features F64 [N, 64] of images [N, 1, 28, 28] in [-1, 1], in batches without grad (each moved to the
     * network's device), on the CPU.
     */
    public Tensor features(Tensor images) {
        Device device = network.parameters().get(0).device();
        return FrechetDistance.features(x -> network.features(x.to(device)), images, BATCH);
    }

    /** The Gaussian fitted to the features of {@code images} (compute it once for the real set). */
    public FrechetDistance.Gaussian fit(Tensor images) {
        return FrechetDistance.fit(features(images));
    }

    /** FID-FMNIST between two image sets, each [N, 1, 28, 28] in [-1, 1]. */
    public double distance(Tensor imagesA, Tensor imagesB) {
        return FrechetDistance.between(fit(imagesA), fit(imagesB));
    }

    /**
     * The classifier's class probabilities (softmax of its logits), F64 [N, 10] on the CPU, of images
     * [N, 1, 28, 28] in [-1, 1].
     */
    public Tensor probabilities(Tensor images) {
        return probabilitiesOfFeatures(features(images));
    }

    /**
     * "IS-FMNIST" of generated images [N, 1, 28, 28] in [-1, 1], N at least {@value InceptionScore#SPLITS}: the
     * Inception Score's formula ({@link InceptionScore}, 10 splits) over this classifier's probabilities. <b>It is
     * not the Inception Score</b> (that needs the Inception network's probabilities); it ranges from 1 to 10 and
     * compares only with other IS-FMNIST values.
     */
    public InceptionScore.Result inceptionScore(Tensor images) {
        return InceptionScore.of(probabilities(images));
    }

    /**
     * The three scores of generated images against real ones, each set [N, 1, 28, 28] in [-1, 1] (N at least
     * {@value InceptionScore#SPLITS}), from one pass of the network over each set.
     *
     * @param fid FID-FMNIST ({@link #distance})
     * @param isFmnist IS-FMNIST of the generated images ({@link #inceptionScore})
     * @param precisionRecall precision and recall ({@link PrecisionRecall}, k = 3) on the 64 features
     */
    public record Evaluation(double fid, InceptionScore.Result isFmnist, PrecisionRecall.Result precisionRecall) {
    }

    /** FID-FMNIST, IS-FMNIST and precision/recall of {@code generated} against {@code real} (see {@link Evaluation}). */
    public Evaluation evaluate(Tensor real, Tensor generated) {
        Tensor realFeatures = features(real);
        Tensor generatedFeatures = features(generated);
        return new Evaluation(FrechetDistance.of(realFeatures, generatedFeatures),
                InceptionScore.of(probabilitiesOfFeatures(generatedFeatures)),
                PrecisionRecall.of(realFeatures, generatedFeatures));
    }

    /** The softmax of the classifier over features F64 [N, 64], in batches, as F64 on the CPU. */
    private Tensor probabilitiesOfFeatures(Tensor features) {
        Device device = network.parameters().get(0).device();
        return FrechetDistance.features(f -> network.logits(f.toType(DType.F32).to(device)).softmax(1), features, BATCH);
    }
}
