package dev.kasane.nn.functional;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;

/**
 * {@code log(1 + exp(x))} computed as {@code max(x, 0) + log1p(exp(-|x|))} (no overflow), with the analytic
 * gradient {@code sigmoid(x)} (a composite would lose it at 0, where |x| has no derivative).
 */
final class SoftplusOp extends Function {
    @Override
    protected boolean recyclesGradients() {
        return true;
    }

    SoftplusOp() {
        super("softplus");
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        NDArray x = Function.array(in[0]);
        return Function.tensor(x.unary(UnaryOp.RELU).binary(BinaryOp.ADD, x.unary(UnaryOp.ABS).unary(UnaryOp.NEG).unary(UnaryOp.EXP).unary(UnaryOp.LOG1P)));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(savedTensors()[0].sigmoid())};
    }
}
