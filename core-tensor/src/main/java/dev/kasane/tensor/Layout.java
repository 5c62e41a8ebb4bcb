package dev.kasane.tensor;

/**
 * Where a view's elements lie in its storage: sizes, strides (in elements) and the offset of element (0, ..., 0).
 * The arrays are shared, not copied: whoever holds a layout treats them as read-only.
 */
record Layout(int[] shape, int[] strides, int offset) {
}
