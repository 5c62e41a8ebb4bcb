package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** {@code min(max(x, 0), 6)}. */
public class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu6(input);
    }
}
