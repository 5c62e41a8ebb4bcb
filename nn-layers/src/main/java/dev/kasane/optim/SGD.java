package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
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
public final class SGD extends Optimizer {
    /** SGD's options, with PyTorch's defaults (lr 1e-3, everything else 0/false). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            lr(1e-3).set("momentum", 0).set("dampening", 0).weightDecay(0).flag("nesterov", false).maximize(false);
        }

        /** Momentum factor. */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Dampening of the momentum. */
        public Options dampening(double dampening) {
            return set("dampening", dampening);
        }

        /** Nesterov momentum (needs momentum &gt; 0 and zero dampening). */
        public Options nesterov(boolean nesterov) {
            return flag("nesterov", nesterov);
        }
    }

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    /** Plain SGD over {@code params} with learning rate {@code lr}. */
    public SGD(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** SGD over {@code params} with {@code options}. */
    public SGD(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** SGD over parameter groups; {@code defaults} fills the options a group does not set. */
    public SGD(List<ParamGroup> groups, Options defaults) {
        super("SGD", groups, defaults.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        requireAtLeast(g, "lr", 0);
        requireAtLeast(g, "momentum", 0);
        requireAtLeast(g, "weight_decay", 0);
        if (g.flag("nesterov") && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening, got momentum "
                    + g.get("momentum") + ", dampening " + g.get("dampening"));
        }
    }

    @Override
    protected void update(Tensor param, NDArray grad, ParamState state, ParamGroup g) {
        NDArray p = param.data();
        double lr = g.lr();
        double wd = g.get("weight_decay");
        double momentum = g.get("momentum");
        double dampening = g.get("dampening");
        NDArray d = directed(grad, g);
        if (wd != 0) {
            d = d.add(p.mul(wd));
        }
        if (momentum != 0) {
            NDArray buf = state.get("momentum_buffer");
            if (buf == null) {
                buf = d.copy();
                state.put("momentum_buffer", buf);
            } else {
                buf.mulInPlace(momentum);
                addScaled(buf, d, 1 - dampening);
            }
            d = g.flag("nesterov") ? d.add(buf.mul(momentum)) : buf;
        }
        state.setStep(state.step() + 1);
        addScaled(p, d, -lr);
    }
}
