package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Magnitude and random pruning with the semantics of PyTorch's {@code torch.nn.utils.prune}: pruning parameter
 * {@code weight} of a module moves it to the parameter {@code weight_orig}, registers the buffer {@code weight_mask}
 * (1 keeps an entry, 0 prunes it) and makes {@code weight} the product {@code weight_orig * weight_mask}, computed
 * on each access; {@link #remove} makes the pruning permanent. Pruning a parameter again combines the masks as
 * PyTorch's {@code PruningContainer} does: the new amount is a fraction of the entries (unstructured) or channels
 * (structured) still unpruned.
 *
 * <pre>{@code
 * Linear fc = new Linear(100, 10);
 * Prune.l1Unstructured(fc, "weight", 0.3);    // 300 smallest |w| masked; fc.weight() = weight_orig * weight_mask
 * Prune.remove(fc, "weight");                 // weight is a plain parameter again, with zeros in it
 * }</pre>
 *
 * <p>Ties in magnitude are broken by index (the lower index is pruned first); PyTorch's {@code topk} leaves their
 * order unspecified.
 */
public final class Prune {
    private static final String NAME = "Prune";

    private Prune() {
    }

    /** A parameter of a module, for {@link #globalUnstructured}. */
    public record Target(Module module, String name) {
        /** Checks neither is null. */
        public Target {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Prunes the fraction {@code amount} of the unpruned entries of {@code module.name} with the smallest absolute
     * value ({@code prune.l1_unstructured}); {@code round(amount * n)} entries, rounding half to even.
     *
     * @throws IllegalArgumentException if the module has no such parameter or amount is outside [0, 1]
     */
    public static void l1Unstructured(Module module, String name, double amount) {
        checkAmount("l1Unstructured", amount);
        Tensor importance = current(module, name, "l1Unstructured");
        float[] mask = maskOf(module, name, importance);
        float[] w = importance.toFloatArray();
        pruneSmallest(w, mask, amount, Math::abs);
        apply(module, name, mask);
    }

    /**
     * Prunes the fraction {@code amount} of the unpruned entries of {@code module.name} chosen at random
     * ({@code prune.random_unstructured}; the draw is Kasane's, not PyTorch's).
     */
    public static void randomUnstructured(Module module, String name, double amount, Generator generator) {
        checkAmount("randomUnstructured", amount);
        Objects.requireNonNull(generator, "randomUnstructured: generator");
        Tensor importance = current(module, name, "randomUnstructured");
        float[] mask = maskOf(module, name, importance);
        float[] score = Tensor.uniform(generator, 0, 1, dev.kasane.tensor.DType.F32, Device.CPU, importance.numel())
                .toFloatArray();
        pruneSmallest(score, mask, amount, v -> v);
        apply(module, name, mask);
    }

    /**
     * Prunes the fraction {@code amount} of the unpruned channels along {@code dim} of {@code module.name} with the
     * smallest L{@code n} norm (the norm over all other dims; {@code prune.ln_structured}). {@code n} may be
     * {@link Double#POSITIVE_INFINITY}.
     *
     * @throws IllegalArgumentException if the module has no such parameter, amount is outside [0, 1], n is not
     *     positive or dim is out of range
     */
    public static void lnStructured(Module module, String name, double amount, double n, int dim) {
        String op = "lnStructured";
        checkAmount(op, amount);
        if (!(n > 0)) {
            throw new IllegalArgumentException(op + ": the norm order n must be positive, got " + n);
        }
        Tensor importance = current(module, name, op);
        int[] shape = importance.shape();
        if (dim < -shape.length || dim >= shape.length) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for " + module.label() + "."
                    + name + " of shape " + Arrays.toString(shape));
        }
        int d = dim < 0 ? dim + shape.length : dim;
        float[] mask = maskOf(module, name, importance);
        float[] w = importance.toFloatArray();
        int channels = shape[d];
        int inner = 1;
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        double[] norm = new double[channels];
        boolean[] alive = new boolean[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            double a = Math.abs((double) w[i]);
            norm[c] = Double.isInfinite(n) ? Math.max(norm[c], a) : norm[c] + Math.pow(a, n);
            alive[c] |= mask[i] != 0;
        }
        Integer[] kept = IntStream.range(0, channels).filter(c -> alive[c]).boxed().toArray(Integer[]::new);
        int prune = (int) Math.rint(amount * kept.length);
        Arrays.sort(kept, Comparator.comparingDouble((Integer c) -> norm[c]));
        boolean[] drop = new boolean[channels];
        for (int i = 0; i < prune; i++) {
            drop[kept[i]] = true;
        }
        for (int i = 0; i < w.length; i++) {
            if (drop[(i / inner) % channels]) {
                mask[i] = 0;
            }
        }
        apply(module, name, mask);
    }

    /**
     * Prunes the fraction {@code amount} of all unpruned entries of the given parameters together, those with the
     * smallest absolute value ({@code prune.global_unstructured} with {@code L1Unstructured}).
     *
     * @throws IllegalArgumentException if a target does not exist or amount is outside [0, 1]
     */
    public static void globalUnstructured(List<Target> targets, double amount) {
        String op = "globalUnstructured";
        checkAmount(op, amount);
        List<float[]> weights = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        int total = 0;
        for (Target t : targets) {
            Tensor importance = current(t.module(), t.name(), op);
            weights.add(importance.toFloatArray());
            masks.add(maskOf(t.module(), t.name(), importance));
            total += importance.numel();
        }
        float[] w = new float[total];
        float[] mask = new float[total];
        int at = 0;
        for (int i = 0; i < weights.size(); i++) {
            System.arraycopy(weights.get(i), 0, w, at, weights.get(i).length);
            System.arraycopy(masks.get(i), 0, mask, at, masks.get(i).length);
            at += weights.get(i).length;
        }
        pruneSmallest(w, mask, amount, Math::abs);
        at = 0;
        for (int i = 0; i < targets.size(); i++) {
            int len = weights.get(i).length;
            apply(targets.get(i).module(), targets.get(i).name(), Arrays.copyOfRange(mask, at, at + len));
            at += len;
        }
    }

    /**
     * Makes the pruning of {@code module.name} permanent ({@code prune.remove}): {@code name} becomes a plain
     * parameter again holding {@code name_orig * name_mask} (the tensor {@code name_orig} was, so optimizers keep
     * it), registered after the module's other parameters; {@code name_orig} and {@code name_mask} are removed.
     *
     * @throws IllegalArgumentException if {@code module.name} is not pruned
     */
    public static void remove(Module module, String name) {
        if (!isPruned(module, name)) {
            throw new IllegalArgumentException("Prune.remove: parameter '" + name + "' of " + module.label()
                    + " is not pruned");
        }
        Tensor orig = module.removeParameter(name + "_orig");
        Tensor mask = module.removeBuffer(name + "_mask");
        try (var g = Autograd.noGrad()) {
            orig.copyFrom(orig.mul(mask));
        }
        module.restoreParameter(name, orig);
    }

    /** Whether {@code module.name} is pruned (has {@code name_orig} and {@code name_mask}). */
    public static boolean isPruned(Module module, String name) {
        return NAME.equals(module.reparametrization(name));
    }

    /** The fraction of zeros in {@code module.name} (pruned or not). */
    public static double sparsity(Module module, String name) {
        float[] w = current(module, name, "sparsity").toFloatArray();
        long zeros = IntStream.range(0, w.length).filter(i -> w[i] == 0).count();
        return w.length == 0 ? 0 : (double) zeros / w.length;
    }

    /**
     * Really removes the dead output channels (all weights zero, e.g. after {@link #lnStructured} along dim 0) of
     * every {@code Conv2d} in {@code model}, a container: the convolution gets fewer output channels, and what its
     * channels feed shrinks with it: a following {@code BatchNorm2d}, then the next {@code Conv2d}'s input channels,
     * or, after a {@code Flatten}, the next {@code Linear}'s input features. Only channel-wise modules (ReLU,
     * pooling, dropout, Identity) may sit between them. A dead channel still carries its bias (and the batch
     * norm's shift), a constant that the shrunk model drops, so fine-tune after shrinking. Pruned layers involved
     * become plain layers holding their pruned weights. Returns the number of channels removed.
     *
     * @throws IllegalArgumentException if a dead channel feeds a module that mixes channels in another way
     */
    public static int shrinkChannels(ModuleList model) {
        return ChannelShrink.shrink(model);
    }

    /**
     * Whether {@link #shrinkChannels} can remove output channels of the {@code Conv2d} at {@code index} of
     * {@code model}: they reach the next {@code Conv2d}, or a {@code Linear} after a {@code Flatten}, through batch
     * norms and channel-wise modules only.
     */
    public static boolean canShrink(ModuleList model, int index) {
        return model.get(index) instanceof Conv2d conv && conv.groups() == 1 && ChannelShrink.consumer(model, index) >= 0;
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Zeroes in {@code mask} the round(amount * remaining) unmasked entries with the smallest {@code key(v)}. */
    private static void pruneSmallest(float[] v, float[] mask, double amount, java.util.function.DoubleUnaryOperator key) {
        Integer[] remaining = IntStream.range(0, v.length).filter(i -> mask[i] != 0).boxed().toArray(Integer[]::new);
        int prune = (int) Math.rint(amount * remaining.length);
        Arrays.sort(remaining, Comparator.comparingDouble((Integer i) -> key.applyAsDouble(v[i])));
        for (int i = 0; i < prune; i++) {
            mask[remaining[i]] = 0;
        }
    }

    /** The parameter's current value ({@code orig * mask} when pruned). */
    private static Tensor current(Module module, String name, String op) {
        Objects.requireNonNull(module, op + ": module");
        Objects.requireNonNull(name, op + ": name");
        Tensor p = module.paramOrNull(name);
        if (p == null) {
            throw new IllegalArgumentException(op + ": " + module.label() + " has no parameter '" + name + "' (parameters: "
                    + module.namedParameters().keySet() + ")");
        }
        return p.detach();
    }

    /**
     * The existing mask as floats, or all ones.
     *
     * @throws IllegalArgumentException if another reparametrization computes the parameter (spectral or weight norm)
     */
    private static float[] maskOf(Module module, String name, Tensor importance) {
        if (isPruned(module, name)) {
            return module.buffer(name + "_mask").toFloatArray();
        }
        String other = module.reparametrization(name);
        if (other != null) {
            throw new IllegalArgumentException(NAME + ": parameter '" + name + "' of " + module.label()
                    + " is already reparametrized by " + other + " (PyTorch also refuses two reparametrizations of one parameter)");
        }
        float[] ones = new float[importance.numel()];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** Installs {@code mask}: reparametrises on first pruning, otherwise replaces the mask's values. */
    private static void apply(Module module, String name, float[] mask) {
        if (isPruned(module, name)) {
            Tensor old = module.buffer(name + "_mask");
            try (var g = Autograd.noGrad()) {
                old.copyFrom(Tensor.of(mask, old.shape()).to(old.device()).toType(old.dtype()));
            }
            return;
        }
        Tensor orig = module.computeParameter(name, NAME,
                () -> module.param(name + "_orig").mul(module.buffer(name + "_mask")));
        module.registerParameter(name + "_orig", orig);
        module.registerBuffer(name + "_mask", Tensor.of(mask, orig.shape()).to(orig.device()).toType(orig.dtype()));
    }

    private static void checkAmount(String op, double amount) {
        if (!(amount >= 0 && amount <= 1)) {
            throw new IllegalArgumentException(op + ": amount must be a fraction in [0, 1], got " + amount);
        }
    }
}
