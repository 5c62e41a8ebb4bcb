package dev.kasane.vision.datasets;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Sample;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.transforms.Transforms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    @TempDir
    Path root;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    void image(String rel, int value, int h, int w) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Images.write(Tensor.full(value, DType.U8, dev.kasane.tensor.Device.CPU, 3, h, w), p);
    }

    @Test
    void classesSortedAndSamplesLabelled() throws IOException {
        image("dog/b.png", 20, 4, 6);
        image("dog/a.png", 10, 4, 6);
        image("Zebra/x.bmp", 30, 4, 6);
        image("cat/sub/c.jpg", 200, 4, 6);
        Files.writeString(root.resolve("cat/readme.txt"), "not an image");
        Files.writeString(root.resolve("stray.png"), "files in the root are ignored");
        var ds = new ImageFolder(root);
        assertEquals(List.of("Zebra", "cat", "dog"), ds.classes());   // code-point order: upper case first
        assertEquals(4, ds.size());
        assertEquals(2, ds.classToIdx().get("dog"));
        assertEquals(root.resolve("dog/a.png"), ds.files().get(2));
        Sample s = ds.get(2);
        assertArrayEquals(new int[] {3, 4, 6}, s.input().shape());
        assertEquals(10 / 255.0, s.input().get(1, 2, 3), 1e-6);
        assertEquals(2, s.target().itemLong());
        assertEquals(0, ds.label(0));
        assertEquals(1, ds.label(1));
        var small = new ImageFolder(root, Images.ColorMode.GRAY, Transforms.compose(Transforms.toTensor(), Transforms.resize(2, 3)));
        assertArrayEquals(new int[] {1, 2, 3}, small.get(0).input().shape());
        var gray = new ImageFolder(root, Images.ColorMode.GRAY, null);
        assertEquals(DType.U8, gray.get(3).input().dtype());
        assertEquals(20, (int) gray.get(3).input().get(0, 0, 0));
    }

    @Test
    void errors() throws IOException {
        IOException e = assertThrows(IOException.class, () -> new ImageFolder(root));
        assertTrue(e.getMessage().contains("no class subdirectories"), e.getMessage());
        Files.createDirectories(root.resolve("a"));
        IOException e2 = assertThrows(IOException.class, () -> new ImageFolder(root));
        assertTrue(e2.getMessage().contains("no image files"), e2.getMessage());
        Files.writeString(root.resolve("a/broken.png"), "garbage");
        var ds = new ImageFolder(root);
        UncheckedIOException u = assertThrows(UncheckedIOException.class, () -> ds.get(0));
        assertTrue(u.getMessage().contains("broken.png"), u.getMessage());
        assertThrows(IOException.class, () -> new ImageFolder(root.resolve("nope")));
    }
}
