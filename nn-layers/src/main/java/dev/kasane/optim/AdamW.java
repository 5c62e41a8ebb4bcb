package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter), PyTorch's {@code torch.optim.AdamW}: {@link Adam} with decoupled weight decay,
 * applied to the parameter before the Adam update instead of being added to the gradient:
 *
 * <pre>
 * p = p * (1 - lr * weight_decay)
 * (then Adam's update without weight decay)
 * </pre>
 *
 * State: as {@link Adam}.
 */
public final class AdamW extends AbstractAdam {
    /** New options with PyTorch's defaults for AdamW (as Adam's, but weight decay 1e-2). */
    public static Adam.Options options() {
        return Adam.options().weightDecay(1e-2);
    }

    /** AdamW over {@code params} with learning rate {@code lr} and the other defaults. */
    public AdamW(Iterable<Tensor> params, double lr) {
        this(single(params), options().lr(lr));
    }

    /** AdamW over {@code params} with {@code options}. */
    public AdamW(Iterable<Tensor> params, Adam.Options options) {
        this(single(params), options);
    }

    /** AdamW over parameter groups; each group's options are {@code defaults} changed by its overrides. */
    public AdamW(List<ParamGroup<Adam.Options>> groups, Adam.Options defaults) {
        super("AdamW", groups, defaults, true);
    }
}
