package dev.kasane.nn;

/** The drop probability that {@link Dropout} and {@link Dropout2d} check and print as {@code p=0.5}. */
abstract class AbstractDropout extends Module {
    /** The probability of zeroing an element (or a channel), in [0, 1]. */
    protected final double p;

    AbstractDropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
