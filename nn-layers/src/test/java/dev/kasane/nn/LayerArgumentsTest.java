package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.nn.functional.InterpolationMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Layer constructors refuse negative or zero sizes with a message naming the layer and the argument that is wrong. */
class LayerArgumentsTest {
    private static void assertNames(Executable make, String layer, String argument, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        String m = e.getMessage();
        assertTrue(m.startsWith(layer + ": " + argument + " must be") && m.contains(value), "expected '" + layer + ": "
                + argument + " must be ...' with " + value + ", got: " + m);
    }

    @Test
    void embedding() {
        // used to say "padding_idx must be within num_embeddings -1"
        assertNames(() -> new Embedding(-1, 4), "Embedding", "num_embeddings", "-1");
        assertNames(() -> new Embedding(10, -4), "Embedding", "embedding_dim", "-4");
        assertNames(() -> new Embedding(10, 4, 10), "Embedding", "padding_idx", "10");
        assertEquals(2, new Embedding(3, 2).weight().shape()[1]);
    }

    @Test
    void linearAndConvolutions() {
        assertNames(() -> new Linear(-3, 4), "Linear", "in_features", "-3");
        assertNames(() -> new Linear(3, -4), "Linear", "out_features", "-4");
        assertNames(() -> new Conv2d(0, 4, 3), "Conv2d", "in_channels", "0");
        assertNames(() -> new Conv2d(3, -4, 3), "Conv2d", "out_channels", "-4");
        assertNames(() -> new Conv2d(3, 4, 0), "Conv2d", "kernel_size", "(0, 0)");
        assertNames(() -> new Conv2d(3, 4, 3, -1, 0), "Conv2d", "stride", "(-1, -1)");
        assertNames(() -> new Conv1d(2, 4, 3, 1, dev.kasane.nn.functional.Padding.VALID, 1, 0, true,
                dev.kasane.tensor.PadMode.CONSTANT), "Conv1d", "groups", "0");
        assertNames(() -> new ConvTranspose2d(2, 4, 3, 1, -1), "ConvTranspose2d", "padding", "-1");
    }

    @Test
    void normalizationAndAttention() {
        assertNames(() -> new GroupNorm(0, 4), "GroupNorm", "num_groups", "0");
        assertNames(() -> new GroupNorm(2, -4), "GroupNorm", "num_channels", "-4");
        assertNames(() -> new InstanceNorm2d(-2), "InstanceNorm2d", "num_features", "-2");
        assertNames(() -> new LayerNorm(4, -1), "LayerNorm", "normalized_shape", "(4, -1)");
        assertNames(() -> new BatchNorm2d(0), "BatchNorm2d", "num_features", "0");
        assertNames(() -> new MultiheadAttention(0, 2), "MultiheadAttention", "embed_dim", "0");
        assertNames(() -> new MultiheadAttention(8, -2), "MultiheadAttention", "num_heads", "-2");
    }

    @Test
    void poolingAndResampling() {
        assertNames(() -> new MaxPool2d(0), "MaxPool2d", "kernel_size", "(0, 0)");
        assertNames(() -> new MaxPool2d(2, 0, 0), "MaxPool2d", "stride", "(0, 0)");
        assertNames(() -> new MaxPool2d(2, 2, -1), "MaxPool2d", "padding", "(-1, -1)");
        assertNames(() -> new AvgPool2d(-2), "AvgPool2d", "kernel_size", "(-2, -2)");
        assertNames(() -> new AdaptiveAvgPool2d(0), "AdaptiveAvgPool2d", "output_size", "(0, 0)");
        assertNames(() -> new AdaptiveMaxPool2d(2, -1), "AdaptiveMaxPool2d", "output_size", "(2, -1)");
        assertNames(() -> new PixelShuffle(0), "PixelShuffle", "upscale_factor", "0");
        assertNames(() -> new PixelUnshuffle(-2), "PixelUnshuffle", "downscale_factor", "-2");
        assertNames(() -> Upsample.size(0, 4, InterpolationMode.NEAREST, false), "Upsample", "size", "(0, 4)");
        assertNames(() -> Upsample.scale(-2, InterpolationMode.NEAREST, false), "Upsample", "scale_factor", "-2");
        assertNames(() -> new Unflatten(1, 2, -1, -1), "Unflatten", "unflattened_size", "(2, -1, -1)");
        assertNames(() -> new Unflatten(1, 0, 4), "Unflatten", "unflattened_size", "(0, 4)");
    }
}
