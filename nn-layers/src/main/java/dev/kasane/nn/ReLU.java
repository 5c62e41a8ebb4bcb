package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code max(x, 0)}. */
public class ReLU extends FunctionLayer {
    /** A ReLU. */
    public ReLU() {
        super(F::relu, "");
    }
}
