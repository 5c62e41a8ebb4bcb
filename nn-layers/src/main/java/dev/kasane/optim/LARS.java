package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.ArrayList;
import java.util.List;

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman and Ginsburg 2017), the optimizer of SimCLR's large-batch
 * training. PyTorch has no LARS; this is the form of the SimCLR and Barlow Twins reference code, per parameter:
 *
 * <pre>
 * g = maximize ? -grad : grad
 * g = g + weight_decay * p
 * if trust_adaptation and ||p|| &gt; 0 and ||g|| &gt; 0:  g = g * trust_coefficient * ||p|| / ||g||
 * buf = (first step) ? g : momentum * buf + g
 * p = p - lr * buf
 * </pre>
 *
 * with 2-norms over the whole parameter tensor. SimCLR leaves biases and normalisation parameters out of the
 * adaptation and the weight decay: {@link #groupsExcludingVectors} puts them in a group of their own.
 *
 * <p>State: {@code momentum_buffer} when momentum is non-zero.
 */
public final class LARS extends Optimizer<LARS.Options> {
    /**
     * LARS's options; {@link LARS#options()} gives lr 0.1, momentum 0.9, no weight decay, trust coefficient 0.001,
     * adaptation on.
     *
     * @param lr learning rate ({@code lr})
     * @param momentum momentum factor ({@code momentum})
     * @param weightDecay L2 penalty added to the gradient before the trust ratio ({@code weight_decay})
     * @param trustCoefficient eta, the scale of the trust ratio {@code eta ||p|| / ||g||} ({@code trust_coefficient})
     * @param trustAdaptation whether the group's gradients are scaled by the trust ratio ({@code trust_adaptation})
     * @param maximize maximize the objective ({@code maximize})
     */
    public record Options(double lr, double momentum, double weightDecay, double trustCoefficient,
            boolean trustAdaptation, boolean maximize) implements MomentumOptions.Factor<Options> {
        /** A copy with learning rate {@code lr}. */
        @Override
        public Options lr(double lr) {
            return new Options(lr, momentum, weightDecay, trustCoefficient, trustAdaptation, maximize);
        }

        /** A copy with momentum factor {@code momentum}. */
        @Override
        public Options momentum(double momentum) {
            return new Options(lr, momentum, weightDecay, trustCoefficient, trustAdaptation, maximize);
        }

        /** A copy with weight decay {@code weightDecay}. */
        @Override
        public Options weightDecay(double weightDecay) {
            return new Options(lr, momentum, weightDecay, trustCoefficient, trustAdaptation, maximize);
        }

        /** A copy with trust coefficient {@code trustCoefficient}. */
        public Options trustCoefficient(double trustCoefficient) {
            return new Options(lr, momentum, weightDecay, trustCoefficient, trustAdaptation, maximize);
        }

        /** A copy with the trust-ratio scaling on or off. */
        public Options trustAdaptation(boolean trustAdaptation) {
            return new Options(lr, momentum, weightDecay, trustCoefficient, trustAdaptation, maximize);
        }

        /** A copy that maximizes if {@code maximize}. */
        @Override
        public Options maximize(boolean maximize) {
            return new Options(lr, momentum, weightDecay, trustCoefficient, trustAdaptation, maximize);
        }
    }

    /** The keys and ranges of LARS's options in a PyTorch-style {@code param_groups}. */
    public static final OptionSchema<Options> SCHEMA = OptionSchema.<Options>builder()
            .atLeast("momentum", Options::momentum, Options::momentum, 0)
            .atLeast("trust_coefficient", Options::trustCoefficient, Options::trustCoefficient, 0)
            .flag("trust_adaptation", Options::trustAdaptation, Options::trustAdaptation)
            .build();

    /** New options with the defaults above. */
    public static Options options() {
        return new Options(0.1, 0.9, 0, 0.001, true, false);
    }

    /** LARS over {@code params} with {@code options}. */
    public LARS(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** LARS over parameter groups; each group's options are {@code defaults} changed by its overrides. */
    public LARS(List<ParamGroup<Options>> groups, Options defaults) {
        super("LARS", SCHEMA, groups, defaults);
    }

    /**
     * SimCLR's grouping: the parameters with two or more dims (weights of convolutions and linear layers) in a group
     * with the defaults, and those with fewer (biases, normalisation scales and shifts) in a group without weight
     * decay and trust adaptation. A group left empty is omitted.
     */
    public static List<ParamGroup<Options>> groupsExcludingVectors(Iterable<Tensor> params) {
        List<Tensor> matrices = new ArrayList<>();
        List<Tensor> vectors = new ArrayList<>();
        for (Tensor p : params) {
            (p.dim() >= 2 ? matrices : vectors).add(p);
        }
        List<ParamGroup<Options>> groups = new ArrayList<>();
        if (!matrices.isEmpty()) {
            groups.add(new ParamGroup<>(matrices));
        }
        if (!vectors.isEmpty()) {
            groups.add(new ParamGroup<>(vectors, o -> o.weightDecay(0).trustAdaptation(false)));
        }
        return groups;
    }

    @Override
    protected void update(NDArray p, NDArray grad, ParamState state, Options o) {
        NDArray d = grad;
        if (o.trustAdaptation()) {
            double pNorm = norm(p);
            double gNorm = norm(d);
            if (pNorm > 0 && gNorm > 0) {
                d = d.binary(BinaryOp.MUL, o.trustCoefficient() * pNorm / gNorm);
            }
        }
        if (o.momentum() != 0) {
            d = state.momentumBuffer(d, o.momentum(), 0);
        }
        p.addInPlace(d, -o.lr());
    }

    private static double norm(NDArray a) {
        return Math.sqrt(a.binary(BinaryOp.MUL, a).reduce(ReduceOp.SUM).item());
    }
}
