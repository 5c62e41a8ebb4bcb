package dev.kasane.optim;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Base of the optimizers: parameter groups with their own typed options, per-parameter state, {@link #step()},
 * {@link #zeroGrad()}, and a {@link #stateDict()} that resumes training exactly.
 *
 * <p>Each optimizer follows PyTorch's update rule for the same options ({@code torch.optim}, 1.13 to 2.x, the
 * single-tensor path). A step updates each parameter that has a gradient in place, with grad mode off; parameters
 * without a gradient are skipped, and their state is created at their first update.
 *
 * <p>Subclasses give their options' {@link OptionSchema} and implement
 * {@link #update(NDArray, NDArray, ParamState, OptimizerOptions)}; one whose options have rules across options
 * (SGD's Nesterov momentum) extends {@link #validate(OptimizerOptions)}.
 *
 * @param <O> the optimizer's options type
 */
public abstract class Optimizer<O extends OptimizerOptions<O>> {
    private final String name;
    private final OptionSchema<O> schema;
    private final O defaults;
    private final List<ParamGroup<O>> groups = new ArrayList<>();
    private final IdentityHashMap<Tensor, ParamState> state = new IdentityHashMap<>();

    /**
     * @param name the optimizer's name for messages and state dicts ("SGD")
     * @param schema its options' keys and ranges
     * @param groups the parameter groups
     * @param defaults the options that groups start from
     * @throws IllegalArgumentException if there are no parameters, one appears twice, is not a floating-point leaf, or
     *     an option is out of range
     */
    protected Optimizer(String name, OptionSchema<O> schema, List<ParamGroup<O>> groups, O defaults) {
        this.name = Objects.requireNonNull(name, "name");
        this.schema = Objects.requireNonNull(schema, name + ": schema");
        this.defaults = Objects.requireNonNull(defaults, name + ": defaults");
        validate(defaults);
        Objects.requireNonNull(groups, name + ": groups");
        int n = 0;
        for (ParamGroup<O> g : groups) {
            n += g.params().size();
        }
        if (n == 0) {
            throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        }
        for (ParamGroup<O> g : groups) {
            addParamGroup(g);
        }
    }

    /** A single group holding {@code params}. */
    protected static <O extends OptimizerOptions<O>> List<ParamGroup<O>> single(Iterable<Tensor> params) {
        return List.of(new ParamGroup<>(Objects.requireNonNull(params, "params")));
    }

    /** The optimizer's name ("Adam"). */
    public String name() {
        return name;
    }

    /** The default options, which each group's overrides start from. */
    public O defaults() {
        return defaults;
    }

    /** The parameter groups, in order (unmodifiable; their options can be changed). */
    public List<ParamGroup<O>> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * Adds a group (e.g. layers unfrozen while fine-tuning); its options are the defaults changed by its overrides.
     *
     * @throws IllegalArgumentException if a parameter is already optimized, is not a floating-point leaf tensor, the
     *     group already belongs to an optimizer, or an option is out of range
     */
    public void addParamGroup(ParamGroup<O> group) {
        Objects.requireNonNull(group, name + ".addParamGroup: group");
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (ParamGroup<O> g : groups) {
            for (Tensor p : g.params()) {
                seen.put(p, Boolean.TRUE);
            }
        }
        for (int i = 0; i < group.params().size(); i++) {
            Tensor p = group.params().get(i);
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " " + Function.array(p).describe()
                        + " appears in more than one parameter group (or twice in one)");
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (parameter " + i + " "
                        + Function.array(p).describe() + " was computed by " + p.gradFn().name() + ")");
            }
            if (!p.dtype().isFloating()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " must be F32 or F64, got " + Function.array(p).describe());
            }
        }
        group.adopt(this, defaults);
        groups.add(group);
    }

    /**
     * Checks options: each option's range (from the schema); subclasses add rules that span several options.
     *
     * @throws IllegalArgumentException naming the optimizer, the option and its value if one is out of range
     */
    protected void validate(O options) {
        schema.validate(name, options);
    }

    /**
     * Updates {@code param} in place (grad mode is off). The prologue that PyTorch's rules share is done: the state's
     * step count already includes this step, and {@code grad} is the gradient the rules start from (negated if the
     * options maximize, plus {@code weight_decay * param} unless {@link #decoupledWeightDecay()}).
     *
     * @param param the parameter's array; write to it in place
     * @param grad the effective gradient, shaped like the parameter and of its dtype
     * @param state this parameter's state (empty at its first update but for the step count)
     * @param options the options of the parameter's group
     */
    protected abstract void update(NDArray param, NDArray grad, ParamState state, O options);

    /**
     * Whether {@link #update} applies the weight decay to the parameter itself (AdamW's decoupled decay), so that it
     * is not added to the gradient; false by default.
     */
    protected boolean decoupledWeightDecay() {
        return false;
    }

    /** Creates state that PyTorch creates in the constructor (Adagrad's sums); by default none. */
    protected void initState(NDArray param, ParamState state, O options) {
    }

    /** Calls {@link #initState} for every parameter that has no state yet. */
    protected final void initAllState() {
        for (ParamGroup<O> g : groups) {
            for (Tensor p : g.params()) {
                if (!state.containsKey(p)) {
                    initState(Function.array(p), stateOf(p), g.options());
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
            for (ParamGroup<O> group : groups) {
                for (Tensor p : group.params()) {
                    Tensor grad = Function.grad(p);
                    if (grad == null) {
                        continue;
                    }
                    if (!Arrays.equals(Function.array(grad).shape(), Function.array(p).shape())) {
                        throw new IllegalArgumentException(name + ".step: gradient " + Function.array(grad).describe()
                                + " does not match parameter " + Function.array(p).describe());
                    }
                    if (grad.dtype() != p.dtype()) {
                        grad = Function.tensor(Function.array(grad).toType(p.dtype()));
                    }
                    ParamState s = stateOf(p);
                    s.setStep(s.step() + 1);
                    NDArray data = Function.array(p);
                    update(data, effectiveGrad(data, Function.array(grad), group.options()), s, group.options());
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
        for (ParamGroup<O> group : groups) {
            for (Tensor p : group.params()) {
                Tensor g = Function.grad(p);
                if (g == null) {
                    continue;
                }
                if (setToNull || g.requiresGrad()) {
                    p.setGrad(setToNull ? null : Function.tensor(Function.array(g).zerosLike()));
                } else {
                    Function.array(g).fillInPlace(0);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- state dict

    /**
     * A snapshot of the state (copies of the buffers) and of the groups' options under PyTorch's keys; see
     * {@link OptimizerStateDict} for the layout. Save it with {@link OptimizerStateDict#save}.
     */
    public OptimizerStateDict stateDict() {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        LinkedHashMap<String, String> params = new LinkedHashMap<>();
        params.put("optimizer", name);
        params.put("param_groups", Integer.toString(groups.size()));
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup<O> g = groups.get(gi);
            StringBuilder ids = new StringBuilder();
            for (Tensor p : g.params()) {
                ids.append(ids.length() == 0 ? "" : ",").append(index);
                ParamState s = state.get(p);
                if (s != null) {
                    tensors.put("state." + index + ".step", Function.tensor(NDArray.scalar(s.step(), p.device())));
                    for (Map.Entry<String, Tensor> b : s.buffers().entrySet()) {
                        tensors.put("state." + index + "." + b.getKey(), Function.tensor(Function.array(b.getValue()).copy()));
                    }
                }
                index++;
            }
            String prefix = "param_groups." + gi + ".";
            params.put(prefix + "params", ids.toString());
            schema.toPyTorch(g.options()).forEach((k, v) -> params.put(prefix + k, v));
            g.initialLr().ifPresent(lr -> params.put(prefix + LRScheduler.INITIAL_LR, Double.toString(lr)));
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
        List<O> newOptions = new ArrayList<>();
        double[] newInitialLr = new double[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup<O> g = groups.get(gi);
            Map<String, String> values = groupValues(op, gi, all.size(), g.params().size(), params);
            all.addAll(g.params());
            O options = schema.fromPyTorch(op, defaults, values);
            validate(options);
            newOptions.add(options);
            String initial = values.get(LRScheduler.INITIAL_LR);
            newInitialLr[gi] = initial == null ? Double.NaN : parseNumber(op, gi, LRScheduler.INITIAL_LR, initial);
        }
        IdentityHashMap<Tensor, ParamState> newState = loadState(op, sd.tensors(), all);
        for (int gi = 0; gi < groups.size(); gi++) {
            groups.get(gi).options(newOptions.get(gi));
            if (!Double.isNaN(newInitialLr[gi])) {
                groups.get(gi).initialLr(newInitialLr[gi]);
            }
        }
        state.clear();
        state.putAll(newState);
    }

    /** Group {@code gi}'s option values by key, checked: its parameter numbers, every option present, no unknown key. */
    private Map<String, String> groupValues(String op, int gi, int first, int size, Map<String, String> params) {
        String prefix = "param_groups." + gi + ".";
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < size; i++) {
            expected.append(i == 0 ? "" : ",").append(first + i);
        }
        String ids = params.get(prefix + "params");
        if (!expected.toString().equals(ids)) {
            throw new IllegalArgumentException(op + ": parameter group " + gi + " holds parameters [" + ids
                    + "] in the state dict, but [" + expected + "] here (group sizes differ)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().startsWith(prefix) && !e.getKey().equals(prefix + "params")) {
                values.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        Set<String> keys = schema.keys();
        for (String key : keys) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(op + ": parameter group " + gi + " lacks option '" + key + "'");
            }
        }
        for (String key : values.keySet()) {
            if (!keys.contains(key) && !LRScheduler.GROUP_KEYS.contains(key)) {
                throw new IllegalArgumentException(op + ": parameter group " + gi + " has option '" + key + "', which "
                        + name + " does not have (its options: " + keys + ")");
            }
        }
        return values;
    }

    private static double parseNumber(String op, int gi, String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(op + ": parameter group " + gi + " option " + key + " = '" + value
                    + "' is not a number", ex);
        }
    }

    /** The per-parameter state of {@code state.<i>.<name>} keys, checked against the parameters {@code all}. */
    private static IdentityHashMap<Tensor, ParamState> loadState(String op, Map<String, Tensor> tensors, List<Tensor> all) {
        IdentityHashMap<Tensor, ParamState> newState = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
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
            NDArray v = Function.array(e.getValue());
            if (parts[2].equals("step")) {
                if (v.numel() != 1 || v.dtype().isFloating() && v.item() != Math.rint(v.item())) {
                    throw new IllegalArgumentException(op + ": " + key + " must be one integer, got " + v.describe());
                }
                s.setStep(v.itemLong());
            } else {
                if (!Arrays.equals(v.shape(), Function.array(p).shape())) {
                    throw new IllegalArgumentException(op + ": " + key + " is " + v.describe() + ", but parameter " + idx
                            + " is " + Function.array(p).describe());
                }
                s.putArray(parts[2], v.toType(p.dtype()).to(p.device()).copy());
            }
        }
        return newState;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * The gradient PyTorch's update rules start from: negated if the options maximize, plus {@code weight_decay * p}
     * (the L2 penalty) unless {@link #decoupledWeightDecay()} (AdamW decays the parameter itself).
     */
    private NDArray effectiveGrad(NDArray p, NDArray grad, O o) {
        NDArray g = o.maximize() ? grad.unary(UnaryOp.NEG) : grad;
        double wd = o.weightDecay();
        return wd != 0 && !decoupledWeightDecay() ? g.binary(BinaryOp.ADD, p.binary(BinaryOp.MUL, wd)) : g;
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
