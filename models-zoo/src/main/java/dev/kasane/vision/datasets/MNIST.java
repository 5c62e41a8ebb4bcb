package dev.kasane.vision.datasets;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Dataset;
import dev.kasane.data.Sample;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.vision.transforms.Transform;
import dev.kasane.vision.transforms.Transforms;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST handwritten digits (LeCun et al.): 60,000 training and 10,000 test images of 28x28 grey pixels with labels
 * 0..9, read from the four IDX files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally gzip-compressed with a {@code .gz}
 * suffix). {@link FashionMNIST} has the same layout.
 *
 * <p><b>Where the files are looked for.</b> One data directory is used, the first of:
 * <ol>
 *   <li>the directory passed in;</li>
 *   <li>when none is passed (null), the directory named by the environment variable {@code KASANE_DATA};</li>
 *   <li>when that is not set either, the system directory {@code /usr/share/datasets/mnist} (for Fashion-MNIST
 *       {@code /usr/share/datasets/fashion-mnist}, where Debian's {@code dataset-fashion-mnist} package installs it).</li>
 * </ol>
 * In a directory passed in or named by {@code KASANE_DATA}, the files may also lie in its subdirectory {@code mnist}
 * (or {@code fashion-mnist}) or in torchvision's layout {@code MNIST/raw} (or {@code FashionMNIST/raw}); the first of
 * these three places holding both files of the split wins. There is no fallback to another directory: when the data
 * directory lacks a file, a {@link FileNotFoundException} names the directory, the missing file, every place tried
 * and how to get the files.
 *
 * <p><b>Samples.</b> {@link #images()} is the whole split as U8 {@code [N, 28, 28]} and {@link #labels()} as I64
 * {@code [N]}. {@link #get(int)} returns a {@link Sample} of the transformed image and a 0-d I64 label; the default
 * transform is {@link Transforms#toTensor()}, giving F32 {@code [1, 28, 28]} in [0, 1], ready for a
 * {@code DataLoader} and a convolutional network. {@link #withTransform} gives the same data with another transform.
 *
 * <pre>{@code
 * MNIST train = MNIST.train(Path.of("data"));
 * MNIST test = MNIST.test(null).withTransform(Transforms.compose(Transforms.toTensor(),
 *         Transforms.normalize(new double[] {0.1307}, new double[] {0.3081})));
 * }</pre>
 */
public class MNIST implements Dataset<Sample> {
    private static final Logger LOG = LoggerFactory.getLogger(MNIST.class);

    /** Environment variable naming a data root directory. */
    public static final String ENV_VAR = "KASANE_DATA";

    static final Spec MNIST_SPEC = new Spec("MNIST", "mnist", "MNIST",
            List.of(Path.of("/usr/share/datasets/mnist")),
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            null,
            List.of("0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
                    "8 - eight", "9 - nine"));

    private final Spec spec;
    private final boolean train;
    private final Path directory;
    private final Tensor images;
    private final Tensor labels;
    private final Transform transform;

    /** Dataset description: names, lookup places, download hints (installHint may be null) and class names. */
    record Spec(String name, String subdir, String torchvisionDir, List<Path> systemDirs, String baseUrl,
                String installHint, List<String> classes) {
    }

    /**
     * A dataset over already-loaded arrays.
     *
     * @param spec what dataset it is
     * @param train whether this is the training split
     * @param directory where the files were read from
     * @param images U8 [N, 28, 28]
     * @param labels I64 [N]
     * @param transform applied to each image by {@link #get}, or null for none
     */
    MNIST(Spec spec, boolean train, Path directory, Tensor images, Tensor labels, Transform transform) {
        this.spec = spec;
        this.train = train;
        this.directory = directory;
        this.images = images;
        this.labels = labels;
        this.transform = transform;
    }

    /**
     * The training split (60,000 images), looked up as the class description says.
     *
     * @param directory the data directory, or null for {@code $KASANE_DATA} if set, else the system directory
     * @throws FileNotFoundException if the data directory lacks a file (the message names it, every place tried and
     *     how to get the files)
     * @throws IOException if a file cannot be read or is corrupt
     */
    public static MNIST train(Path directory) throws IOException {
        return load(MNIST_SPEC, directory, true);
    }

    /**
     * The test split (10,000 images), looked up as the class description says.
     *
     * @param directory the data directory, or null for {@code $KASANE_DATA} if set, else the system directory
     * @throws FileNotFoundException if the data directory lacks a file
     * @throws IOException if a file cannot be read or is corrupt
     */
    public static MNIST test(Path directory) throws IOException {
        return load(MNIST_SPEC, directory, false);
    }

    static MNIST load(Spec spec, Path directory, boolean train) throws IOException {
        Path[] files = locate(spec, directory, train, System.getenv(ENV_VAR));
        Tensor[] data = readPair(files[0], files[1], spec.classes().size());
        LOG.info("{} {}: {} images from {}", spec.name(), train ? "train" : "test", data[0].size(0), files[0].getParent());
        return create(spec, train, files[0].getParent(), data[0], data[1]);
    }

    static MNIST create(Spec spec, boolean train, Path dir, Tensor images, Tensor labels) {
        if (spec == FashionMNIST.SPEC) {
            return new FashionMNIST(train, dir, images, labels, Transforms.toTensor());
        }
        return new MNIST(spec, train, dir, images, labels, Transforms.toTensor());
    }

    /**
     * Reads a pair of IDX files: images [N, 28, 28] and labels [N], with every check (headers, matching counts, label
     * range) made before the large image array is allocated.
     *
     * @param imagesFile the images IDX file
     * @param labelsFile the labels IDX file
     * @param numClasses labels must be in {@code [0, numClasses)}
     * @return {U8 [N, 28, 28], I64 [N]}
     * @throws IOException naming the file and the fault when either file is missing, corrupt or inconsistent
     */
    public static Tensor[] readPair(Path imagesFile, Path labelsFile, int numClasses) throws IOException {
        Idx.Header ih = Idx.readHeader(imagesFile, 3);
        int[] d = ih.dims();
        if (d[1] != 28 || d[2] != 28) {
            throw new IOException("IDX file " + imagesFile + ": images must be 28x28, header says " + d[1] + "x" + d[2]);
        }
        Idx.Header lh = Idx.readHeader(labelsFile, 1);
        if (lh.dims()[0] != d[0]) {
            throw new IOException("IDX files disagree: " + imagesFile + " holds " + d[0] + " images but " + labelsFile
                    + " holds " + lh.dims()[0] + " labels");
        }
        byte[] labelBytes;
        try (DataInputStream in = Idx.open(labelsFile)) {
            labelBytes = Idx.readBody(in, Idx.parseHeader(in, labelsFile, 1));
        }
        long[] labels = new long[labelBytes.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelBytes[i] & 0xFF;
            if (labels[i] >= numClasses) {
                throw new IOException("IDX file " + labelsFile + ": label " + labels[i] + " at index " + i
                        + " is out of range for " + numClasses + " classes");
            }
        }
        Tensor images = Idx.read(imagesFile, 3);
        return new Tensor[] {images, Function.tensor(NDArray.fromHost(labels, DType.I64, Device.CPU, labels.length))};
    }

    /** Names of the two files of a split: {images, labels} without the compression suffix. */
    static String[] fileNames(boolean train) {
        String p = train ? "train" : "t10k";
        return new String[] {p + "-images-idx3-ubyte", p + "-labels-idx1-ubyte"};
    }

    /**
     * The places to look in, in order, each with a description of where it came from: those of {@code directory} when
     * given, else those of {@code env} when set, else the system directories.
     */
    static List<String[]> candidates(Spec spec, Path directory, String env) {
        List<String[]> out = new ArrayList<>();
        if (directory != null) {
            addRoot(out, spec, directory, "given directory");
        } else if (env != null && !env.isBlank()) {
            addRoot(out, spec, Path.of(env), "$" + ENV_VAR);
        } else {
            for (Path p : spec.systemDirs()) {
                out.add(new String[] {p.toString(), "system directory"});
            }
        }
        return out;
    }

    private static void addRoot(List<String[]> out, Spec spec, Path root, String why) {
        out.add(new String[] {root.toString(), why});
        out.add(new String[] {root.resolve(spec.subdir()).toString(), why});
        out.add(new String[] {root.resolve(spec.torchvisionDir()).resolve("raw").toString(), why + ", torchvision layout"});
    }

    /**
     * Finds the images and labels files of a split in the one data directory that {@link #candidates} picks.
     *
     * @return {images file, labels file}
     * @throws FileNotFoundException naming the data directory and the missing files, listing every place looked in
     *     and how to get the files
     */
    static Path[] locate(Spec spec, Path directory, boolean train, String env) throws FileNotFoundException {
        String[] names = fileNames(train);
        StringBuilder tried = new StringBuilder();
        for (String[] c : candidates(spec, directory, env)) {
            Path dir = Path.of(c[0]);
            Path img = find(dir, names[0]);
            Path lab = find(dir, names[1]);
            if (img != null && lab != null) {
                return new Path[] {img, lab};
            }
            tried.append("\n  - ").append(dir).append(" (").append(c[1]).append("): ");
            if (!Files.isDirectory(dir)) {
                tried.append("no such directory");
            } else if (img == null && lab == null) {
                tried.append("neither file");
            } else {
                tried.append("has ").append(img != null ? img.getFileName() : lab.getFileName()).append(" but not ")
                        .append(img != null ? names[1] : names[0]).append("[.gz]");
            }
        }
        StringBuilder msg = new StringBuilder();
        msg.append(spec.name()).append(' ').append(train ? "train" : "test").append(" split not found in ");
        if (directory != null) {
            msg.append("the given directory ").append(directory);
        } else if (env != null && !env.isBlank()) {
            msg.append("$").append(ENV_VAR).append(" = ").append(env);
        } else {
            msg.append("the system directory (no directory was given and $").append(ENV_VAR).append(" is not set)");
        }
        msg.append(": need ").append(names[0]).append("[.gz] and ").append(names[1]).append("[.gz]. Looked in:")
                .append(tried);
        if (directory != null || (env != null && !env.isBlank())) {
            msg.append("\n  (other places are looked in only when no directory is given and $").append(ENV_VAR)
                    .append(" is not set)");
        }
        msg.append("\nTo get the files: ");
        if (spec.installHint() != null) {
            msg.append(spec.installHint()).append(", or ");
        }
        msg.append("download ");
        String[] all = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"};
        for (int i = 0; i < all.length; i++) {
            msg.append(i == 0 ? "" : ", ").append(spec.baseUrl()).append(all[i]);
        }
        msg.append(" into a directory and pass it, or set $").append(ENV_VAR).append(" to it.");
        throw new FileNotFoundException(msg.toString());
    }

    private static Path find(Path dir, String name) {
        String alt = name.replace("-idx", ".idx");
        for (String n : new String[] {name, name + ".gz", alt, alt + ".gz"}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The same data with another per-sample transform (null: samples hold the raw U8 [28, 28] image). */
    public MNIST withTransform(Transform transform) {
        if (this instanceof FashionMNIST) {
            return new FashionMNIST(train, directory, images, labels, transform);
        }
        return new MNIST(spec, train, directory, images, labels, transform);
    }

    /** Number of images. */
    @Override
    public int size() {
        return images.size(0);
    }

    /**
     * Sample {@code index}: the transformed image and its 0-d I64 label.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    @Override
    public Sample get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(spec.name() + ".get: index " + index + " out of range for size " + size());
        }
        Tensor img = images.select(0, index);
        if (transform != null) {
            img = transform.apply(img);
        }
        return Sample.of(img, labels.select(0, index));
    }

    /** The label of sample {@code index}. */
    public int label(int index) {
        return (int) labels.getLong(index);
    }

    /** All images as U8 {@code [N, 28, 28]} (not transformed; do not modify). */
    public Tensor images() {
        return images;
    }

    /** All labels as I64 {@code [N]} (do not modify). */
    public Tensor labels() {
        return labels;
    }

    /** Class names, indexed by label. */
    public List<String> classes() {
        return spec.classes();
    }

    /** True for the training split. */
    public boolean isTrain() {
        return train;
    }

    /** The directory the files were read from. */
    public Path directory() {
        return directory;
    }

    /** The transform applied by {@link #get}, or null. */
    public Transform transform() {
        return transform;
    }

    /** "FashionMNIST(train, 60000 images, /usr/share/datasets/fashion-mnist)". */
    @Override
    public String toString() {
        return spec.name() + "(" + (train ? "train" : "test") + ", " + size() + " images, " + directory + ")";
    }
}
