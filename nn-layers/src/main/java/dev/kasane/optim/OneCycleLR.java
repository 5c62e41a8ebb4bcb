package dev.kasane.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The 1cycle policy (Smith and Topsakal), PyTorch's {@code OneCycleLR}: the learning rate rises from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of {@code totalSteps} and then anneals
 * to {@code initial_lr / finalDivFactor} (with {@code threePhase}, it first returns to the initial rate), while the
 * momentum (SGD's {@code momentum} or Adam's {@code beta1}) cycles inversely between {@code maxMomentum} and
 * {@code baseMomentum}. Step it after every batch.
 *
 * <pre>{@code
 * var sched = OneCycleLR.builder(opt, 0.1, epochs * loader.numBatches()).build();
 * }</pre>
 */
public final class OneCycleLR extends LRScheduler {
    /** How to interpolate within a phase. */
    public enum Anneal {
        /** Cosine: {@code end + (start - end) / 2 * (1 + cos(pi * pct))}. */
        COS,
        /** Linear: {@code start + (end - start) * pct}. */
        LINEAR
    }

    /**
     * One phase of the cycle: it ends at step {@code end} and moves each group's rate from {@code startLr} to
     * {@code endLr} and the momentum from {@code startMomentum} to {@code endMomentum}.
     */
    private record Phase(double end, double[] startLr, double[] endLr, double startMomentum, double endMomentum) {
    }

    private final int totalSteps;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final List<Phase> phases;

    /** Settings of a {@link OneCycleLR}, with PyTorch's defaults. */
    public static final class Builder {
        private final Optimizer<?> optimizer;
        private final double[] maxLr;
        private final int totalSteps;
        private double pctStart = 0.3;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true;
        private double baseMomentum = 0.85;
        private double maxMomentum = 0.95;
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean threePhase;

        private Builder(Optimizer<?> optimizer, double[] maxLr, int totalSteps) {
            this.optimizer = Objects.requireNonNull(optimizer, "OneCycleLR: optimizer");
            this.maxLr = maxLr;
            this.totalSteps = totalSteps;
        }

        /** Fraction of the steps spent increasing the learning rate (default 0.3). */
        public Builder pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /** Interpolation within phases (default cosine). */
        public Builder anneal(Anneal anneal) {
            this.anneal = Objects.requireNonNull(anneal, "OneCycleLR: anneal");
            return this;
        }

        /** Whether to cycle the momentum inversely to the learning rate (default true). */
        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** Lowest momentum, reached at the peak learning rate (default 0.85). */
        public Builder baseMomentum(double baseMomentum) {
            this.baseMomentum = baseMomentum;
            return this;
        }

        /** Highest momentum, at the start and end (default 0.95). */
        public Builder maxMomentum(double maxMomentum) {
            this.maxMomentum = maxMomentum;
            return this;
        }

        /** {@code initial_lr = maxLr / divFactor} (default 25). */
        public Builder divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** {@code min_lr = initial_lr / finalDivFactor} (default 1e4). */
        public Builder finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Whether to use three phases (up, back down to the initial rate, then annihilation). */
        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        /**
         * The scheduler; sets each group's {@link ParamGroup#initialLr()} to {@code maxLr / divFactor}, and the
         * epoch-0 learning rate and momentum.
         *
         * @throws IllegalArgumentException if a setting is out of range or the optimizer has no momentum to cycle
         */
        public OneCycleLR build() {
            return new OneCycleLR(this);
        }
    }

    /** A builder with one peak learning rate for every group. */
    public static Builder builder(Optimizer<?> optimizer, double maxLr, int totalSteps) {
        Objects.requireNonNull(optimizer, "OneCycleLR: optimizer");
        double[] m = new double[optimizer.paramGroups().size()];
        Arrays.fill(m, maxLr);
        return new Builder(optimizer, m, totalSteps);
    }

    /** A builder with a peak learning rate per group. */
    public static Builder builder(Optimizer<?> optimizer, double[] maxLrs, int totalSteps) {
        Objects.requireNonNull(optimizer, "OneCycleLR: optimizer");
        if (maxLrs.length != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("OneCycleLR: expected " + optimizer.paramGroups().size() + " maxLr values, got "
                    + maxLrs.length);
        }
        return new Builder(optimizer, maxLrs.clone(), totalSteps);
    }

    private OneCycleLR(Builder b) {
        super(b.optimizer);
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: pctStart must be in [0, 1], got " + b.pctStart);
        }
        if (b.cycleMomentum && !(optimizer.defaults() instanceof MomentumOptions<?>)) {
            throw new IllegalArgumentException("OneCycleLR: the " + optimizer.name()
                    + " optimizer has no momentum or beta1 to cycle; use cycleMomentum(false)");
        }
        this.totalSteps = requirePositive("totalSteps", b.totalSteps);
        this.anneal = b.anneal;
        this.cycleMomentum = b.cycleMomentum;
        int n = b.maxLr.length;
        double[] initial = new double[n];
        double[] min = new double[n];
        for (int i = 0; i < n; i++) {
            initial[i] = b.maxLr[i] / b.divFactor;
            min[i] = initial[i] / b.finalDivFactor;
            optimizer.paramGroups().get(i).initialLr(initial[i]);
            baseLrs[i] = initial[i];
        }
        double up = b.pctStart * totalSteps - 1;
        double hi = b.maxMomentum;
        double lo = b.baseMomentum;
        phases = b.threePhase
                ? List.of(new Phase(up, initial, b.maxLr, hi, lo), new Phase(2 * b.pctStart * totalSteps - 2, b.maxLr, initial, lo, hi),
                        new Phase(totalSteps - 1, initial, min, hi, hi))
                : List.of(new Phase(up, initial, b.maxLr, hi, lo), new Phase(totalSteps - 1, b.maxLr, min, lo, hi));
        if (cycleMomentum) {
            for (ParamGroup<?> g : optimizer.paramGroups()) {
                setMomentum(g, hi);
            }
        }
        initialStep();
    }

    /** Sets the group's cycled momentum (SGD's momentum, Adam's beta1); the constructor checked that it has one. */
    @SuppressWarnings("unchecked") // O implements MomentumOptions<O>, so cycledMomentum returns an O
    private static <O extends OptimizerOptions<O>> void setMomentum(ParamGroup<O> g, double momentum) {
        g.options((O) ((MomentumOptions<?>) g.options()).cycledMomentum(momentum));
    }

    private double interpolate(double start, double end, double pct) {
        if (anneal == Anneal.COS) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if stepped more than {@code totalSteps} times
     */
    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + stepNum + " times; the specified number of "
                    + "total steps is " + totalSteps);
        }
        int i = 0;
        double start = 0;
        while (stepNum > phases.get(i).end() && i < phases.size() - 1) {
            start = phases.get(i++).end();
        }
        Phase phase = phases.get(i);
        double pct = (stepNum - start) / (phase.end() - start);
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            lrs[gi] = interpolate(phase.startLr()[gi], phase.endLr()[gi], pct);
            if (cycleMomentum) {
                setMomentum(groups.get(gi), interpolate(phase.startMomentum(), phase.endMomentum(), pct));
            }
        }
        return lrs;
    }
}
