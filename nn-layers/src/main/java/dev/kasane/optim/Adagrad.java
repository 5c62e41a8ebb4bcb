package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
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
public final class Adagrad extends Optimizer<Adagrad.Options> {
    /**
     * Adagrad's options; {@link Adagrad#options()} gives PyTorch's defaults (lr 1e-2, no lr decay, eps 1e-10,
     * accumulator starting at 0).
     *
     * @param lr learning rate ({@code lr})
     * @param lrDecay learning-rate decay per step ({@code lr_decay})
     * @param weightDecay L2 penalty ({@code weight_decay})
     * @param initialAccumulatorValue starting value of the sum of squared gradients
     *     ({@code initial_accumulator_value})
     * @param eps term added to the denominator ({@code eps})
     * @param maximize maximize the objective ({@code maximize})
     */
    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps,
            boolean maximize) implements OptimizerOptions<Options> {
        /** A copy with learning rate {@code lr}. */
        @Override
        public Options lr(double lr) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        /** A copy with learning-rate decay {@code lrDecay}. */
        public Options lrDecay(double lrDecay) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        /** A copy with weight decay {@code weightDecay}. */
        @Override
        public Options weightDecay(double weightDecay) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        /** A copy whose sums start at {@code value}. */
        public Options initialAccumulatorValue(double value) {
            return new Options(lr, lrDecay, weightDecay, value, eps, maximize);
        }

        /** A copy with denominator term {@code eps}. */
        public Options eps(double eps) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        /** A copy that maximizes if {@code maximize}. */
        @Override
        public Options maximize(boolean maximize) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }
    }

    /** The keys and ranges of Adagrad's options in PyTorch's {@code param_groups}. */
    public static final OptionSchema<Options> SCHEMA = OptionSchema.<Options>builder()
            .atLeast("lr_decay", Options::lrDecay, Options::lrDecay, 0)
            .atLeast("initial_accumulator_value", Options::initialAccumulatorValue, Options::initialAccumulatorValue, 0)
            .atLeast("eps", Options::eps, Options::eps, 0)
            .build();

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options(1e-2, 0, 0, 0, 1e-10, false);
    }

    /** Adagrad over {@code params} with learning rate {@code lr} and the other defaults. */
    public Adagrad(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** Adagrad over {@code params} with {@code options}. */
    public Adagrad(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** Adagrad over parameter groups; each group's options are {@code defaults} changed by its overrides. */
    public Adagrad(List<ParamGroup<Options>> groups, Options defaults) {
        super("Adagrad", SCHEMA, groups, defaults);
    }

    @Override
    protected void initState(NDArray param, ParamState state, Options o) {
        state.putArray("sum", param.fullLike(o.initialAccumulatorValue()));
    }

    /** Adds a group and creates its parameters' {@code sum} state, as PyTorch does. */
    @Override
    public void addParamGroup(ParamGroup<Options> group) {
        super.addParamGroup(group);
        initAllState();
    }

    @Override
    protected void update(NDArray p, NDArray grd, ParamState state, Options o) {
        if (state.array("sum") == null) {
            initState(p, state, o);
        }
        NDArray sum = state.array("sum");
        long step = state.step();
        double clr = o.lr() / (1 + (step - 1) * o.lrDecay());
        sum.addcmulInPlace(grd, grd, 1);
        NDArray std = sum.unary(UnaryOp.SQRT).binaryInPlace(BinaryOp.ADD, o.eps());
        p.addcdivInPlace(grd, std, -clr);
    }
}
