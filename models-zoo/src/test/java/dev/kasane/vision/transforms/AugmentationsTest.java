package dev.kasane.vision.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.Test;

/** The random draws of the SimCLR augmentations (their fixed-parameter numerics are in AugmentationsParityTest). */
class AugmentationsTest {
    @Test
    void resizedCropBoxesFollowTheScaleAndRatioRanges() {
        Generator gen = new Generator(3);
        int attempts = 2000;
        double minArea = 1;
        double maxArea = 0;
        for (int k = 0; k < attempts; k++) {
            int[] box = Augmentations.resizedCropBox(40, 60, 0.2, 0.9, 0.75, 4 / 3.0, gen);
            int top = box[0];
            int left = box[1];
            int h = box[2];
            int w = box[3];
            assertTrue(top >= 0 && left >= 0 && top + h <= 40 && left + w <= 60, "box inside the image");
            double area = (double) h * w / (40 * 60);
            // rounding w and h to integers moves the area and ratio a little off the drawn values
            assertTrue(area > 0.2 * 0.9 && area < 0.9 * 1.1, "area fraction " + area);
            assertTrue((double) w / h > 0.75 * 0.85 && (double) w / h < 4 / 3.0 * 1.15, "ratio " + w + "/" + h);
            minArea = Math.min(minArea, area);
            maxArea = Math.max(maxArea, area);
        }
        assertTrue(minArea < 0.25 && maxArea > 0.85, "areas span the range: " + minArea + " .. " + maxArea);
    }

    @Test
    void resizedCropFallsBackToTheCentralCropWithTheRatioClamped() {
        // a ratio of at least 10 never fits an 8x8 image within ten attempts: torchvision takes the central crop
        // of full width and height round(8 / 10) = 1
        assertArrayEquals(new int[] {3, 0, 1, 8}, Augmentations.resizedCropBox(8, 8, 0.9, 1, 10, 20, new Generator(1)));
        assertArrayEquals(new int[] {0, 3, 8, 1}, Augmentations.resizedCropBox(8, 8, 0.9, 1, 0.05, 0.1, new Generator(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentations.randomResizedCrop(8, 0.5, 0.2, new Generator(1)));
        assertTrue(e.getMessage().startsWith("randomResizedCrop: scale and ratio must be ranges"), e.getMessage());
    }

    @Test
    void randomResizedCropGivesTheRequestedSize() {
        Tensor img = Tensor.rand(1, 20, 30);
        Tensor out = Augmentations.randomResizedCrop(12, 0.08, 1, new Generator(5)).apply(img);
        assertArrayEquals(new int[] {1, 12, 12}, out.shape());
    }

    @Test
    void colorJitterOnGrayImagesChangesOnlyBrightnessAndContrast() {
        Tensor gray = Tensor.uniform(new Generator(2), 0, 1, DType.F32, Device.CPU, 1, 6, 6);
        Tensor sameGray = Augmentations.colorJitter(0, 0, 0.9, 0.4, new Generator(4)).apply(gray);
        assertArrayEquals(gray.toFloatArray(), sameGray.toFloatArray(), 0f);
        Tensor changed = Augmentations.colorJitter(0.5, 0, 0, 0, new Generator(4)).apply(gray);
        assertFalse(gray.allClose(changed, 1e-3, 1e-3), "brightness changes a gray image");
        Tensor rgb = Tensor.uniform(new Generator(2), 0, 1, DType.F32, Device.CPU, 3, 6, 6);
        assertFalse(rgb.allClose(Augmentations.colorJitter(0, 0, 0, 0.3, new Generator(4)).apply(rgb), 1e-3, 1e-3),
                "hue changes an RGB image");
        assertThrows(IllegalArgumentException.class, () -> Augmentations.colorJitter(0, 0, 0, 0.6, new Generator(4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentations.colorJitter(0.4, 0, 0, 0, new Generator(4)).apply(Tensor.rand(2, 6, 6)));
        assertTrue(e.getMessage().startsWith("colorJitter: expected a floating-point image [..., C, H, W] with 1 or 3"),
                e.getMessage());
    }

    @Test
    void randomGrayscaleAndRandomApplyRespectTheirProbabilities() {
        Tensor rgb = Tensor.uniform(new Generator(2), 0, 1, DType.F32, Device.CPU, 3, 5, 5);
        Tensor g = Augmentations.randomGrayscale(1, new Generator(1)).apply(rgb);
        assertArrayEquals(new int[] {3, 5, 5}, g.shape());
        assertArrayEquals(g.select(0, 0).toFloatArray(), g.select(0, 2).toFloatArray(), 0f);
        assertSame(rgb, Augmentations.randomGrayscale(0, new Generator(1)).apply(rgb));
        Transform neg = Tensor::neg;
        assertSame(rgb, Augmentations.randomApply(neg, 0, new Generator(1)).apply(rgb));
        int applied = 0;
        Transform half = Augmentations.randomApply(neg, 0.3, new Generator(9));
        for (int i = 0; i < 1000; i++) {
            applied += half.apply(rgb) == rgb ? 0 : 1;
        }
        assertTrue(applied > 250 && applied < 350, "applied " + applied + " of 1000 times with p = 0.3");
    }

    @Test
    void gaussianBlurKeepsTheMeanOfAConstantImageAndChecksItsArguments() {
        Tensor c = Tensor.full(0.25, 2, 3, 7, 7);
        Tensor b = Augmentations.gaussianBlur(5, 0.1, 2.0, new Generator(1)).apply(c);
        assertTrue(b.allClose(c, 1e-6, 1e-6), "a constant image stays constant");
        assertThrows(IllegalArgumentException.class, () -> Augmentations.gaussianBlur(4, 0.1, 2, new Generator(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentations.gaussianBlur(Tensor.rand(1, 2, 9), 5, 5, 1, 1));
        assertTrue(e.getMessage().startsWith("gaussianBlur: kernel 5x5 needs an image larger"), e.getMessage());
    }

    @Test
    void twoViewsAugmentEachImageIndependently() {
        Tensor batch = Tensor.uniform(new Generator(8), 0, 1, DType.F32, Device.CPU, 4, 1, 28, 28);
        Transform t = Augmentations.simclr(28, 0.2, 0.5, true, new Generator(6));
        Tensor[] views = Augmentations.twoViews(batch, t);
        assertEquals(2, views.length);
        assertArrayEquals(new int[] {4, 1, 28, 28}, views[0].shape());
        assertArrayEquals(new int[] {4, 1, 28, 28}, views[1].shape());
        assertFalse(views[0].allClose(views[1], 1e-3, 1e-3), "the two views differ");
        double min = views[0].min().item();
        double max = views[0].max().item();
        assertTrue(min >= 0 && max <= 1, "values stay in [0, 1]: " + min + " .. " + max);
        assertThrows(IllegalArgumentException.class, () -> Augmentations.twoViews(Tensor.zeros(0, 1, 4, 4), t));
    }
}
