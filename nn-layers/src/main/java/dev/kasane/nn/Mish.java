package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** {@code x tanh(softplus(x))}. */
public class Mish extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.mish(input);
    }
}
