package dev.kasane.optim;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Base of the optimizers: parameter groups with their own options, per-parameter state, {@link #step()},
 * {@link #zeroGrad()}, and a {@link #stateDict()} that resumes training exactly.
 *
 * <p>Each optimizer follows PyTorch's update rule for the same options ({@code torch.optim}, 1.13 to 2.x, the
 * single-tensor path). A step updates each parameter that has a gradient in place, on its own {@link NDArray}, with
 * grad mode off; parameters without a gradient are skipped, and their state is created at their first update.
 *
 * <p>Subclasses implement {@link #update(Tensor, NDArray, ParamState, ParamGroup)} and
 * {@link #validate(ParamGroup)}.
 */
public abstract class Optimizer {
    private final String name;
    private final Map<String, Double> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final IdentityHashMap<Tensor, ParamState> state = new IdentityHashMap<>();

    /**
     * @param name the optimizer's name for messages and state dicts ("SGD")
     * @param groups the parameter groups
     * @param defaults the options that groups do not set
     * @throws IllegalArgumentException if there are no parameters, one appears twice, is not a floating-point leaf, or
     *     an option is out of range
     */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        Objects.requireNonNull(groups, name + ": groups");
        int n = 0;
        for (ParamGroup g : groups) {
            n += g.params().size();
        }
        if (n == 0) {
            throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /** A single group holding {@code params}. */
    protected static List<ParamGroup> single(Iterable<Tensor> params) {
        return List.of(new ParamGroup(Objects.requireNonNull(params, "params")));
    }

    /** The optimizer's name ("Adam"). */
    public String name() {
        return name;
    }

    /** The default options (unmodifiable). */
    public Map<String, Double> defaults() {
        return defaults;
    }

    /** The parameter groups, in order (unmodifiable; their options can be changed). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * Adds a group (e.g. layers unfrozen while fine-tuning); options it does not set come from the defaults.
     *
     * @throws IllegalArgumentException if a parameter is already optimized, is not a floating-point leaf tensor, or an
     *     option is out of range
     */
    public void addParamGroup(ParamGroup group) {
        Objects.requireNonNull(group, name + ".addParamGroup: group");
        for (Map.Entry<String, Double> d : defaults.entrySet()) {
            if (!group.has(d.getKey())) {
                group.set(d.getKey(), d.getValue());
            }
        }
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                seen.put(p, Boolean.TRUE);
            }
        }
        for (int i = 0; i < group.params().size(); i++) {
            Tensor p = group.params().get(i);
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " " + p.data().describe()
                        + " appears in more than one parameter group (or twice in one)");
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (parameter " + i + " "
                        + p.data().describe() + " was computed by " + p.gradFn().name() + ")");
            }
            if (!p.dtype().isFloating()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " must be F32 or F64, got " + p.data().describe());
            }
        }
        validate(group);
        groups.add(group);
    }

    /**
     * Checks a group's options (defaults already filled in).
     *
     * @throws IllegalArgumentException naming the option and its value if one is out of range
     */
    protected abstract void validate(ParamGroup group);

    /**
     * Updates {@code param} in place from its gradient (grad mode is off).
     *
     * @param param the parameter; write to {@code param.data()}
     * @param grad the gradient, shaped like the parameter
     * @param state this parameter's state (new and empty at its first update)
     * @param group the parameter's group, for its options
     */
    protected abstract void update(Tensor param, NDArray grad, ParamState state, ParamGroup group);

    /** Creates state that PyTorch creates in the constructor (Adagrad's sums); by default none. */
    protected void initState(Tensor param, ParamState state, ParamGroup group) {
    }

    /** Calls {@link #initState} for every parameter that has no state yet. */
    protected final void initAllState() {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                if (!state.containsKey(p)) {
                    initState(p, stateOf(p), g);
                }
            }
        }
    }

    private ParamState stateOf(Tensor p) {
        return state.computeIfAbsent(p, k -> new ParamState());
    }

    /** The state of {@code param}, or null if it has none yet. */
    public ParamState state(Tensor param) {
        return state.get(param);
    }

    /** Performs one optimization step on every parameter that has a gradient. */
    @SuppressWarnings("try")
    public void step() {
        try (GradGuard g = Autograd.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) {
                        continue;
                    }
                    NDArray gd = grad.data();
                    if (!Arrays.equals(gd.shape(), p.data().shape())) {
                        throw new IllegalArgumentException(name + ".step: gradient " + gd.describe()
                                + " does not match parameter " + p.data().describe());
                    }
                    if (gd.dtype() != p.dtype()) {
                        gd = gd.toType(p.dtype());
                    }
                    update(p, gd, stateOf(p), group);
                }
            }
        }
    }

    /**
     * Evaluates {@code closure} with grad mode on (it should zero the gradients, compute the loss and call
     * {@code backward}), then performs a step; returns the closure's loss.
     */
    @SuppressWarnings("try")
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (GradGuard g = Autograd.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** Clears every parameter's gradient (sets it to null, PyTorch's default). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Clears every parameter's gradient.
     *
     * @param setToNull true to drop the gradients, false to fill them with zeros in place (keeps the memory: the
     *     next backward accumulates into it without allocating)
     */
    public void zeroGrad(boolean setToNull) {
        for (ParamGroup group : groups) {
            for (Tensor p : group.params()) {
                Tensor g = p.grad();
                if (g == null) {
                    continue;
                }
                if (setToNull || g.requiresGrad()) {
                    p.setGrad(setToNull ? null : Tensor.of(g.data().zerosLike()));
                } else {
                    g.data().fillInPlace(0);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- state dict

    /**
     * A snapshot of the state (copies of the buffers) and of the groups' options; see {@link OptimizerStateDict} for
     * the keys. Save it with {@link OptimizerStateDict#save}.
     */
    public OptimizerStateDict stateDict() {
        LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
        LinkedHashMap<String, String> params = new LinkedHashMap<>();
        params.put("optimizer", name);
        params.put("param_groups", Integer.toString(groups.size()));
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            StringBuilder ids = new StringBuilder();
            for (Tensor p : g.params()) {
                ids.append(ids.length() == 0 ? "" : ",").append(index);
                ParamState s = state.get(p);
                if (s != null) {
                    tensors.put("state." + index + ".step", NDArray.scalar(s.step(), p.device()));
                    for (Map.Entry<String, NDArray> b : s.buffers().entrySet()) {
                        tensors.put("state." + index + "." + b.getKey(), b.getValue().copy());
                    }
                }
                index++;
            }
            params.put("param_groups." + gi + ".params", ids.toString());
            for (Map.Entry<String, Double> o : g.options().entrySet()) {
                params.put("param_groups." + gi + "." + o.getKey(), Double.toString(o.getValue()));
            }
        }
        return new OptimizerStateDict(tensors, params);
    }

    /**
     * Restores a {@link #stateDict()} taken from an optimizer of the same kind over parameters of the same shapes, in
     * the same groups: group options and per-parameter state (converted to each parameter's dtype and device). Nothing
     * is changed if the state dict does not fit.
     *
     * @throws IllegalArgumentException if the optimizer name, the number or sizes of the groups, a key, a value or a
     *     state shape does not match
     */
    public void loadStateDict(OptimizerStateDict sd) {
        Objects.requireNonNull(sd, name + ".loadStateDict: state dict");
        String op = name + ".loadStateDict";
        Map<String, String> params = sd.params();
        String other = params.get("optimizer");
        if (other != null && !other.equals(name)) {
            throw new IllegalArgumentException(op + ": the state dict is from a " + other + " optimizer");
        }
        String count = params.get("param_groups");
        if (count == null || !count.equals(Integer.toString(groups.size()))) {
            throw new IllegalArgumentException(op + ": the state dict has " + count + " parameter groups, this optimizer "
                    + groups.size());
        }
        List<Tensor> all = new ArrayList<>();
        List<LinkedHashMap<String, Double>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            String prefix = "param_groups." + gi + ".";
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < g.params().size(); i++) {
                expected.append(i == 0 ? "" : ",").append(all.size() + i);
            }
            String ids = params.get(prefix + "params");
            if (!expected.toString().equals(ids)) {
                throw new IllegalArgumentException(op + ": parameter group " + gi + " holds parameters [" + ids
                        + "] in the state dict, but [" + expected + "] here (group sizes differ)");
            }
            all.addAll(g.params());
            LinkedHashMap<String, Double> opts = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (e.getKey().startsWith(prefix) && !e.getKey().equals(prefix + "params")) {
                    String key = e.getKey().substring(prefix.length());
                    try {
                        opts.put(key, Double.parseDouble(e.getValue()));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException(op + ": option " + e.getKey() + " = '" + e.getValue()
                                + "' is not a number", ex);
                    }
                }
            }
            ParamGroup probe = new ParamGroup(List.of(), opts);
            for (Map.Entry<String, Double> d : defaults.entrySet()) {
                if (!probe.has(d.getKey())) {
                    throw new IllegalArgumentException(op + ": parameter group " + gi + " lacks option '" + d.getKey() + "'");
                }
            }
            validate(probe);
            newOptions.add(opts);
        }
        IdentityHashMap<Tensor, ParamState> newState = new IdentityHashMap<>();
        for (Map.Entry<String, NDArray> e : sd.tensors().entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            int idx;
            try {
                idx = parts.length == 3 && parts[0].equals("state") ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException ex) {
                idx = -1;
            }
            if (idx < 0 || idx >= all.size()) {
                throw new IllegalArgumentException(op + ": unexpected key '" + key + "' (expected state.<0.." + (all.size() - 1)
                        + ">.<name>)");
            }
            Tensor p = all.get(idx);
            ParamState s = newState.computeIfAbsent(p, k -> new ParamState());
            NDArray v = e.getValue();
            if (parts[2].equals("step")) {
                if (v.numel() != 1 || v.dtype().isFloating() && v.item() != Math.rint(v.item())) {
                    throw new IllegalArgumentException(op + ": " + key + " must be one integer, got " + v.describe());
                }
                s.setStep(v.itemLong());
            } else {
                if (!Arrays.equals(v.shape(), p.data().shape())) {
                    throw new IllegalArgumentException(op + ": " + key + " is " + v.describe() + ", but parameter " + idx
                            + " is " + p.data().describe());
                }
                s.put(parts[2], v.toType(p.dtype()).to(p.device()).copy());
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            for (Map.Entry<String, Double> o : newOptions.get(gi).entrySet()) {
                groups.get(gi).set(o.getKey(), o.getValue());
            }
        }
        state.clear();
        state.putAll(newState);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Checks {@code lo <= value} for option {@code key}. */
    protected final void requireAtLeast(ParamGroup g, String key, double lo) {
        double v = g.get(key);
        if (!(v >= lo)) {
            throw new IllegalArgumentException(name + ": invalid " + key + " " + v + " (must be >= " + lo + ")");
        }
    }

    /** Checks {@code lo <= value < hi} (or {@code <= hi} when {@code closed}) for option {@code key}. */
    protected final void requireRange(ParamGroup g, String key, double lo, double hi, boolean closed) {
        double v = g.get(key);
        if (!(v >= lo && (closed ? v <= hi : v < hi))) {
            throw new IllegalArgumentException(name + ": invalid " + key + " " + v + " (must be in [" + lo + ", " + hi
                    + (closed ? "]" : ")") + ")");
        }
    }

    /** {@code dst += alpha * src}, in one pass (PyTorch's add_ with alpha). */
    static void addScaled(NDArray dst, NDArray src, double alpha) {
        dst.addInPlace(src, alpha);
    }

    /** {@code dst += value * a * b} (PyTorch's addcmul_), in one pass. */
    static void addcmul(NDArray dst, NDArray a, NDArray b, double value) {
        dst.addcmulInPlace(a, b, value);
    }

    /** {@code dst += value * a / b} (PyTorch's addcdiv_), in one pass. */
    static void addcdiv(NDArray dst, NDArray a, NDArray b, double value) {
        dst.addcdivInPlace(a, b, value);
    }

    /** The gradient, negated if the group maximizes. */
    static NDArray directed(NDArray grad, ParamGroup g) {
        return g.has("maximize") && g.flag("maximize") ? grad.neg() : grad;
    }

    /** The options, for messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append("group ").append(i).append(": ").append(groups.get(i).options());
        }
        return sb.append(")").toString();
    }
}
