package dev.kasane.nn.functional;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;

/**
 * {@code x * sigmoid(x)} (SiLU, swish) as one op, as PyTorch's {@code silu}: the forward keeps only the input (the
 * composite {@code x.mul(x.sigmoid())} kept the sigmoid too, and recorded two nodes), and the backward is PyTorch's
 * closed form {@code g * s * (1 + x * (1 - s))} with {@code s = sigmoid(x)} recomputed, in two arrays instead of the
 * composite's chain of products. The forward equals the composite's bit for bit.
 */
final class SiluOp extends Function {
    SiluOp() {
        super("silu");
    }

    @Override
    protected boolean recyclesGradients() {
        return true;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        NDArray x = Function.array(in[0]);
        return Function.tensor(x.unary(UnaryOp.SIGMOID).binaryInPlace(BinaryOp.MUL, x));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = savedTensors()[0];
        if (Autograd.isGradEnabled()) { // recorded backward (gradients of gradients): differentiable ops
            Tensor s = x.sigmoid();
            return new Tensor[] {g.mul(s.mul(x.mul(s.neg().add(1)).add(1)))};
        }
        NDArray xa = Function.array(x);
        NDArray s = xa.unary(UnaryOp.SIGMOID);
        NDArray d = s.binary(BinaryOp.MUL, -1.0).binaryInPlace(BinaryOp.ADD, 1.0); // 1 - s
        d.binaryInPlace(BinaryOp.MUL, xa).binaryInPlace(BinaryOp.ADD, 1.0);       // 1 + x (1 - s)
        d.binaryInPlace(BinaryOp.MUL, s).binaryInPlace(BinaryOp.MUL, Function.array(g));
        s.storage().backend().recycle(s.storage());
        return new Tensor[] {Function.tensor(d)};
    }
}
