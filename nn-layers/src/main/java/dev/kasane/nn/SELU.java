package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** The self-normalizing ELU with PyTorch's fixed alpha and scale. */
public class SELU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.selu(input);
    }
}
