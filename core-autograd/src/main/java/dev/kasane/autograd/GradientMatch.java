package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import java.util.Arrays;

/**
 * PyTorch's rule for a tensor that stands in for a gradient (assigned to {@code .grad}, or returned by a hook): it
 * has the shape, dtype and device of what it replaces, so optimizers and accumulation never see a BOOL, integer,
 * misshapen or foreign gradient.
 */
final class GradientMatch {
    private GradientMatch() {
    }

    /** What differs between {@code grad} and {@code like} ("shape", "dtype" or "device"), or null if nothing. */
    static String difference(NDArray grad, NDArray like) {
        if (!Arrays.equals(grad.shape(), like.shape())) {
            return "shape";
        } else if (grad.dtype() != like.dtype()) {
            return "dtype";
        } else if (!grad.device().equals(like.device())) {
            return "device";
        }
        return null;
    }
}
