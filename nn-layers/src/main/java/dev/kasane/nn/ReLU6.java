package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code min(max(x, 0), 6)}. */
public class ReLU6 extends FunctionLayer {
    /** A ReLU6. */
    public ReLU6() {
        super(F::relu6, "");
    }
}
