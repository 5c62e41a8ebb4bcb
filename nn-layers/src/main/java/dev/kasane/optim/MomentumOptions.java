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

    /**
     * Options whose cycled momentum is their momentum factor ({@code momentum}: SGD, RMSprop).
     *
     * @param <O> the concrete options type
     */
    interface Factor<O extends Factor<O>> extends MomentumOptions<O> {
        /** The momentum factor ({@code momentum}). */
        double momentum();

        /** A copy with momentum factor {@code momentum}. */
        O momentum(double momentum);

        /** The momentum factor. */
        @Override
        default double cycledMomentum() {
            return momentum();
        }

        /** A copy with momentum factor {@code momentum}. */
        @Override
        default O cycledMomentum(double momentum) {
            return momentum(momentum);
        }
    }
}
