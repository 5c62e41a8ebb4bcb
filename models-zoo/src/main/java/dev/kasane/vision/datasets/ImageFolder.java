package dev.kasane.vision.datasets;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Dataset;
import dev.kasane.data.Sample;
import dev.kasane.io.Safetensors;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.transforms.Transform;
import dev.kasane.vision.transforms.Transforms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * torchvision's {@code ImageFolder}: images stored as {@code root/<class>/<...>/<file>}, one subdirectory per class.
 * Classes are the subdirectory names sorted in code-point order (Python's {@code sorted}), labelled 0, 1, ...;
 * the samples are every file with an image extension ({@code .png .jpg .jpeg .bmp .gif}, any case) under each class
 * directory, recursively, sorted by path within the class. Images are decoded when a sample is requested.
 *
 * <pre>{@code
 * var ds = new ImageFolder(Path.of("data/train"), Images.ColorMode.RGB,
 *         Transforms.compose(Transforms.toTensor(), Transforms.resize(64, 64)));
 * Sample s = ds.get(0);   // F32 [3, 64, 64], 0-d I64 label
 * }</pre>
 */
public final class ImageFolder implements Dataset<Sample> {
    /** File extensions recognised as images (lower case, without the dot). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final List<String> classes;
    private final List<Path> files;
    private final long[] labels;
    private final Images.ColorMode mode;
    private final Transform transform;

    /**
     * Scans {@code root}; samples are RGB images passed through {@link Transforms#toTensor()} (F32 {@code [3, H, W]}).
     *
     * @throws IOException if {@code root} is not a directory, has no class subdirectories or no images
     */
    public ImageFolder(Path root) throws IOException {
        this(root, Images.ColorMode.RGB, Transforms.toTensor());
    }

    /**
     * Scans {@code root}.
     *
     * @param mode how images are decoded (torchvision converts to RGB)
     * @param transform applied to each decoded U8 {@code [H, W, C]} image, or null to return it as is
     * @throws IOException if {@code root} is not a directory, has no class subdirectories or no images
     */
    public ImageFolder(Path root, Images.ColorMode mode, Transform transform) throws IOException {
        this.root = Objects.requireNonNull(root, "ImageFolder: root");
        this.mode = Objects.requireNonNull(mode, "ImageFolder: mode");
        this.transform = transform;
        if (!Files.isDirectory(root)) {
            throw new IOException("ImageFolder: " + root + " is not a directory");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(Safetensors::compareUtf8);
        if (names.isEmpty()) {
            throw new IOException("ImageFolder: " + root + " has no class subdirectories (expected root/<class>/<image>)");
        }
        List<Path> f = new ArrayList<>();
        List<Long> l = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            List<Path> found = new ArrayList<>();
            try (Stream<Path> s = Files.walk(root.resolve(names.get(c)))) {
                s.filter(Files::isRegularFile).filter(ImageFolder::isImage).forEach(found::add);
            }
            found.sort((a, b) -> Safetensors.compareUtf8(a.toString(), b.toString()));
            for (Path p : found) {
                f.add(p);
                l.add((long) c);
            }
        }
        if (f.isEmpty()) {
            throw new IOException("ImageFolder: no image files (" + String.join(", ", new java.util.TreeSet<>(EXTENSIONS))
                    + ") in the class directories of " + root + ": " + names);
        }
        this.classes = List.copyOf(names);
        this.files = List.copyOf(f);
        this.labels = l.stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Number of images. */
    @Override
    public int size() {
        return files.size();
    }

    /**
     * Decodes image {@code index} and returns it transformed, with its 0-d I64 label.
     *
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     * @throws UncheckedIOException naming the file if it cannot be decoded
     */
    @Override
    public Sample get(int index) {
        if (index < 0 || index >= files.size()) {
            throw new IndexOutOfBoundsException("ImageFolder.get: index " + index + " out of range for size " + files.size());
        }
        Tensor img;
        try {
            img = Images.read(files.get(index), mode);
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder: sample " + index + ": " + e.getMessage(), e);
        }
        if (transform != null) {
            img = transform.apply(img);
        }
        return Sample.of(img, labels[index]);
    }

    /** The class names, sorted; label {@code i} is {@code classes().get(i)}. */
    public List<String> classes() {
        return classes;
    }

    /** Class name to label. */
    public Map<String, Integer> classToIdx() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            m.put(classes.get(i), i);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The image files, in sample order. */
    public List<Path> files() {
        return files;
    }

    /** The label of sample {@code index}. */
    public int label(int index) {
        return (int) labels[index];
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** "ImageFolder(root, 120 images, 3 classes)". */
    @Override
    public String toString() {
        return "ImageFolder(" + root + ", " + files.size() + " images, " + classes.size() + " classes)";
    }
}
