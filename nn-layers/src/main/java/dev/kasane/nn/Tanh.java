package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Hyperbolic tangent. */
public class Tanh extends FunctionLayer {
    /** A Tanh. */
    public Tanh() {
        super(F::tanh, "");
    }
}
