package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** The self-normalizing ELU with PyTorch's fixed alpha and scale. */
public class SELU extends FunctionLayer {
    /** A SELU. */
    public SELU() {
        super(F::selu, "");
    }
}
