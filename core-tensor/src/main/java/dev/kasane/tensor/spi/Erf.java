package dev.kasane.tensor.spi;

/**
 * The error function in double precision, absolute error below about 1e-15: for {@code |x| < 2.5} the
 * positive-term series {@code erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1))}, above it
 * {@code 1 - erfc(x)} with erfc from its continued fraction.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    private Erf() {
    }

    static double erf(double x) {
        if (x != x) {
            return x;
        }
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            r = series(ax);
        } else if (ax < 6.0) {
            r = 1.0 - erfcFraction(ax);
        } else {
            r = 1.0;
        }
        return x < 0 ? -r : r;
    }

    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 0; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 3);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** erfc(x) for x >= 2.5 by backward evaluation of x + (1/2)/(x + 1/(x + (3/2)/(x + ...))). */
    private static double erfcFraction(double x) {
        double t = x;
        for (int n = 60; n >= 1; n--) {
            t = x + (n * 0.5) / t;
        }
        return ONE_OVER_SQRT_PI * Math.exp(-x * x) / t;
    }
}
