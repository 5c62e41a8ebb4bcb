package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
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
public final class Adadelta extends Optimizer<Adadelta.Options> {
    /**
     * Adadelta's options; {@link Adadelta#options()} gives PyTorch's defaults (lr 1.0, rho 0.9, eps 1e-6, no weight
     * decay).
     *
     * @param lr learning rate ({@code lr})
     * @param rho coefficient of the running averages, in [0, 1] ({@code rho})
     * @param eps term added inside the square roots ({@code eps})
     * @param weightDecay L2 penalty ({@code weight_decay})
     * @param maximize maximize the objective ({@code maximize})
     */
    public record Options(double lr, double rho, double eps, double weightDecay, boolean maximize)
            implements OptimizerOptions<Options> {
        /** A copy with learning rate {@code lr}. */
        @Override
        public Options lr(double lr) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        /** A copy with running-average coefficient {@code rho}. */
        public Options rho(double rho) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        /** A copy with square-root term {@code eps}. */
        public Options eps(double eps) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        /** A copy with weight decay {@code weightDecay}. */
        @Override
        public Options weightDecay(double weightDecay) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        /** A copy that maximizes if {@code maximize}. */
        @Override
        public Options maximize(boolean maximize) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }
    }

    /** The keys and ranges of Adadelta's options in PyTorch's {@code param_groups}. */
    public static final OptionSchema<Options> SCHEMA = OptionSchema.<Options>builder()
            .inRange("rho", Options::rho, Options::rho, 0, 1, true)
            .atLeast("eps", Options::eps, Options::eps, 0)
            .build();

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options(1.0, 0.9, 1e-6, 0, false);
    }

    /** Adadelta over {@code params} with PyTorch's default options (lr 1.0). */
    public Adadelta(Iterable<Tensor> params) {
        this(single(params), options());
    }

    /** Adadelta over {@code params} with {@code options}. */
    public Adadelta(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** Adadelta over parameter groups; each group's options are {@code defaults} changed by its overrides. */
    public Adadelta(List<ParamGroup<Options>> groups, Options defaults) {
        super("Adadelta", SCHEMA, groups, defaults);
    }

    @Override
    protected void update(NDArray p, NDArray grd, ParamState state, Options o) {
        double rho = o.rho();
        double eps = o.eps();
        NDArray squareAvg = state.squareAverage("square_avg", p, grd, rho);
        NDArray accDelta = state.zerosIfAbsent("acc_delta", p);
        NDArray std = squareAvg.binary(BinaryOp.ADD, eps).unary(UnaryOp.SQRT);
        NDArray delta = accDelta.binary(BinaryOp.ADD, eps).unary(UnaryOp.SQRT).binaryInPlace(BinaryOp.DIV, std).binaryInPlace(BinaryOp.MUL, grd);
        state.squareAverage("acc_delta", p, delta, rho);
        p.addInPlace(delta, -o.lr());
    }
}
