package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/** Returns its input unchanged (a placeholder, e.g. a removed classifier head). */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
