package dev.kasane.autograd;

import dev.kasane.tensor.DType;

/**
 * Rounds F32 values to a 16-bit dtype, keeping them in F32 ({@link Autograd#autocastOperand}); the gradient is
 * rounded the same way, as PyTorch's cast backward does.
 */
final class AutocastRound extends Function {
    private final DType low;

    AutocastRound(DType low) {
        super("autocast_to_" + low);
        this.low = low;
    }

    @Override
    protected boolean recyclesGradients() {
        return true;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return tensor(array(in[0]).toType(low).toType(DType.F32));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.dtype() == DType.F32 ? new AutocastRound(low).apply(g) : g};
    }
}
