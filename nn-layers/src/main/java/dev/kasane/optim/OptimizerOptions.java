package dev.kasane.optim;

/**
 * An optimizer's typed options: an immutable record per optimizer ({@link SGD.Options}, {@link Adam.Options}, ...)
 * whose components have PyTorch's meaning and defaults, and whose one-argument methods of the same names return a
 * copy with that option changed ({@code Adam.options().lr(1e-3).amsgrad(true)}).
 *
 * <p>This interface holds the options every optimizer has, so that schedulers and the optimizer base can read and
 * change them without knowing the optimizer. How the options map to PyTorch's {@code param_groups} keys, and their
 * valid ranges, is the optimizer's {@link OptionSchema}.
 *
 * @param <O> the concrete options type, returned by the copying setters
 */
public interface OptimizerOptions<O extends OptimizerOptions<O>> {
    /** The learning rate ({@code lr}). */
    double lr();

    /** A copy with learning rate {@code lr}. */
    O lr(double lr);

    /** The weight decay ({@code weight_decay}): an L2 penalty added to the gradient, decoupled for AdamW. */
    double weightDecay();

    /** A copy with weight decay {@code weightDecay}. */
    O weightDecay(double weightDecay);

    /** Whether to maximize the objective instead of minimizing it ({@code maximize}). */
    boolean maximize();

    /** A copy that maximizes the objective if {@code maximize}. */
    O maximize(boolean maximize);
}
