package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code x tanh(softplus(x))}. */
public class Mish extends FunctionLayer {
    /** A Mish. */
    public Mish() {
        super(F::mish, "");
    }
}
