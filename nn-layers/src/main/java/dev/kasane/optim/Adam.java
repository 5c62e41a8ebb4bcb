package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba), PyTorch's {@code torch.optim.Adam}, with L2 weight decay added to the gradient and the
 * AMSGrad variant:
 *
 * <pre>
 * g = maximize ? -grad : grad;  if weight_decay != 0: g = g + weight_decay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * vmax = max(vmax, v)                                     (amsgrad)
 * denom = sqrt(amsgrad ? vmax : v) / sqrt(1 - beta2^t) + eps
 * p = p - lr / (1 - beta1^t) * m / denom
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad) and the step count {@code t}.
 */
public final class Adam extends AbstractAdam {
    /**
     * The options of Adam and {@link AdamW}; {@link Adam#options()} gives Adam's PyTorch defaults (lr 1e-3, betas
     * (0.9, 0.999), eps 1e-8, no weight decay), {@link AdamW#options()} AdamW's.
     *
     * @param lr learning rate ({@code lr})
     * @param beta1 coefficient of the gradient's running average ({@code betas[0]}, key {@code beta1})
     * @param beta2 coefficient of the squared gradient's running average ({@code betas[1]}, key {@code beta2})
     * @param eps term added to the denominator ({@code eps})
     * @param weightDecay weight decay ({@code weight_decay}): L2 for Adam, decoupled for AdamW
     * @param amsgrad use the maximum of past squared-gradient averages ({@code amsgrad})
     * @param maximize maximize the objective ({@code maximize})
     */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
            boolean maximize) implements MomentumOptions<Options> {
        /** A copy with learning rate {@code lr}. */
        @Override
        public Options lr(double lr) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        /** A copy with the running averages' coefficients {@code (beta1, beta2)}. */
        public Options betas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        /** A copy with denominator term {@code eps}. */
        public Options eps(double eps) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        /** A copy with weight decay {@code weightDecay}. */
        @Override
        public Options weightDecay(double weightDecay) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        /** A copy with AMSGrad on or off. */
        public Options amsgrad(boolean amsgrad) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        /** A copy that maximizes if {@code maximize}. */
        @Override
        public Options maximize(boolean maximize) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        /** {@code beta1}, which PyTorch's OneCycleLR cycles. */
        @Override
        public double cycledMomentum() {
            return beta1;
        }

        /** A copy with {@code beta1} set to {@code momentum}. */
        @Override
        public Options cycledMomentum(double momentum) {
            return betas(momentum, beta2);
        }
    }

    /** The keys and ranges of Adam's and AdamW's options in PyTorch's {@code param_groups}. */
    public static final OptionSchema<Options> SCHEMA = OptionSchema.<Options>builder()
            .inRange("beta1", Options::beta1, (o, b) -> o.betas(b, o.beta2()), 0, 1, false)
            .inRange("beta2", Options::beta2, (o, b) -> o.betas(o.beta1(), b), 0, 1, false)
            .atLeast("eps", Options::eps, Options::eps, 0)
            .flag("amsgrad", Options::amsgrad, Options::amsgrad)
            .build();

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options(1e-3, 0.9, 0.999, 1e-8, 0, false, false);
    }

    /** Adam over {@code params} with learning rate {@code lr} and the other defaults. */
    public Adam(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** Adam over {@code params} with {@code options}. */
    public Adam(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** Adam over parameter groups; each group's options are {@code defaults} changed by its overrides. */
    public Adam(List<ParamGroup<Options>> groups, Options defaults) {
        super("Adam", groups, defaults, false);
    }
}
