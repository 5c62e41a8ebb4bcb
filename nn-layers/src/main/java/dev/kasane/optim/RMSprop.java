package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.List;

/**
 * RMSprop, PyTorch's {@code torch.optim.RMSprop} (eps added outside the square root, as PyTorch does):
 *
 * <pre>
 * g = maximize ? -grad : grad;  if weight_decay != 0: g = g + weight_decay * p
 * v = alpha * v + (1 - alpha) * g * g
 * if centered: gavg = alpha * gavg + (1 - alpha) * g;  avg = sqrt(v - gavg * gavg) + eps
 * else:        avg = sqrt(v) + eps
 * if momentum &gt; 0: buf = momentum * buf + g / avg;  p = p - lr * buf
 * else:            p = p - lr * g / avg
 * </pre>
 *
 * State: {@code square_avg}, {@code momentum_buffer} (momentum &gt; 0), {@code grad_avg} (centered).
 */
public final class RMSprop extends Optimizer<RMSprop.Options> {
    /**
     * RMSprop's options; {@link RMSprop#options()} gives PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8, no
     * momentum, not centered).
     *
     * @param lr learning rate ({@code lr})
     * @param alpha smoothing constant of the squared-gradient average ({@code alpha})
     * @param eps term added to the denominator, outside the square root ({@code eps})
     * @param weightDecay L2 penalty ({@code weight_decay})
     * @param momentum momentum factor ({@code momentum})
     * @param centered normalize by an estimate of the gradient's variance instead of its second moment
     *     ({@code centered})
     * @param maximize maximize the objective ({@code maximize})
     */
    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
            boolean maximize) implements MomentumOptions.Factor<Options> {
        /** A copy with learning rate {@code lr}. */
        @Override
        public Options lr(double lr) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        /** A copy with smoothing constant {@code alpha}. */
        public Options alpha(double alpha) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        /** A copy with denominator term {@code eps}. */
        public Options eps(double eps) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        /** A copy with weight decay {@code weightDecay}. */
        @Override
        public Options weightDecay(double weightDecay) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        /** A copy with momentum factor {@code momentum}. */
        @Override
        public Options momentum(double momentum) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        /** A copy, centered or not. */
        public Options centered(boolean centered) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        /** A copy that maximizes if {@code maximize}. */
        @Override
        public Options maximize(boolean maximize) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }
    }

    /** The keys and ranges of RMSprop's options in PyTorch's {@code param_groups}. */
    public static final OptionSchema<Options> SCHEMA = OptionSchema.<Options>builder()
            .atLeast("alpha", Options::alpha, Options::alpha, 0)
            .atLeast("eps", Options::eps, Options::eps, 0)
            .atLeast("momentum", Options::momentum, Options::momentum, 0)
            .flag("centered", Options::centered, Options::centered)
            .build();

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options(1e-2, 0.99, 1e-8, 0, 0, false, false);
    }

    /** RMSprop over {@code params} with learning rate {@code lr} and the other defaults. */
    public RMSprop(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** RMSprop over {@code params} with {@code options}. */
    public RMSprop(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** RMSprop over parameter groups; each group's options are {@code defaults} changed by its overrides. */
    public RMSprop(List<ParamGroup<Options>> groups, Options defaults) {
        super("RMSprop", SCHEMA, groups, defaults);
    }

    @Override
    protected void update(NDArray p, NDArray grd, ParamState state, Options o) {
        double alpha = o.alpha();
        NDArray squareAvg = state.squareAverage("square_avg", p, grd, alpha);
        NDArray avg;
        if (o.centered()) {
            NDArray gradAvg = state.zerosIfAbsent("grad_avg", p);
            gradAvg.binaryInPlace(BinaryOp.MUL, alpha);
            gradAvg.addInPlace(grd, 1 - alpha);
            avg = squareAvg.binary(BinaryOp.SUB, gradAvg.binary(BinaryOp.MUL, gradAvg)).unary(UnaryOp.SQRT);
        } else {
            avg = squareAvg.unary(UnaryOp.SQRT);
        }
        avg.binaryInPlace(BinaryOp.ADD, o.eps());
        if (o.momentum() > 0) {
            NDArray buf = state.zerosIfAbsent("momentum_buffer", p);
            buf.binaryInPlace(BinaryOp.MUL, o.momentum());
            buf.addcdivInPlace(grd, avg, 1);
            p.addInPlace(buf, -o.lr());
        } else {
            p.addcdivInPlace(grd, avg, -o.lr());
        }
    }
}
