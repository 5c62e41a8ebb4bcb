package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import java.util.List;

/**
 * Adadelta (Zeiler), PyTorch's {@code torch.optim.Adadelta}:
 *
 * <pre>
 * g = maximize ? -grad : grad;  if weight_decay != 0: g = g + weight_decay * p
 * v = rho * v + (1 - rho) * g * g
 * delta = sqrt(u + eps) / sqrt(v + eps) * g
 * u = rho * u + (1 - rho) * delta * delta
 * p = p - lr * delta
 * </pre>
 *
 * State: {@code square_avg} (v) and {@code acc_delta} (u).
 */
public final class Adadelta extends Optimizer {
    /** Adadelta's options, with PyTorch's defaults (lr 1.0, rho 0.9, eps 1e-6, no weight decay). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            lr(1.0).rho(0.9).eps(1e-6).weightDecay(0).maximize(false);
        }

        /** Coefficient of the running averages. */
        public Options rho(double rho) {
            return set("rho", rho);
        }

        /** Term added inside the square roots. */
        public Options eps(double eps) {
            return set("eps", eps);
        }
    }

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    /** Adadelta over {@code params} with PyTorch's default options (lr 1.0). */
    public Adadelta(Iterable<Tensor> params) {
        this(single(params), options());
    }

    /** Adadelta over {@code params} with {@code options}. */
    public Adadelta(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** Adadelta over parameter groups; {@code defaults} fills the options a group does not set. */
    public Adadelta(List<ParamGroup> groups, Options defaults) {
        super("Adadelta", groups, defaults.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        requireAtLeast(g, "lr", 0);
        requireRange(g, "rho", 0, 1, true);
        requireAtLeast(g, "eps", 0);
        requireAtLeast(g, "weight_decay", 0);
    }

    @Override
    protected void update(Tensor param, NDArray grad, ParamState state, ParamGroup g) {
        NDArray p = param.data();
        double rho = g.get("rho");
        double eps = g.get("eps");
        double wd = g.get("weight_decay");
        NDArray squareAvg = state.get("square_avg");
        if (squareAvg == null) {
            squareAvg = p.zerosLike();
            state.put("square_avg", squareAvg);
            state.put("acc_delta", p.zerosLike());
        }
        NDArray accDelta = state.get("acc_delta");
        state.setStep(state.step() + 1);
        NDArray grd = directed(grad, g);
        if (wd != 0) {
            grd = grd.add(p.mul(wd));
        }
        squareAvg.mulInPlace(rho);
        addcmul(squareAvg, grd, grd, 1 - rho);
        NDArray std = squareAvg.add(eps).sqrt();
        NDArray delta = accDelta.add(eps).sqrt().divInPlace(std).mulInPlace(grd);
        accDelta.mulInPlace(rho);
        addcmul(accDelta, delta, delta, 1 - rho);
        addScaled(p, delta, -g.lr());
    }
}
