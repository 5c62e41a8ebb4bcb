package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Logistic sigmoid. */
public class Sigmoid extends FunctionLayer {
    /** A Sigmoid. */
    public Sigmoid() {
        super(F::sigmoid, "");
    }
}
