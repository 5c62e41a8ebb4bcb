package dev.kasane.testmodules;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import java.util.ArrayList;
import java.util.List;

/** A user's module (outside the library's packages) that keeps every input it sees and returns it, or it doubled. */
public final class KeepingModule extends Module {
    /** The inputs of each call, in order. */
    public final List<Tensor> inputs = new ArrayList<>();
    private final boolean doubles;

    /** @param doubles whether forward returns {@code 2 * input} (else the input itself) */
    public KeepingModule(boolean doubles) {
        this.doubles = doubles;
    }

    @Override
    public Tensor forward(Tensor input) {
        inputs.add(input);
        return doubles ? input.mul(2) : input;
    }
}
