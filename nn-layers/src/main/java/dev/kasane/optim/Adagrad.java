package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import java.util.List;

/**
 * Adagrad, PyTorch's {@code torch.optim.Adagrad}:
 *
 * <pre>
 * g = maximize ? -grad : grad;  if weight_decay != 0: g = g + weight_decay * p
 * clr = lr / (1 + (t - 1) * lr_decay)
 * sum = sum + g * g                   (sum starts at initial_accumulator_value)
 * p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 *
 * State: {@code sum}, created for every parameter in the constructor as PyTorch does, and the step count {@code t}.
 */
public final class Adagrad extends Optimizer {
    /** Adagrad's options, with PyTorch's defaults (lr 1e-2, no lr decay, eps 1e-10, accumulator starting at 0). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            lr(1e-2).lrDecay(0).weightDecay(0).initialAccumulatorValue(0).eps(1e-10).maximize(false);
        }

        /** Learning-rate decay per step. */
        public Options lrDecay(double lrDecay) {
            return set("lr_decay", lrDecay);
        }

        /** Starting value of the sum of squared gradients. */
        public Options initialAccumulatorValue(double value) {
            return set("initial_accumulator_value", value);
        }

        /** Term added to the denominator. */
        public Options eps(double eps) {
            return set("eps", eps);
        }
    }

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    /** Adagrad over {@code params} with learning rate {@code lr} and the other defaults. */
    public Adagrad(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** Adagrad over {@code params} with {@code options}. */
    public Adagrad(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** Adagrad over parameter groups; {@code defaults} fills the options a group does not set. */
    public Adagrad(List<ParamGroup> groups, Options defaults) {
        super("Adagrad", groups, defaults.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        requireAtLeast(g, "lr", 0);
        requireAtLeast(g, "lr_decay", 0);
        requireAtLeast(g, "weight_decay", 0);
        requireAtLeast(g, "initial_accumulator_value", 0);
        requireAtLeast(g, "eps", 0);
    }

    @Override
    protected void initState(Tensor param, ParamState state, ParamGroup g) {
        state.put("sum", param.data().fullLike(g.get("initial_accumulator_value")));
    }

    /** Adds a group and creates its parameters' {@code sum} state, as PyTorch does. */
    @Override
    public void addParamGroup(ParamGroup group) {
        super.addParamGroup(group);
        initAllState();
    }

    @Override
    protected void update(Tensor param, NDArray grad, ParamState state, ParamGroup g) {
        NDArray p = param.data();
        NDArray sum = state.get("sum");
        if (sum == null) {
            initState(param, state, g);
            sum = state.get("sum");
        }
        long step = state.step() + 1;
        state.setStep(step);
        NDArray grd = directed(grad, g);
        double wd = g.get("weight_decay");
        if (wd != 0) {
            grd = grd.add(p.mul(wd));
        }
        double clr = g.lr() / (1 + (step - 1) * g.get("lr_decay"));
        addcmul(sum, grd, grd, 1);
        NDArray std = sum.sqrt().addInPlace(g.get("eps"));
        addcdiv(p, grd, std, -clr);
    }
}
