package dev.kasane.optim;

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

    private final int totalSteps;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final boolean useBeta1;
    /** Per phase: end step, and the option keys of start/end lr and momentum. */
    private final double[] phaseEnd;
    private final String[][] phaseKeys;

    /** Settings of a {@link OneCycleLR}, with PyTorch's defaults. */
    public static final class Builder {
        private final Optimizer optimizer;
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

        private Builder(Optimizer optimizer, double[] maxLr, int totalSteps) {
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
         * The scheduler; sets each group's {@code initial_lr}, {@code max_lr}, {@code min_lr} (and momentum
         * options) and the epoch-0 learning rate.
         *
         * @throws IllegalArgumentException if a setting is out of range or the optimizer has no momentum to cycle
         */
        public OneCycleLR build() {
            return new OneCycleLR(this);
        }
    }

    /** A builder with one peak learning rate for every group. */
    public static Builder builder(Optimizer optimizer, double maxLr, int totalSteps) {
        Objects.requireNonNull(optimizer, "OneCycleLR: optimizer");
        double[] m = new double[optimizer.paramGroups().size()];
        java.util.Arrays.fill(m, maxLr);
        return new Builder(optimizer, m, totalSteps);
    }

    /** A builder with a peak learning rate per group. */
    public static Builder builder(Optimizer optimizer, double[] maxLrs, int totalSteps) {
        Objects.requireNonNull(optimizer, "OneCycleLR: optimizer");
        if (maxLrs.length != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("OneCycleLR: expected " + optimizer.paramGroups().size() + " maxLr values, got "
                    + maxLrs.length);
        }
        return new Builder(optimizer, maxLrs.clone(), totalSteps);
    }

    private OneCycleLR(Builder b) {
        super(b.optimizer);
        if (b.totalSteps <= 0) {
            throw new IllegalArgumentException("OneCycleLR: totalSteps must be > 0, got " + b.totalSteps);
        }
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: pctStart must be in [0, 1], got " + b.pctStart);
        }
        this.totalSteps = b.totalSteps;
        this.anneal = b.anneal;
        this.cycleMomentum = b.cycleMomentum;
        if (b.threePhase) {
            phaseEnd = new double[] {b.pctStart * totalSteps - 1, 2 * b.pctStart * totalSteps - 2, totalSteps - 1};
            phaseKeys = new String[][] {
                {"initial_lr", "max_lr", "max_momentum", "base_momentum"},
                {"max_lr", "initial_lr", "base_momentum", "max_momentum"},
                {"initial_lr", "min_lr", "max_momentum", "max_momentum"}};
        } else {
            phaseEnd = new double[] {b.pctStart * totalSteps - 1, totalSteps - 1};
            phaseKeys = new String[][] {
                {"initial_lr", "max_lr", "max_momentum", "base_momentum"},
                {"max_lr", "min_lr", "base_momentum", "max_momentum"}};
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double initial = b.maxLr[i] / b.divFactor;
            g.set("initial_lr", initial).set("max_lr", b.maxLr[i]).set("min_lr", initial / b.finalDivFactor);
            baseLrs[i] = initial;
        }
        boolean beta1 = false;
        if (cycleMomentum) {
            Optimizer o = optimizer;
            if (!o.defaults().containsKey("momentum") && !o.defaults().containsKey("beta1")) {
                throw new IllegalArgumentException("OneCycleLR: the " + o.name()
                        + " optimizer has no momentum or beta1 to cycle; use cycleMomentum(false)");
            }
            beta1 = o.defaults().containsKey("beta1");
            for (ParamGroup g : groups) {
                g.set(beta1 ? "beta1" : "momentum", b.maxMomentum);
                g.set("max_momentum", b.maxMomentum).set("base_momentum", b.baseMomentum);
            }
        }
        this.useBeta1 = beta1;
        initialStep();
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
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            double start = 0;
            for (int i = 0; i < phaseEnd.length; i++) {
                double end = phaseEnd[i];
                if (stepNum <= end || i == phaseEnd.length - 1) {
                    double pct = (stepNum - start) / (end - start);
                    String[] k = phaseKeys[i];
                    lrs[gi] = interpolate(g.get(k[0]), g.get(k[1]), pct);
                    if (cycleMomentum) {
                        g.set(useBeta1 ? "beta1" : "momentum", interpolate(g.get(k[2]), g.get(k[3]), pct));
                    }
                    break;
                }
                start = phaseEnd[i];
            }
        }
        return lrs;
    }
}
