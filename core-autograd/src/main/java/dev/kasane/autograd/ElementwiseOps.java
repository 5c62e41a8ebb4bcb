package dev.kasane.autograd;

import dev.kasane.autograd.UnaryDerivatives.Derivative;
import dev.kasane.autograd.UnaryDerivatives.Saved;
import dev.kasane.tensor.Activations;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Locale;

/**
 * Elementwise ops: binary ops with broadcasting (gradients are summed back to each input's shape), ops with a
 * scalar, and unary math. Backward formulas follow PyTorch's {@code derivatives.yaml}, including its conventions at
 * kinks: {@code abs'(0) = 0}, {@code relu'(0) = 0}, clamp passes the gradient at its bounds, {@code sqrt'(0) = inf},
 * ties of maximum/minimum split the gradient 0.5/0.5.
 */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    static Tensor t(NDArray a) {
        return new Tensor(a);
    }

    /** A 0-d constant of {@code like}'s dtype and device. */
    static Tensor scalarLike(double v, Tensor like) {
        return new Tensor(NDArray.scalar(v, like.data.dtype(), like.data.device()));
    }

    /** An SPI op's enum name as an op name: {@code LOG1P} -> {@code Log1p}. */
    static String upperCamel(String enumName) {
        String n = enumName.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    // ------------------------------------------------------------------------------------------ binary

    /** A binary op computed by the SPI's {@link BinaryOp} of the same name, with broadcasting. */
    abstract static class BinaryFunction extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        final BinaryOp op;

        BinaryFunction(BinaryOp op) {
            super(upperCamel(op.name()));
            this.op = op;
        }

        @Override
        protected final Tensor forward(Tensor... in) {
            Tensor out = t(in[0].data.binary(op, in[1].data));
            save(in[0], in[1], out);
            return out;
        }

        /** Saves what backward needs of the inputs {@code a} and {@code b} and the output (by default nothing). */
        void save(Tensor a, Tensor b, Tensor out) {
        }
    }

    /** {@code a + b} ({@link BinaryOp#ADD}) or {@code a - b} ({@link BinaryOp#SUB}). */
    static final class AddSub extends BinaryFunction {
        AddSub(BinaryOp op) {
            super(op);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {needsInputGrad(0) ? g.sumTo(inputShape(0)) : null,
                    needsInputGrad(1) ? (op == BinaryOp.SUB ? g.neg() : g).sumTo(inputShape(1)) : null};
        }
    }

    static final class Mul extends BinaryFunction {
        Mul() {
            super(BinaryOp.MUL);
        }

        @Override
        void save(Tensor a, Tensor b, Tensor out) {
            saveForBackward(needsInputGrad(1) ? a : null, needsInputGrad(0) ? b : null);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            return new Tensor[] {needsInputGrad(0) ? g.mul(s[1]).sumTo(inputShape(0)) : null,
                    needsInputGrad(1) ? g.mul(s[0]).sumTo(inputShape(1)) : null};
        }
    }

    static final class Div extends BinaryFunction {
        Div() {
            super(BinaryOp.DIV);
        }

        @Override
        void save(Tensor a, Tensor b, Tensor out) {
            saveForBackward(needsInputGrad(1) ? a : null, b);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor a = s[0];
            Tensor b = s[1];
            // PyTorch: other: -grad * ((self / other) / other)
            return new Tensor[] {needsInputGrad(0) ? g.div(b).sumTo(inputShape(0)) : null,
                    needsInputGrad(1) ? g.neg().mul(a.div(b).div(b)).sumTo(inputShape(1)) : null};
        }
    }

    /** {@code a ^ b} with a tensor exponent. */
    static final class Pow extends BinaryFunction {
        Pow() {
            super(BinaryOp.POW);
        }

        @Override
        void save(Tensor a, Tensor b, Tensor out) {
            saveForBackward(a, b, needsInputGrad(1) ? out : null);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor a = s[0];
            Tensor b = s[1];
            Tensor ga = null;
            Tensor gb = null;
            if (needsInputGrad(0)) {
                // where(b == 0, 0, g * b * a^(b-1))
                Tensor d = g.mul(b.mul(a.pow(b.sub(1))));
                ga = Tensor.where(t(b.data.binary(BinaryOp.EQ, 0)), scalarLike(0, d), d).sumTo(inputShape(0));
            }
            if (needsInputGrad(1)) {
                // where(a == 0 & b >= 0, 0, g * a^b * log(a))
                Tensor d = g.mul(s[2].mul(a.log()));
                NDArray cond = a.data.binary(BinaryOp.EQ, 0).binary(BinaryOp.AND, b.data.binary(BinaryOp.GE, 0));
                gb = Tensor.where(t(cond), scalarLike(0, d), d).sumTo(inputShape(1));
            }
            return new Tensor[] {ga, gb};
        }
    }

    /**
     * Elementwise maximum ({@link BinaryOp#MAXIMUM}) or minimum ({@link BinaryOp#MINIMUM}); ties send half the
     * gradient to each side.
     */
    static final class MaxMin extends BinaryFunction {
        MaxMin(BinaryOp op) {
            super(op);
        }

        @Override
        void save(Tensor a, Tensor b, Tensor out) {
            saveForBackward(a, b);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            NDArray a = s[0].data;
            NDArray b = s[1].data;
            Tensor shared = Tensor.where(t(a.binary(BinaryOp.EQ, b)), g.mul(0.5), g);
            Tensor ga = null;
            Tensor gb = null;
            boolean isMax = op == BinaryOp.MAXIMUM;
            if (needsInputGrad(0)) {
                ga = shared.maskedFill(t(isMax ? a.binary(BinaryOp.LT, b) : a.binary(BinaryOp.GT, b)), 0).sumTo(inputShape(0));
            }
            if (needsInputGrad(1)) {
                gb = shared.maskedFill(t(isMax ? a.binary(BinaryOp.GT, b) : a.binary(BinaryOp.LT, b)), 0).sumTo(inputShape(1));
            }
            return new Tensor[] {ga, gb};
        }
    }

    // ------------------------------------------------------------------------------------------ with a scalar

    static final class AddScalar extends LinearFunction {
        AddScalar(double s) {
            super(a -> a.binary(BinaryOp.ADD, s), (g, shape) -> g);
        }
    }

    static final class SubScalar extends LinearFunction {
        SubScalar(double s) {
            super(a -> a.binary(BinaryOp.SUB, s), (g, shape) -> g);
        }
    }

    static final class MulScalar extends LinearFunction {
        MulScalar(double s) {
            super(a -> a.binary(BinaryOp.MUL, s), (g, shape) -> g.mul(s));
        }
    }

    static final class DivScalar extends LinearFunction {
        DivScalar(double s) {
            super(a -> a.binary(BinaryOp.DIV, s), (g, shape) -> g.div(s));
        }
    }

    /** {@code x ^ s}. */
    static final class PowScalar extends PointwiseFunction {
        PowScalar(double s) {
            super(new Derivative(a -> a.binary(BinaryOp.POW, s), Saved.INPUT, (g, x) -> powGrad(g, x, s)));
        }

        private static Tensor powGrad(Tensor g, Tensor x, double s) {
            if (s == 0) {
                return g.mul(0.0);
            }
            Tensor d = s == 2 ? x.mul(2.0) : s == 1 ? null : x.pow(s - 1).mul(s);
            return d == null ? g : g.mul(d);
        }
    }

    // ------------------------------------------------------------------------------------------ unary

    /** A differentiable {@link UnaryOp}: its entry in {@link UnaryDerivatives} gives forward, what is saved and backward. */
    static final class Unary extends PointwiseFunction {
        Unary(UnaryOp op) {
            super(upperCamel(op.name()), UnaryDerivatives.of(op));
        }
    }

    static final class LeakyRelu extends PointwiseFunction {
        LeakyRelu(double slope) {
            super(new Derivative(a -> Activations.leakyRelu(a, slope), Saved.INPUT,
                    (g, x) -> new LeakyReluBackward(x.data, slope).apply(g)));
        }
    }

    /**
     * ReLU's backward as an op of the upstream gradient: {@code result <= 0 ? 0 : g}, one fused pass. Linear in
     * {@code g} with a constant mask, so its own gradient is the same op (and the graph stays differentiable).
     */
    static final class ReluBackward extends LinearFunction {
        ReluBackward(NDArray result) {
            super(g -> Activations.reluBackward(g, result), (gg, shape) -> new ReluBackward(result).apply(gg));
        }
    }

    /** LeakyReLU's backward as an op of the upstream gradient: {@code input > 0 ? g : slope * g}; linear in g. */
    static final class LeakyReluBackward extends LinearFunction {
        LeakyReluBackward(NDArray input, double slope) {
            super(g -> Activations.leakyReluBackward(g, input, slope),
                    (gg, shape) -> new LeakyReluBackward(input, slope).apply(gg));
        }
    }

    /** Clamp into [min, max]; the gradient passes where {@code min <= x <= max} (bounds included), as PyTorch. */
    static final class Clamp extends PointwiseFunction {
        Clamp(double min, double max) {
            super(new Derivative(a -> a.clamp(min, max), Saved.INPUT, (g, x) -> new ClampBackward(x.data, min, max).apply(g)));
        }
    }

    /** Clamp's backward as an op of the upstream gradient: {@code min <= input <= max ? g : 0}; linear in g. */
    static final class ClampBackward extends LinearFunction {
        ClampBackward(NDArray input, double min, double max) {
            super(g -> Activations.clampBackward(g, input, min, max),
                    (gg, shape) -> new ClampBackward(input, min, max).apply(gg));
        }
    }

    /** Conversion between dtypes; the gradient is converted back. */
    static final class Cast extends LinearFunction {
        Cast(DType to) {
            super(a -> a.toType(to), (g, shape) -> g);   // the engine converts g to the input's dtype
        }
    }

    /** Move to another device; the gradient moves back. */
    static final class ToDevice extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final Device to;
        private Device from;

        ToDevice(Device to) {
            this.to = to;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            from = in[0].data.device();
            return t(in[0].data.to(to));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.to(from)};
        }
    }

    /** A copy (clone / contiguous); the gradient passes through. */
    static final class Copy extends LinearFunction {
        Copy() {
            super(NDArray::copy, (g, shape) -> g);
        }
    }

    /**
     * The in-place overwrite of {@code old} by {@code src} (copyFrom): no gradient to the old value, the gradient
     * of {@code src} is summed back to its shape.
     */
    static final class Overwrite extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            NDArray out = in[0].data.copy();
            out.copyFrom(in[1].data);
            return t(out);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {null, needsInputGrad(1) ? g.sumTo(inputShape(1)) : null};
        }
    }

    /** The in-place fill of a tensor: a constant, no gradient flows to the old value. */
    static final class Fill extends LinearFunction {
        Fill(double value) {
            super(a -> a.fullLike(value), (g, shape) -> null);
        }
    }
}
