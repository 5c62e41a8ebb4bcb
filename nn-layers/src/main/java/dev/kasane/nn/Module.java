package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The base of every layer and model, as PyTorch's {@code nn.Module}: it holds parameters, buffers and child
 * modules, all registered explicitly (no reflection) under names that make up PyTorch's dotted state-dict keys.
 *
 * <pre>{@code
 * final class Mlp extends Module {
 *     private final Linear fc1 = registerModule("fc1", new Linear(784, 128));
 *     private final Linear fc2 = registerModule("fc2", new Linear(128, 10));
 *
 *     @Override
 *     public Tensor forward(Tensor x) {
 *         return fc2.forward(F.relu(fc1.forward(x)));
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters are leaf tensors that require grad; buffers (such as batch norm's running statistics) are tensors
 * that do not. {@link #to(Device)} and {@link #to(DType)} rebind both in place ({@link Tensor#setData}), so the
 * tensor objects survive a move and an optimizer created before it keeps updating them (as in PyTorch).
 *
 * <p>A module registered as a child remembers its name, so errors raised inside a model name the layer by its
 * dotted path ({@code Conv2d 'features.0': ...}).
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new java.util.HashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    /**
     * Parameters replaced by a value computed on each access, by the reparametrization that replaced them (pruning's
     * {@code weight = weight_orig * weight_mask}, spectral and weight normalization).
     */
    private final Map<String, Reparametrization> computed = new java.util.HashMap<>();
    private boolean training = true;
    private Module parent;
    private String localName;

    /** For subclasses. */
    protected Module() {
    }

    /** Computes the module's output for {@code input}. Modules with several inputs add their own typed methods. */
    public abstract Tensor forward(Tensor input);

    // ------------------------------------------------------------------------------------------ registration

    /**
     * Registers a leaf tensor as a parameter under {@code name} (it is made to require grad); returns it.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot or is already used, or the tensor is
     *                                  not a leaf
     */
    protected final Tensor registerParameter(String name, Tensor param) {
        checkName(name);
        if (!param.isLeaf()) {
            throw new IllegalArgumentException(label() + ": parameter '" + name + "' must be a leaf tensor, got one computed by "
                    + param.gradFn().name());
        }
        param.requiresGrad(true);
        params.put(name, param);
        return param;
    }

    /** Registers a persistent buffer (saved in the state dict); returns it. */
    protected final Tensor registerBuffer(String name, Tensor data) {
        return registerBuffer(name, data, true);
    }

    /**
     * Registers a buffer: a tensor that does not require grad (running statistics, masks). A non-persistent one is
     * moved by {@link #to(Device)} but not saved in the state dict. Returns the registered tensor.
     *
     * @throws IllegalArgumentException if the name is invalid or taken, or {@code data} requires grad
     */
    protected final Tensor registerBuffer(String name, Tensor data, boolean persistent) {
        checkName(name);
        Objects.requireNonNull(data, "buffer data");
        if (data.requiresGrad()) {
            throw error("buffer '" + name + "' must not require grad, got " + data.describe() + " (register it as a parameter)");
        }
        buffers.put(name, data);
        if (!persistent) {
            nonPersistent.add(name);
        }
        return data;
    }

    /** Registers a child module under {@code name}; returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        Objects.requireNonNull(child, "child module");
        if (child == this) {
            throw new IllegalArgumentException(label() + ": a module cannot be its own child");
        }
        children.put(name, child);
        Module c = child;
        c.parent = this;
        c.localName = name;
        return child;
    }

    /**
     * Replaces the child registered under {@code name} by {@code child}, keeping the name and the child's place in
     * the state dict (as assigning a submodule attribute in PyTorch); returns {@code child}. A subclass that keeps the
     * child in a field assigns the field too, so that its forward uses the new child.
     *
     * @throws IllegalArgumentException if no child is registered under {@code name}, or {@code child} is this module
     */
    protected final <M extends Module> M replaceModule(String name, M child) {
        Objects.requireNonNull(child, "child module");
        Module old = children.get(name);
        if (old == null) {
            throw new IllegalArgumentException(label() + ": no child module '" + name + "' to replace (children: "
                    + children.keySet() + ")");
        }
        if (child == this) {
            throw new IllegalArgumentException(label() + ": a module cannot be its own child");
        }
        if (old.parent == this) {
            old.parent = null;
            old.localName = null;
        }
        children.put(name, child);
        Module c = child;
        c.parent = this;
        c.localName = name;
        return child;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(label() + ": invalid name '" + name + "' (must be non-empty without dots)");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name) || computed.containsKey(name)) {
            throw new IllegalArgumentException(label() + ": name '" + name + "' is already registered");
        }
    }

    /** The parameter registered under {@code name} on this module. */
    protected final Tensor param(String name) {
        Tensor p = paramOrNull(name);
        if (p == null) {
            throw new IllegalArgumentException(label() + ": no parameter '" + name + "'");
        }
        return p;
    }

    /** The parameter registered under {@code name}, or null if there is none (an optional bias). */
    protected final Tensor paramOrNull(String name) {
        Reparametrization r = computed.get(name);
        return r != null ? r.value().get() : params.get(name);
    }

    /** A reparametrized parameter: who replaced it ("Prune") and the formula that computes it. */
    private record Reparametrization(String by, Supplier<Tensor> value) {
    }

    /**
     * Reparametrizes the parameter {@code name}, as PyTorch's forward pre-hooks do (pruning, {@code spectral_norm},
     * {@code weight_norm}): unregisters it and returns it; from then on {@link #param(String)} returns
     * {@code value.get()} under that name, computed on each access from what {@code by} registers in its place. The
     * name stays reserved until {@link #restoreParameter}.
     *
     * @param by the reparametrization, for {@link #reparametrization(String)} and messages ("SpectralNorm")
     * @throws IllegalArgumentException if the parameter is already reparametrized (PyTorch also refuses two
     *     reparametrizations of one parameter) or does not exist
     */
    final Tensor computeParameter(String name, String by, Supplier<Tensor> value) {
        Objects.requireNonNull(value, "value");
        String other = reparametrization(name);
        if (other != null) {
            throw error(by + ": the " + name + " is already reparametrized by " + other
                    + " (PyTorch also refuses two reparametrizations of one parameter)");
        }
        Tensor p = removeParameter(name);
        computed.put(name, new Reparametrization(by, value));
        return p;
    }

    /** Ends {@link #computeParameter}: registers {@code value} again as the parameter {@code name} (at the end). */
    final void restoreParameter(String name, Tensor value) {
        if (computed.remove(name) == null) {
            throw new IllegalArgumentException(label() + ": parameter '" + name + "' is not computed");
        }
        registerParameter(name, value);
    }

    /** The reparametrization that computes {@code name} ({@link #computeParameter}'s {@code by}), or null. */
    final String reparametrization(String name) {
        Reparametrization r = computed.get(name);
        return r == null ? null : r.by();
    }

    /**
     * Unregisters the parameter {@code name} and returns it (PyTorch's {@code del module._parameters[name]}), for the
     * weight reparametrizations of this package.
     */
    final Tensor removeParameter(String name) {
        Tensor p = params.remove(name);
        if (p == null) {
            throw new IllegalArgumentException(label() + ": no parameter '" + name + "'");
        }
        return p;
    }

    /** Unregisters and returns the buffer {@code name}. */
    final Tensor removeBuffer(String name) {
        Tensor b = buffers.remove(name);
        if (b == null) {
            throw new IllegalArgumentException(label() + ": no buffer '" + name + "'");
        }
        nonPersistent.remove(name);
        return b;
    }

    /** The buffer registered under {@code name} on this module. */
    protected final Tensor buffer(String name) {
        Tensor b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException(label() + ": no buffer '" + name + "'");
        }
        return b;
    }

    /** The child module registered under {@code name}, or null. */
    public Module child(String name) {
        return children.get(name);
    }

    // ------------------------------------------------------------------------------------------ naming

    /** The dotted path of this module inside the model it was registered in ("" for a root module). */
    public String path() {
        if (parent == null) {
            return "";
        }
        String p = parent.path();
        return p.isEmpty() ? localName : p + "." + localName;
    }

    /** The module's type name in {@link #toString()} and errors: the simple class name by default. */
    protected String typeName() {
        return getClass().getSimpleName();
    }

    /** {@code Conv2d 'features.0'} inside a model, {@code Conv2d} for a root module: the prefix of error messages. */
    protected final String label() {
        String p = path();
        return p.isEmpty() ? typeName() : typeName() + " '" + p + "'";
    }

    /** An {@link IllegalArgumentException} whose message starts with this module's {@link #label()}. */
    protected final IllegalArgumentException error(String message) {
        return new IllegalArgumentException(label() + ": " + message);
    }

    /**
     * Checks that {@code input} has one of the given ranks, throwing an error naming this layer otherwise.
     *
     * @param layout the expected layout in the message, e.g. {@code "(N, C, H, W)"}
     */
    protected final void requireRank(Tensor input, String layout, int... ranks) {
        for (int r : ranks) {
            if (input.dim() == r) {
                return;
            }
        }
        throw error("expected input of shape " + layout + ", got " + Arrays.toString(input.shape()));
    }

    /** Checks that dimension {@code dim} of {@code input} has size {@code expected} (the channel count). */
    protected final void requireSize(Tensor input, int dim, int expected, String what, String layout) {
        if (input.size(dim) != expected) {
            throw error("expected input with " + expected + " " + what + " " + layout + ", got " + Arrays.toString(input.shape()));
        }
    }

    // ------------------------------------------------------------------------------------------ traversal

    /** All parameters of this module and its descendants, without duplicates, in registration order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name ({@code layer1.0.conv1.weight}), in PyTorch's order, without duplicates. */
    public LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().params.entrySet()) {
                if (seen.put(p.getValue(), Boolean.TRUE) == null) {
                    out.put(prefix + p.getKey(), p.getValue());
                }
            }
        }
        return out;
    }

    /** All buffers of this module and its descendants (tensors that do not require grad). */
    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Buffers by dotted name ({@code bn1.running_mean}), persistent or not. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** The direct children, in registration order. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** The direct children by name. */
    public LinkedHashMap<String, Module> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    /** This module and all its descendants, depth first (this first), without duplicates. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** This module ("") and all descendants by dotted path, depth first, without duplicates. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out, new IdentityHashMap<>());
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out, Map<Module, Boolean> seen) {
        if (seen.put(this, Boolean.TRUE) != null) {
            return;
        }
        out.put(prefix, this);
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collectModules(prefix.isEmpty() ? c.getKey() : prefix + "." + c.getKey(), out, seen);
        }
    }

    /** Calls {@code fn} on every descendant and then on this module (PyTorch's {@code apply}); returns this. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) {
            c.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------------------------------------ state dict

    /**
     * Parameters and persistent buffers by PyTorch's keys, in PyTorch's order (per module: its parameters, its
     * buffers, then its children). Values share the live storage but are detached (they do not require grad, as
     * PyTorch's {@code state_dict()}): {@link Tensor#clone()} them to keep a snapshot.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            out.putIfAbsent(prefix + p.getKey(), p.getValue().detach());
        }
        for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
            if (!nonPersistent.contains(b.getKey())) {
                out.putIfAbsent(prefix + b.getKey(), b.getValue().detach());
            }
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collectState(prefix + c.getKey() + ".", out);
        }
    }

    /**
     * Copies values from {@code state} into this module's parameters and persistent buffers, in place (outside any
     * autograd graph, so the tensors keep their identity), converting dtype and device. Everything is checked first: with
     * {@code strict}, keys missing from {@code state} and keys the model does not have are errors; a shape mismatch
     * is always an error. All problems are reported together in one {@link IllegalArgumentException}, and then
     * nothing has been modified.
     *
     * @return the missing and unexpected keys that were tolerated ({@code strict = false})
     */
    public StateDictLoad loadStateDict(Map<String, Tensor> state, boolean strict) {
        Objects.requireNonNull(state, "state");
        LinkedHashMap<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                problems.add("size mismatch for " + e.getKey() + " (" + ownerLabel(e.getKey()) + "): copying a value of shape "
                        + Arrays.toString(src.shape()) + " from the state dict, the shape in the current model is "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        List<String> all = new ArrayList<>();
        if (strict && !missing.isEmpty()) {
            all.add("missing keys: " + missing);
        }
        if (strict && !unexpected.isEmpty()) {
            all.add("unexpected keys: " + unexpected);
        }
        all.addAll(problems);
        if (!all.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: error(s) loading the state dict of " + typeName() + ":\n  "
                    + String.join("\n  ", all));
        }
        try (var g = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    Tensor dst = e.getValue();
                    dst.copyFrom(src.to(dst.device()).toType(dst.dtype()));
                }
            }
        }
        return new StateDictLoad(Collections.unmodifiableList(missing), Collections.unmodifiableList(unexpected));
    }

    private String ownerLabel(String key) {
        int dot = key.lastIndexOf('.');
        Module m = dot < 0 ? this : namedModules().get(key.substring(0, dot));
        return m == null ? typeName() : m.typeName() + (dot < 0 ? "" : " '" + key.substring(0, dot) + "'");
    }

    // ------------------------------------------------------------------------------------------ modes

    /** Sets training mode on this module and all descendants; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    /** Training mode (dropout active, batch norm uses batch statistics); returns this. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode; returns this. */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public boolean isTraining() {
        return training;
    }

    /** Clears the gradient of every parameter (sets it to null, as PyTorch's default). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.setGrad(null);
        }
    }

    /** Sets whether every parameter requires grad ({@code false} freezes the module); returns this. */
    public Module requiresGrad(boolean flag) {
        for (Tensor p : parameters()) {
            p.requiresGrad(flag);
        }
        return this;
    }

    /**
     * Moves parameters, their gradients and buffers to {@code device}; returns this. Each tensor keeps its identity
     * (its data is rebound with {@link Tensor#setData}), so optimizers and references taken before the move see
     * the moved values, as with PyTorch's {@code module.to(device)}.
     */
    public Module to(Device device) {
        Objects.requireNonNull(device, "device");
        for (Tensor t : ownTensors()) {
            rebind(t, t.detach().to(device), t.grad() == null ? null : t.grad().detach().to(device));
        }
        return this;
    }

    /**
     * Converts floating parameters, their gradients and floating buffers to {@code dtype} (integer buffers, such as
     * {@code num_batches_tracked}, are kept); returns this. Tensors keep their identity, as with {@link #to(Device)}.
     *
     * @throws IllegalArgumentException if {@code dtype} is not floating point
     */
    public Module to(DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(label() + ": to(" + dtype + "): parameters must stay floating point");
        }
        for (Tensor t : ownTensors()) {
            if (t.dtype().isFloating()) {
                rebind(t, t.detach().toType(dtype), t.grad() == null ? null : t.grad().detach().toType(dtype));
            }
        }
        return this;
    }

    /** Every parameter and buffer of this module and its descendants, each once. */
    private List<Tensor> ownTensors() {
        List<Tensor> all = parameters();
        all.addAll(buffers());
        return all;
    }

    /** Rebinds {@code t} to {@code data} (and its gradient to {@code grad}) unless nothing changed. */
    private static void rebind(Tensor t, Tensor data, Tensor grad) {
        if (!data.sharesStorageWith(t) || data.dtype() != t.dtype()) {
            t.setGrad(null);
            t.setData(data);
            t.setGrad(grad);
        }
    }

    /**
     * Rebinds a registered buffer to {@code data} (keeping the buffer tensor's identity); the shape may differ.
     *
     * @throws IllegalArgumentException if no buffer has that name or {@code data} requires grad
     */
    protected final void setBuffer(String name, Tensor data) {
        Tensor b = buffer(name);
        Objects.requireNonNull(data, "buffer data");
        if (data.requiresGrad()) {
            throw error("buffer '" + name + "' must not require grad, got " + data.describe());
        }
        b.setData(data);
    }

    // ------------------------------------------------------------------------------------------ printing

    /** The number of elements of all parameters (of this module and descendants). */
    public long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    /** The hyper-parameters shown between the parentheses of {@link #toString()}, e.g. {@code in_features=10}. */
    protected String extraRepr() {
        return "";
    }

    /**
     * A PyTorch-like tree, one line per module, leaves followed by their parameter count, and the total at the end:
     *
     * <pre>
     * Sequential(
     *   (0): Linear(in_features=4, out_features=3, bias=true)  # 15 params
     *   (1): ReLU()
     * )
     * Total parameters: 15 (trainable: 15)
     * </pre>
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTree(sb, "");
        long trainable = 0;
        for (Tensor p : parameters()) {
            trainable += p.requiresGrad() ? p.numel() : 0;
        }
        sb.append("\nTotal parameters: ").append(numParameters()).append(" (trainable: ").append(trainable).append(')');
        return sb.toString();
    }

    private void appendTree(StringBuilder sb, String indent) {
        sb.append(typeName()).append('(');
        if (children.isEmpty()) {
            sb.append(extraRepr()).append(')');
            long own = 0;
            for (Tensor p : params.values()) {
                own += p.numel();
            }
            if (own > 0) {
                sb.append("  # ").append(own).append(" params");
            }
            return;
        }
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            sb.append('\n').append(indent).append("  ").append(extra);
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            sb.append('\n').append(indent).append("  (").append(c.getKey()).append("): ");
            c.getValue().appendTree(sb, indent + "  ");
        }
        sb.append('\n').append(indent).append(')');
    }
}
