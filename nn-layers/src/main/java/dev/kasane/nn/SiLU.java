package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code x sigmoid(x)} (swish). */
public class SiLU extends FunctionLayer {
    /** A SiLU. */
    public SiLU() {
        super(F::silu, "");
    }
}
