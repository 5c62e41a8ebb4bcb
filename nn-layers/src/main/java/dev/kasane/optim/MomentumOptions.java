package dev.kasane.optim;

/**
 * Options with a momentum term that {@link OneCycleLR} cycles inversely to the learning rate, as PyTorch's
 * {@code OneCycleLR} does: SGD's and RMSprop's {@code momentum}, Adam's {@code betas[0]}.
 *
 * @param <O> the concrete options type
 */
public interface MomentumOptions<O extends MomentumOptions<O>> extends OptimizerOptions<O> {
    /** The momentum term that a 1cycle schedule cycles. */
    double cycledMomentum();

    /** A copy with the cycled momentum term set to {@code momentum}. */
    O cycledMomentum(double momentum);
}
