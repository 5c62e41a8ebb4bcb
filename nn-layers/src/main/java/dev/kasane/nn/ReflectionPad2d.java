package dev.kasane.nn;

import dev.kasane.tensor.PadMode;

/**
 * Pads the last two dims of [N, C, H, W] or [C, H, W] with the reflection of the input (the edge not repeated), as
 * PyTorch's {@code ReflectionPad2d}: each pad must be smaller than the padded dim.
 */
public class ReflectionPad2d extends FunctionLayer {
    /** The same padding on all four sides. */
    public ReflectionPad2d(int padding) {
        this(padding, padding, padding, padding);
    }

    /** Padding {@code left, right, top, bottom}, PyTorch's order. */
    public ReflectionPad2d(int left, int right, int top, int bottom) {
        this(Layers.nonNegative("ReflectionPad2d", "padding", new int[] {left, right, top, bottom}));
    }

    private ReflectionPad2d(int[] pad) {
        super(x -> x.pad(pad, PadMode.REFLECT, 0), Layers.tuple(pad), Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
    }
}
