package dev.kasane.examples.superres;

import dev.kasane.autograd.Tensor;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.transforms.Transforms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The photographs of a run, read as RGB F32 {@code [3, H, W]} in [0, 1] (grey images repeated to three channels), split
 * into training images and held-out images.
 *
 * @param train the images training patches are cut from
 * @param test the held-out images, evaluated whole
 */
record SrImages(List<Named> train, List<Named> test) {
    /** scikit-image's photographs (its {@code skimage/data} folder), the default {@code --images}. */
    static final String SKIMAGE_PHOTOS = "astronaut,camera,coins,grass,gravel,brick,moon,rocket,chelsea,coffee,motorcycle_left";
    /** Where Debian's python3-skimage installs its sample images. */
    static final Path SKIMAGE_DATA = Path.of("/usr/lib/python3/dist-packages/skimage/data");

    /** An image and its file name without the extension. */
    record Named(String name, Tensor rgb) {
    }

    /**
     * Reads the images.
     *
     * @param dir the folder
     * @param names comma-separated file names without extension (PNG or JPEG, in that order), or {@code all} for every
     *     {@code .png}/{@code .jpg}/{@code .jpeg} of the folder, sorted by name
     * @param holdout how many of them, the last ones, are held out for evaluation
     * @param minSize the smallest height or width an image may have
     * @throws IOException naming the folder or file that is missing, unreadable or too small
     */
    static SrImages load(Path dir, String names, int holdout, int minSize) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("superres: image folder " + dir + " does not exist (give --data DIR, a folder of PNG/JPEG "
                    + "images; scikit-image's photographs: apt-get install python3-skimage, or unpack its .deb with dpkg -x "
                    + "and use its skimage/data folder)");
        }
        List<Path> files = names.equals("all") ? allImages(dir) : named(dir, names);
        if (files.size() < holdout + 1) {
            throw new IOException("superres: " + files.size() + " image(s) in " + dir + " for " + holdout
                    + " held-out image(s) and at least one training image");
        }
        List<Named> images = new ArrayList<>();
        for (Path f : files) {
            Tensor rgb = Transforms.toTensor(Images.read(f, Images.ColorMode.RGB));
            if (rgb.size(1) < minSize || rgb.size(2) < minSize) {
                throw new IOException(String.format(Locale.ROOT, "superres: %s is %dx%d, smaller than %d pixels (leave it out "
                        + "of --images)", f, rgb.size(2), rgb.size(1), minSize));
            }
            images.add(new Named(baseName(f), rgb));
        }
        int cut = images.size() - holdout;
        return new SrImages(List.copyOf(images.subList(0, cut)), List.copyOf(images.subList(cut, images.size())));
    }

    private static List<Path> allImages(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g)")).sorted().toList();
        }
    }

    private static List<Path> named(Path dir, String names) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String n : names.split(",")) {
            String name = n.trim();
            Path found = null;
            for (String ext : new String[] {".png", ".jpg", ".jpeg"}) {
                Path p = dir.resolve(name + ext);
                if (found == null && Files.isRegularFile(p)) {
                    found = p;
                }
            }
            if (found == null) {
                throw new IOException("superres: no image '" + name + "' (.png, .jpg) in " + dir + " (--images names "
                        + "scikit-image's photographs by default; give --images all for every PNG/JPEG of the folder)");
            }
            files.add(found);
        }
        return files;
    }

    private static String baseName(Path f) {
        String s = f.getFileName().toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
