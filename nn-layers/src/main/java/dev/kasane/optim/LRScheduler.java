package dev.kasane.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Base of the epoch- or step-based learning-rate schedulers, PyTorch's {@code torch.optim.lr_scheduler.LRScheduler}.
 *
 * <p>Construction records each group's {@link ParamGroup#initialLr()} (if not already set) as the base learning rate and performs
 * the first {@link #step()}, which sets epoch 0's learning rate. Call {@link #step()} after {@link Optimizer#step()}
 * once per epoch (or per batch, for per-step schedules). The subclasses compute the new rate from the current one
 * exactly as PyTorch's chainable {@code get_lr} does, so the sequence of rates matches PyTorch's to the last bit
 * (given the same floating-point operations) and schedulers can be chained on one optimizer.
 */
public abstract class LRScheduler {
    /** The state-dict key of a group's {@link ParamGroup#initialLr()}. */
    static final String INITIAL_LR = "initial_lr";
    /**
     * The {@code param_groups} keys that PyTorch's schedulers add: {@code initial_lr} (kept by each group) and
     * OneCycleLR's bounds (kept by the scheduler, which sets them again when built, so an optimizer ignores them when
     * it loads a state dict).
     */
    static final Set<String> GROUP_KEYS = Set.of(INITIAL_LR, "max_lr", "min_lr", "max_momentum", "base_momentum");

    /** The optimizer whose groups' {@code lr} this scheduler sets. */
    protected final Optimizer<?> optimizer;
    /** Each group's {@code initial_lr}. */
    protected double[] baseLrs;
    /** The number of {@link #step()} calls so far minus one (0 after construction). */
    protected int lastEpoch = -1;
    private double[] lastLr;

    /** Records the base learning rates; subclasses call {@link #initialStep()} at the end of their constructor. */
    protected LRScheduler(Optimizer<?> optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, getClass().getSimpleName() + ": optimizer");
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup<?> g = groups.get(i);
            if (g.initialLr().isEmpty()) {
                g.initialLr(g.lr());
            }
            baseLrs[i] = g.initialLr().getAsDouble();
        }
    }

    /** Performs the first step (epoch 0); call last in a subclass constructor. */
    protected final void initialStep() {
        step();
    }

    /** The learning rate of each group for epoch {@link #lastEpoch}, from the groups' current rates. */
    protected abstract double[] computeLr();

    /** Advances one epoch and sets each group's learning rate. */
    public void step() {
        lastEpoch++;
        double[] lrs = computeLr();
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) {
            groups.get(i).lr(lrs[i]);
        }
        lastLr = lrs.clone();
    }

    /** The learning rates set by the last step, one per group. */
    public List<Double> lastLr() {
        List<Double> out = new ArrayList<>(lastLr.length);
        for (double v : lastLr) {
            out.add(v);
        }
        return Collections.unmodifiableList(out);
    }

    /** The current epoch (0 after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The groups' current learning rates. */
    protected final double[] currentLrs() {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    /**
     * The scheduler's state: {@code last_epoch}, {@code base_lrs} and {@code last_lr} (comma-separated doubles), for a
     * checkpoint's metadata. The schedule's own settings are constructor arguments and are not included.
     */
    public Map<String, String> stateDict() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("last_epoch", Integer.toString(lastEpoch));
        m.put("base_lrs", join(baseLrs));
        m.put("last_lr", join(lastLr));
        return m;
    }

    /**
     * Restores a {@link #stateDict()} (after constructing the scheduler with the same settings and loading the
     * optimizer's state).
     *
     * @throws IllegalArgumentException if a key is missing or malformed, or the number of groups differs
     */
    public void loadStateDict(Map<String, String> state) {
        String op = getClass().getSimpleName() + ".loadStateDict";
        try {
            int epoch = Integer.parseInt(require(state, "last_epoch", op));
            double[] base = split(require(state, "base_lrs", op));
            double[] last = split(require(state, "last_lr", op));
            if (base.length != baseLrs.length || last.length != baseLrs.length) {
                throw new IllegalArgumentException(op + ": the state has " + base.length + " groups, the optimizer "
                        + baseLrs.length);
            }
            lastEpoch = epoch;
            baseLrs = base;
            lastLr = last;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(op + ": malformed state " + state, e);
        }
    }

    /**
     * Checks a count setting of a scheduler (epochs, steps); returns it.
     *
     * @throws IllegalArgumentException naming the scheduler and the setting if {@code value < 1}
     */
    final int requirePositive(String setting, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + setting + " must be >= 1, got " + value);
        }
        return value;
    }

    static String require(Map<String, String> state, String key, String op) {
        String v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException(op + ": missing key '" + key + "'");
        }
        return v;
    }

    static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.toString();
    }

    static double[] split(String s) {
        return s.isEmpty() ? new double[0] : Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
