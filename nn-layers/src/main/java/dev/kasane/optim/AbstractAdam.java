package dev.kasane.optim;

import dev.kasane.tensor.AdamStep;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.List;

/** The update shared by {@link Adam} and {@link AdamW}, which differ only in how weight decay is applied. */
abstract class AbstractAdam extends Optimizer<Adam.Options> {
    private final boolean decoupled;

    AbstractAdam(String name, List<ParamGroup<Adam.Options>> groups, Adam.Options defaults, boolean decoupled) {
        super(name, Adam.SCHEMA, groups, defaults);
        this.decoupled = decoupled;
    }

    @Override
    protected boolean decoupledWeightDecay() {
        return decoupled;
    }

    @Override
    protected void update(NDArray p, NDArray grd, ParamState state, Adam.Options o) {
        double lr = o.lr();
        double beta1 = o.beta1();
        double beta2 = o.beta2();
        NDArray expAvg = state.zerosIfAbsent("exp_avg", p);
        NDArray expAvgSq = state.zerosIfAbsent("exp_avg_sq", p);
        // with amsgrad from the first step, or created when it is switched on later
        NDArray max = o.amsgrad() ? state.zerosIfAbsent("max_exp_avg_sq", p) : null;
        long step = state.step();
        if (decoupled && o.weightDecay() != 0) {
            p.binaryInPlace(BinaryOp.MUL, 1 - lr * o.weightDecay());
        }
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        // PyTorch's single-tensor Adam, one pass over the arrays on backends with a fused kernel
        AdamStep.apply(p, grd, expAvg, expAvgSq, max, beta1, beta2, stepSize, bc2Sqrt, o.eps());
    }
}
