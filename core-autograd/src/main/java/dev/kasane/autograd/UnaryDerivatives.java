package dev.kasane.autograd;

import static dev.kasane.autograd.ElementwiseOps.t;

import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The derivative of every differentiable {@link UnaryOp}, one table entry each: what its backward needs saved and
 * the backward formula written with {@link Tensor} ops (so that gradients of gradients work); the forward is the
 * primitive {@link NDArray#unary}. Formulas follow PyTorch's {@code derivatives.yaml}, including {@code abs'(0) = 0},
 * {@code relu'(0) = 0} and {@code sqrt'(0) = inf}. Adding a differentiable unary op takes a constant in
 * {@link UnaryOp}, one {@link #define} line here and one method in {@link Tensor}.
 */
final class UnaryDerivatives {
    private UnaryDerivatives() {
    }

    /** Which tensor the backward formula reads. */
    enum Saved {
        /** None: the derivative is a constant. */
        NOTHING,
        /** The op's input x. */
        INPUT,
        /** The op's result y (cheaper when the derivative is a function of y, as for exp or tanh). */
        OUTPUT;

        /** The tensor to save, given the op's input and output; null for NOTHING. */
        Tensor pick(Tensor input, Tensor output) {
            return this == INPUT ? input : this == OUTPUT ? output : null;
        }
    }

    /** {@code dL/dx} from the output's gradient {@code g} and the saved tensor ({@code null} for NOTHING). */
    @FunctionalInterface
    interface Formula {
        Tensor gradInput(Tensor g, Tensor saved);
    }

    /**
     * One differentiable unary op.
     *
     * @param forward the NDArray computation ({@code a.unary(op)} for the table's entries)
     * @param saved   what {@link #backward} reads
     * @param backward the derivative, written with Tensor ops
     */
    record Derivative(UnaryOperator<NDArray> forward, Saved saved, Formula backward) {
    }

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final Map<UnaryOp, Derivative> TABLE = build();

    private static Map<UnaryOp, Derivative> build() {
        EnumMap<UnaryOp, Derivative> m = new EnumMap<>(UnaryOp.class);
        define(m, UnaryOp.NEG, Saved.NOTHING, (g, none) -> g.neg());
        define(m, UnaryOp.ABS, Saved.INPUT, (g, x) -> g.mul(t(x.data.unary(UnaryOp.SIGN))));
        define(m, UnaryOp.EXP, Saved.OUTPUT, (g, y) -> g.mul(y));
        define(m, UnaryOp.LOG, Saved.INPUT, (g, x) -> g.div(x));
        define(m, UnaryOp.LOG1P, Saved.INPUT, (g, x) -> g.div(x.add(1.0)));
        define(m, UnaryOp.SQRT, Saved.OUTPUT, (g, y) -> g.div(y.mul(2.0)));
        define(m, UnaryOp.RSQRT, Saved.OUTPUT, (g, y) -> g.mul(y.square().mul(y)).mul(-0.5));
        define(m, UnaryOp.RECIPROCAL, Saved.OUTPUT, (g, y) -> g.mul(y.square()).neg());
        define(m, UnaryOp.SQUARE, Saved.INPUT, (g, x) -> g.mul(x.mul(2.0)));
        define(m, UnaryOp.SIN, Saved.INPUT, (g, x) -> g.mul(x.cos()));
        define(m, UnaryOp.COS, Saved.INPUT, (g, x) -> g.mul(x.sin()).neg());
        define(m, UnaryOp.TANH, Saved.OUTPUT, (g, y) -> g.mul(y.square().rsub(1.0)));
        define(m, UnaryOp.SIGMOID, Saved.OUTPUT, (g, y) -> g.mul(y.rsub(1.0).mul(y)));
        define(m, UnaryOp.RELU, Saved.OUTPUT, (g, y) -> new ElementwiseOps.ReluBackward(y.data).apply(g));
        define(m, UnaryOp.ERF, Saved.INPUT, (g, x) -> g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)));
        return Collections.unmodifiableMap(m);
    }

    private static void define(EnumMap<UnaryOp, Derivative> m, UnaryOp op, Saved saved, Formula backward) {
        m.put(op, new Derivative(a -> a.unary(op), saved, backward));
    }

    /**
     * The entry of {@code op}.
     *
     * @throws IllegalArgumentException if {@code op} is not differentiable (sign, rounding, logical not)
     */
    static Derivative of(UnaryOp op) {
        Derivative d = TABLE.get(op);
        if (d == null) {
            throw new IllegalArgumentException("unary: " + op + " has no derivative; differentiable unary ops are "
                    + TABLE.keySet());
        }
        return d;
    }

    /** The differentiable unary ops. */
    static Set<UnaryOp> ops() {
        return TABLE.keySet();
    }
}
