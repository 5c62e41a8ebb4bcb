package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.List;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay, PyTorch's
 * {@code torch.optim.SGD}:
 *
 * <pre>
 * g = maximize ? -grad : grad
 * if weight_decay != 0:  g = g + weight_decay * p
 * if momentum != 0:
 *     buf = (first step) ? g : momentum * buf + (1 - dampening) * g
 *     g = nesterov ? g + momentum * buf : buf
 * p = p - lr * g
 * </pre>
 *
 * State: {@code momentum_buffer} when momentum is non-zero.
 */
public final class SGD extends Optimizer<SGD.Options> {
    /**
     * SGD's options; {@link SGD#options()} gives PyTorch's defaults (lr 1e-3, everything else 0 or false).
     *
     * @param lr learning rate ({@code lr})
     * @param momentum momentum factor ({@code momentum})
     * @param dampening dampening of the momentum ({@code dampening})
     * @param weightDecay L2 penalty ({@code weight_decay})
     * @param nesterov Nesterov momentum, which needs a momentum and zero dampening ({@code nesterov})
     * @param maximize maximize the objective ({@code maximize})
     */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
            boolean maximize) implements MomentumOptions.Factor<Options> {
        /** A copy with learning rate {@code lr}. */
        @Override
        public Options lr(double lr) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        /** A copy with momentum factor {@code momentum}. */
        @Override
        public Options momentum(double momentum) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        /** A copy with dampening {@code dampening}. */
        public Options dampening(double dampening) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        /** A copy with weight decay {@code weightDecay}. */
        @Override
        public Options weightDecay(double weightDecay) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        /** A copy with Nesterov momentum on or off. */
        public Options nesterov(boolean nesterov) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        /** A copy that maximizes if {@code maximize}. */
        @Override
        public Options maximize(boolean maximize) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }
    }

    /** The keys and ranges of SGD's options in PyTorch's {@code param_groups}. */
    public static final OptionSchema<Options> SCHEMA = OptionSchema.<Options>builder()
            .atLeast("momentum", Options::momentum, Options::momentum, 0)
            .number("dampening", Options::dampening, Options::dampening)
            .flag("nesterov", Options::nesterov, Options::nesterov)
            .build();

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options(1e-3, 0, 0, 0, false, false);
    }

    /** Plain SGD over {@code params} with learning rate {@code lr}. */
    public SGD(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** SGD over {@code params} with {@code options}. */
    public SGD(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** SGD over parameter groups; each group's options are {@code defaults} changed by its overrides. */
    public SGD(List<ParamGroup<Options>> groups, Options defaults) {
        super("SGD", SCHEMA, groups, defaults);
    }

    /**
     * {@inheritDoc} Nesterov momentum also needs a positive momentum and zero dampening.
     */
    @Override
    protected void validate(Options o) {
        super.validate(o);
        if (o.nesterov() && (o.momentum() <= 0 || o.dampening() != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening, got momentum "
                    + o.momentum() + ", dampening " + o.dampening());
        }
    }

    @Override
    protected void update(NDArray p, NDArray grad, ParamState state, Options o) {
        NDArray d = grad;
        double momentum = o.momentum();
        if (momentum != 0) {
            NDArray buf = state.momentumBuffer(d, momentum, o.dampening());
            d = o.nesterov() ? d.binary(BinaryOp.ADD, buf.binary(BinaryOp.MUL, momentum)) : buf;
        }
        p.addInPlace(d, -o.lr());
    }
}
