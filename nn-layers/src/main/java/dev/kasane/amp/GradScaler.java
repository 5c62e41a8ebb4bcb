package dev.kasane.amp;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.ParamGroup;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dynamic loss scaling for F16 training, PyTorch's {@code torch.cuda.amp.GradScaler} with its names and arithmetic:
 * the loss is multiplied by a scale so that small gradients survive the F16 rounding of
 * {@link Autocast#open F16 autocast}; before the optimizer steps, the gradients are divided by it again and checked;
 * a step whose gradients hold an infinity or NaN is skipped and the scale is halved, and after
 * {@code growthInterval} steps in a row without one the scale doubles.
 *
 * <pre>{@code
 * GradScaler scaler = new GradScaler();
 * try (Autocast ignored = Autocast.open(DType.F16, true)) {
 *     loss = F.mseLoss(model.forward(x), y);
 * }
 * scaler.scale(loss).backward();
 * scaler.step(optimizer);    // unscales, skips the step if a gradient is not finite
 * scaler.update();           // halves the scale after a skipped step, doubles it after growthInterval good ones
 * optimizer.zeroGrad();
 * }</pre>
 *
 * <p>The scale is an F32 number, updated as PyTorch's {@code _amp_update_scale_} kernel does: on a non-finite
 * gradient {@code scale = (float) (scale * backoffFactor)} and the growth tracker is reset; otherwise the tracker
 * counts up and, on reaching {@code growthInterval}, {@code scale = (float) (scale * growthFactor)} if that is finite
 * and the tracker is reset. Gradients are unscaled in place by multiplying with the F32 {@code (float) (1.0 / scale)}.
 * BF16 autocast keeps F32's exponent range and needs no scaler.
 *
 * <p>Not thread-safe; one scaler serves any number of optimizers, each unscaled and stepped at most once between two
 * calls of {@link #update()}.
 */
public final class GradScaler {
    /** PyTorch's state-dict keys, in its order: the scale, the three settings, the growth tracker. */
    private static final List<String> STATE_KEYS = List.of("scale", "growth_factor", "backoff_factor", "growth_interval",
            "_growth_tracker");

    /** What happened to an optimizer since the last update. */
    private enum Stage { UNSCALED, STEPPED }

    /** An optimizer's record between two updates: its stage and whether its gradients held a non-finite value. */
    private static final class Record {
        Stage stage;
        boolean foundInf;
    }

    private final double growthFactor;
    private final double backoffFactor;
    private final int growthInterval;
    private final boolean enabled;
    private float scale;
    private int growthTracker;
    private final Map<Optimizer<?>, Record> records = new IdentityHashMap<>();

    /** PyTorch's defaults: initial scale 65536, growth factor 2, backoff factor 0.5, growth interval 2000, enabled. */
    public GradScaler() {
        this(65536.0, 2.0, 0.5, 2000, true);
    }

    /**
     * A scaler with the given settings ({@code torch.cuda.amp.GradScaler(init_scale, growth_factor, backoff_factor,
     * growth_interval, enabled)}); a disabled scaler passes losses through and steps unconditionally.
     *
     * @throws IllegalArgumentException if {@code initScale} is not positive and finite, {@code growthFactor} is not
     *     above 1, {@code backoffFactor} is not in (0, 1), or {@code growthInterval} is not positive
     */
    public GradScaler(double initScale, double growthFactor, double backoffFactor, int growthInterval, boolean enabled) {
        check(initScale > 0 && Float.isFinite((float) initScale), "initScale must be positive and a finite F32", initScale);
        check(growthFactor > 1 && !Double.isInfinite(growthFactor), "growthFactor must be a finite number above 1",
                growthFactor);
        check(backoffFactor > 0 && backoffFactor < 1, "backoffFactor must be in (0, 1)", backoffFactor);
        check(growthInterval >= 1, "growthInterval must be positive", growthInterval);
        this.scale = (float) initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
        this.enabled = enabled;
    }

    private static void check(boolean ok, String rule, Number value) {
        if (!ok) {
            throw new IllegalArgumentException("GradScaler: " + rule + ", got " + value);
        }
    }

    /** Whether this scaler scales (a disabled one is a pass-through, {@code enabled=False}). */
    public boolean isEnabled() {
        return enabled;
    }

    /** The current scale, or 1 if disabled ({@code get_scale()}). */
    public double getScale() {
        return enabled ? scale : 1.0;
    }

    /** Steps without a non-finite gradient since the scale last changed ({@code _get_growth_tracker()}). */
    public int getGrowthTracker() {
        return growthTracker;
    }

    /**
     * {@code loss} multiplied by the scale (differentiable; {@code loss} itself if disabled).
     *
     * @throws IllegalArgumentException if {@code loss} is not F32 or F64
     */
    public Tensor scale(Tensor loss) {
        Objects.requireNonNull(loss, "GradScaler.scale: loss");
        if (!loss.dtype().isFloating()) {
            throw new IllegalArgumentException("GradScaler.scale: the loss must be F32 or F64, got " + loss.dtype()
                    + " on " + loss.device());
        }
        return enabled ? loss.mul(scale) : loss;
    }

    /**
     * Divides the gradients of {@code optimizer}'s parameters by the scale, in place, and records whether any holds an
     * infinity or NaN ({@code unscale_}); call it before clipping gradients. Nothing happens if disabled.
     *
     * @throws IllegalStateException if this optimizer was already unscaled or stepped since the last {@link #update()}
     */
    @SuppressWarnings("try")
    public void unscale(Optimizer<?> optimizer) {
        Objects.requireNonNull(optimizer, "GradScaler.unscale: optimizer");
        if (!enabled) {
            return;
        }
        Record r = records.get(optimizer);
        if (r != null) {
            throw new IllegalStateException("GradScaler.unscale: " + optimizer.name() + " was already "
                    + (r.stage == Stage.UNSCALED ? "unscaled" : "stepped") + " since the last update()");
        }
        r = new Record();
        double inverse = (float) (1.0 / scale);
        try (GradGuard g = Autograd.noGrad()) {
            for (ParamGroup<?> group : optimizer.paramGroups()) {
                for (Tensor p : group.params()) {
                    Tensor grad = Function.grad(p);
                    if (grad == null) {
                        continue;
                    }
                    r.foundInf |= grad.isFinite().all().item() == 0;
                    grad.mulInPlace(inverse);
                }
            }
        }
        r.stage = Stage.UNSCALED;
        records.put(optimizer, r);
    }

    /**
     * Unscales {@code optimizer}'s gradients if {@link #unscale} was not called, then runs {@code optimizer.step()}
     * unless a gradient held an infinity or NaN ({@code step}). A disabled scaler always steps.
     *
     * @return whether the optimizer stepped
     * @throws IllegalStateException if this optimizer already stepped since the last {@link #update()}
     */
    public boolean step(Optimizer<?> optimizer) {
        Objects.requireNonNull(optimizer, "GradScaler.step: optimizer");
        if (!enabled) {
            optimizer.step();
            return true;
        }
        Record r = records.get(optimizer);
        if (r != null && r.stage == Stage.STEPPED) {
            throw new IllegalStateException("GradScaler.step: " + optimizer.name()
                    + " already stepped since the last update()");
        }
        if (r == null) {
            unscale(optimizer);
            r = records.get(optimizer);
        }
        r.stage = Stage.STEPPED;
        if (r.foundInf) {
            return false;
        }
        optimizer.step();
        return true;
    }

    /**
     * Updates the scale from the non-finite checks of the optimizers unscaled since the last update (PyTorch's
     * {@code update()}), and starts a new iteration. Nothing happens if disabled.
     *
     * @throws IllegalStateException if no optimizer was unscaled or stepped since the last update
     */
    public void update() {
        if (!enabled) {
            return;
        }
        if (records.isEmpty()) {
            throw new IllegalStateException("GradScaler.update: no inf checks were recorded since the last update(); call "
                    + "step(optimizer) or unscale(optimizer) first");
        }
        boolean foundInf = false;
        for (Record r : records.values()) {
            foundInf |= r.foundInf;
        }
        records.clear();
        if (foundInf) {
            scale = (float) (scale * backoffFactor);
            growthTracker = 0;
        } else if (growthTracker + 1 == growthInterval) {
            float grown = (float) (scale * growthFactor);
            if (Float.isFinite(grown)) {
                scale = grown;
            }
            growthTracker = 0;
        } else {
            growthTracker++;
        }
    }

    /**
     * Sets the scale to {@code newScale} ({@code update(new_scale)}) and starts a new iteration; the growth tracker
     * is kept, as PyTorch keeps it.
     *
     * @throws IllegalArgumentException if {@code newScale} is not positive and a finite F32
     */
    public void update(double newScale) {
        if (!(newScale > 0) || !Float.isFinite((float) newScale)) {
            throw new IllegalArgumentException("GradScaler.update: the new scale must be positive and a finite F32, got "
                    + newScale);
        }
        if (enabled) {
            scale = (float) newScale;
            records.clear();
        }
    }

    /**
     * The scaler's state under PyTorch's {@code state_dict()} keys ({@code scale}, {@code growth_factor},
     * {@code backoff_factor}, {@code growth_interval}, {@code _growth_tracker}), as strings (for safetensors
     * metadata); empty if disabled, as PyTorch's.
     */
    public Map<String, String> stateDict() {
        Map<String, String> m = new LinkedHashMap<>();
        if (enabled) {
            String[] values = {Float.toString(scale), Double.toString(growthFactor), Double.toString(backoffFactor),
                Integer.toString(growthInterval), Integer.toString(growthTracker)};
            for (int i = 0; i < values.length; i++) {
                m.put(STATE_KEYS.get(i), values[i]);
            }
        }
        return m;
    }

    /**
     * Restores the scale and growth tracker of a {@link #stateDict()}; the factors and interval must equal this
     * scaler's (they are its construction settings).
     *
     * @throws IllegalArgumentException if the state is empty, a key is missing or malformed, a value is out of range or
     *     a setting differs; this scaler is then left as it was
     */
    public void loadStateDict(Map<String, String> state) {
        String op = "GradScaler.loadStateDict";
        Objects.requireNonNull(state, op + ": state");
        Map<String, String> mine = stateDict();
        if (!state.keySet().containsAll(STATE_KEYS)) {
            throw new IllegalArgumentException(op + ": the state " + state.keySet() + " lacks one of the keys " + STATE_KEYS
                    + (state.isEmpty() ? " (saved from a disabled scaler?)" : ""));
        }
        float newScale;
        int tracker;
        try {
            newScale = Float.parseFloat(state.get("scale"));
            tracker = Integer.parseInt(state.get("_growth_tracker"));
            for (String setting : STATE_KEYS.subList(1, 4)) {
                if (Double.parseDouble(state.get(setting)) != Double.parseDouble(mine.get(setting))) {
                    throw new IllegalArgumentException(op + ": the state has " + setting + " " + state.get(setting)
                            + ", this scaler " + mine.get(setting) + "; construct the scaler with the saved settings");
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(op + ": malformed number in " + state, e);
        }
        if (!(newScale > 0) || !Float.isFinite(newScale) || tracker < 0 || tracker >= growthInterval) {
            throw new IllegalArgumentException(op + ": scale " + newScale + " must be positive and finite and _growth_tracker "
                    + tracker + " in [0, " + growthInterval + ")");
        }
        scale = newScale;
        growthTracker = tracker;
        records.clear();
    }
}
