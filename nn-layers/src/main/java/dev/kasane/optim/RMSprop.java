package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
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
public final class RMSprop extends Optimizer {
    /** RMSprop's options, with PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8, no momentum, not centered). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            lr(1e-2).alpha(0.99).eps(1e-8).weightDecay(0).momentum(0).centered(false).maximize(false);
        }

        /** Smoothing constant of the squared-gradient average. */
        public Options alpha(double alpha) {
            return set("alpha", alpha);
        }

        /** Term added to the denominator (outside the square root). */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Momentum factor. */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Whether to normalize by an estimate of the gradient's variance instead of its second moment. */
        public Options centered(boolean centered) {
            return flag("centered", centered);
        }
    }

    /** New options with PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    /** RMSprop over {@code params} with learning rate {@code lr} and the other defaults. */
    public RMSprop(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** RMSprop over {@code params} with {@code options}. */
    public RMSprop(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** RMSprop over parameter groups; {@code defaults} fills the options a group does not set. */
    public RMSprop(List<ParamGroup> groups, Options defaults) {
        super("RMSprop", groups, defaults.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        requireAtLeast(g, "lr", 0);
        requireAtLeast(g, "eps", 0);
        requireAtLeast(g, "momentum", 0);
        requireAtLeast(g, "weight_decay", 0);
        requireAtLeast(g, "alpha", 0);
    }

    @Override
    protected void update(Tensor param, NDArray grad, ParamState state, ParamGroup g) {
        NDArray p = param.data();
        double lr = g.lr();
        double alpha = g.get("alpha");
        double eps = g.get("eps");
        double wd = g.get("weight_decay");
        double momentum = g.get("momentum");
        boolean centered = g.flag("centered");
        NDArray grd = directed(grad, g);
        NDArray squareAvg = buffer(state, "square_avg", p);
        state.setStep(state.step() + 1);
        if (wd != 0) {
            grd = grd.add(p.mul(wd));
        }
        squareAvg.mulInPlace(alpha);
        addcmul(squareAvg, grd, grd, 1 - alpha);
        NDArray avg;
        if (centered) {
            NDArray gradAvg = buffer(state, "grad_avg", p);
            gradAvg.mulInPlace(alpha);
            addScaled(gradAvg, grd, 1 - alpha);
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.addInPlace(eps);
        if (momentum > 0) {
            NDArray buf = buffer(state, "momentum_buffer", p);
            buf.mulInPlace(momentum);
            addcdiv(buf, grd, avg, 1);
            addScaled(p, buf, -lr);
        } else {
            addcdiv(p, grd, avg, -lr);
        }
    }

    private static NDArray buffer(ParamState state, String name, NDArray like) {
        NDArray b = state.get(name);
        if (b == null) {
            b = like.zerosLike();
            state.put(name, b);
        }
        return b;
    }
}
