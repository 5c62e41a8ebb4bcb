package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Arrays;

/** Splits dim {@code dim} into {@code sizes} (e.g. [N, 6272] to [N, 128, 7, 7]). */
public class Unflatten extends Module {
    private final int dim;
    private final int[] sizes;

    /** Unflattens {@code dim} into {@code sizes} (one entry may be -1). */
    public Unflatten(int dim, int... sizes) {
        int inferred = 0;
        for (int s : sizes) {
            inferred += s == -1 ? 1 : 0;
            if ((s <= 0 && s != -1) || inferred > 1) {
                throw new IllegalArgumentException("Unflatten: unflattened_size must be positive with at most one -1, got "
                        + Layers.tuple(sizes));
            }
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        int d = dim < 0 ? dim + input.dim() : dim;
        if (d < 0 || d >= input.dim()) {
            throw error("dim " + dim + " is out of range for input of shape " + Arrays.toString(input.shape()));
        }
        long prod = 1;
        boolean inferred = false;
        for (int s : sizes) {
            if (s == -1) {
                inferred = true;
            } else {
                prod *= s;
            }
        }
        if (inferred ? prod == 0 || input.size(d) % prod != 0 : prod != input.size(d)) {
            throw error("cannot unflatten dim " + dim + " of size " + input.size(d) + " into " + Arrays.toString(sizes)
                    + " (input " + Arrays.toString(input.shape()) + ")");
        }
        return input.unflatten(d, sizes);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + Layers.tuple(sizes);
    }
}
