package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import java.util.List;
import java.util.Map;

/** The update shared by {@link Adam} and {@link AdamW}, which differ only in how weight decay is applied. */
abstract class AbstractAdam extends Optimizer {
    private final boolean decoupled;

    AbstractAdam(String name, List<ParamGroup> groups, Map<String, Double> defaults, boolean decoupled) {
        super(name, groups, defaults);
        this.decoupled = decoupled;
    }

    @Override
    protected void validate(ParamGroup g) {
        requireAtLeast(g, "lr", 0);
        requireAtLeast(g, "eps", 0);
        requireRange(g, "beta1", 0, 1, false);
        requireRange(g, "beta2", 0, 1, false);
        requireAtLeast(g, "weight_decay", 0);
    }

    @Override
    protected void update(Tensor param, NDArray grad, ParamState state, ParamGroup g) {
        NDArray p = param.data();
        double lr = g.lr();
        double beta1 = g.get("beta1");
        double beta2 = g.get("beta2");
        double eps = g.get("eps");
        double wd = g.get("weight_decay");
        boolean amsgrad = g.flag("amsgrad");
        NDArray grd = directed(grad, g);
        NDArray expAvg = state.get("exp_avg");
        if (expAvg == null) {
            expAvg = p.zerosLike();
            state.put("exp_avg", expAvg);
            state.put("exp_avg_sq", p.zerosLike());
            if (amsgrad) {
                state.put("max_exp_avg_sq", p.zerosLike());
            }
        }
        NDArray expAvgSq = state.get("exp_avg_sq");
        long step = state.step() + 1;
        state.setStep(step);
        if (wd != 0) {
            if (decoupled) {
                p.mulInPlace(1 - lr * wd);
            } else {
                grd = grd.add(p.mul(wd));
            }
        }
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        NDArray max = null;
        if (amsgrad) {
            max = state.get("max_exp_avg_sq");
            if (max == null) { // e.g. amsgrad switched on after the first step
                max = p.zerosLike();
                state.put("max_exp_avg_sq", max);
            }
        }
        // PyTorch's single-tensor Adam, one pass over the arrays on backends with a fused kernel
        p.adamUpdateInPlace(grd, expAvg, expAvgSq, max, beta1, beta2, stepSize, bc2Sqrt, eps);
    }
}
