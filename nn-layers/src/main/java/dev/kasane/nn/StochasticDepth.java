package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.StochasticDepthMode;
import java.util.Locale;
import java.util.Objects;

/**
 * Stochastic depth (Huang et al. 2016), as torchvision's {@code ops.StochasticDepth}: in training, zeroes the input
 * (a residual branch) with probability {@code p}, per sample ({@link StochasticDepthMode#ROW}) or for the whole batch
 * ({@link StochasticDepthMode#BATCH}), and scales what it keeps by {@code 1 / (1 - p)}; identity in eval. No
 * parameters or buffers.
 *
 * <pre>{@code
 * var drop = new StochasticDepth(0.2, StochasticDepthMode.ROW);
 * Tensor y = x.add(drop.forward(branch.forward(x)));    // residual block with a randomly skipped branch
 * }</pre>
 */
public class StochasticDepth extends AbstractDropout {
    private final StochasticDepthMode mode;

    /**
     * @param p the probability of zeroing, in [0, 1]
     * @param mode per sample or for the whole batch
     * @throws IllegalArgumentException if {@code p} is outside [0, 1]
     */
    public StochasticDepth(double p, StochasticDepthMode mode) {
        super(p);
        this.mode = Objects.requireNonNull(mode, "StochasticDepth: mode");
    }

    /** The probability of zeroing. */
    public double p() {
        return p;
    }

    /** Whether samples are dropped one by one or together. */
    public StochasticDepthMode mode() {
        return mode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.stochasticDepth(input, p, mode, isTraining());
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + ", mode=" + mode.name().toLowerCase(Locale.ROOT);
    }
}
