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
    /** Adam's options, with PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay). */
    public static final class Options extends OptimizerOptions<Options> {
        Options(double weightDecay) {
            lr(1e-3).betas(0.9, 0.999).eps(1e-8).weightDecay(weightDecay).amsgrad(false).maximize(false);
        }

        /** Coefficients of the running averages of the gradient and of its square. */
        public Options betas(double beta1, double beta2) {
            return set("beta1", beta1).set("beta2", beta2);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Whether to use the AMSGrad variant (the maximum of past squared-gradient averages). */
        public Options amsgrad(boolean amsgrad) {
            return flag("amsgrad", amsgrad);
        }
    }

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options(0);
    }

    /** Adam over {@code params} with learning rate {@code lr} and the other defaults. */
    public Adam(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** Adam over {@code params} with {@code options}. */
    public Adam(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** Adam over parameter groups; {@code defaults} fills the options a group does not set. */
    public Adam(List<ParamGroup> groups, Options defaults) {
        super("Adam", groups, defaults.toMap(), false);
    }
}
