package dev.kasane.autograd;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A differentiable operation and, once applied, one node of the autograd graph. Every built-in op of
 * {@link Tensor} is a small final subclass; users write their own the same way.
 *
 * <p>A subclass implements {@link #forward} (compute the output, {@link #saveForBackward save} what backward needs)
 * and {@link #backward} (given the gradient of the output, return one gradient per input, or {@code null} for
 * inputs that need none; see {@link #needsInputGrad}). An instance is applied once: {@code new MyOp(args).apply(x,
 * y)}; constructor arguments carry non-tensor parameters.
 *
 * <ul>
 *   <li>{@code forward} runs with grad mode off: Tensor ops inside it record nothing. It must return a new tensor
 *       (not one of its inputs). It may work on {@link Tensor#data()} directly.</li>
 *   <li>{@code backward} runs with grad mode on only when the caller asked for {@code createGraph}; write it with
 *       {@link Tensor} ops so that gradients of gradients work. The returned gradient for input {@code i} must have
 *       that input's shape, or a shape that broadcasts to it (it is then summed back), and is cast to its dtype.</li>
 *   <li>Save input or output tensors with {@link #saveForBackward}, not in fields: saved tensors are checked for
 *       in-place modification (their version counter) and freed after backward unless {@code retainGraph}.
 *       Non-tensor constants (dims, masks computed in forward) may live in fields.</li>
 * </ul>
 *
 * <pre>{@code
 * // SiLU, x * sigmoid(x), with a hand-written backward.
 * final class Silu extends Function {
 *     @Override
 *     protected Tensor forward(Tensor... in) {
 *         Tensor x = in[0];
 *         saveForBackward(x);
 *         return x.mul(x.sigmoid());                       // no graph is recorded in forward
 *     }
 *
 *     @Override
 *     protected Tensor[] backward(Tensor grad) {
 *         Tensor x = savedTensors()[0];
 *         Tensor s = x.sigmoid();                          // d/dx = s * (1 + x * (1 - s))
 *         return new Tensor[] {grad.mul(s.mul(x.mul(s.rsub(1)).add(1)))};
 *     }
 * }
 *
 * Tensor x = Tensor.randn(3, 4).requiresGrad(true);
 * Tensor y = new Silu().apply(x);
 * y.sum().backward();                                      // x.grad() now holds dy/dx
 * }</pre>
 */
public abstract class Function {
    // ---- graph state, set by apply when the graph is recorded (read by Engine)
    Function[] nextFns;
    Tensor[] nextLeaves;
    int[][] inputShapes;
    DType[] inputTypes;
    Device[] inputDevices;
    boolean[] needsInputGrad;
    /** Per-run mask from Autograd.grad: which inputs the current backward run needs (null: all). */
    boolean[] execMask;
    List<GradHook> outputHooks;
    Tensor retainedOutput;
    Throwable anomalyTrace;

    private Tensor[] saved;
    private int[] savedVersions;
    /** Whether the storages of {@link #saved} count this node among their holders. */
    private boolean savedRetained;
    private boolean released;
    private boolean applied;
    private final String name;

    /**
     * The array under {@code t} (shared, not copied), for op, kernel and optimizer code that works below autograd:
     * operating on it records nothing. User code never needs it.
     */
    public static NDArray array(Tensor t) {
        return t.data;
    }

    /**
     * {@code t}'s gradient for library code that uses it within one call and keeps no reference to it (optimizers,
     * gradient clipping, loss scaling). Unlike {@link Tensor#grad()}, which hands the gradient to code that may keep
     * it, this leaves a gradient that backward made to go back to the backend's memory pool when it is cleared
     * ({@link Tensor#setGrad}, as zeroGrad does).
     */
    public static Tensor grad(Tensor t) {
        return t.grad;
    }

    /** A tensor over {@code a} (shared, not copied) that does not require grad, for op and kernel code. */
    public static Tensor tensor(NDArray a) {
        return new Tensor(a);
    }

    /** A leaf tensor over {@code a} (shared, not copied), optionally requiring grad, for op and kernel code. */
    public static Tensor tensor(NDArray a, boolean requiresGrad) {
        return new Tensor(a).requiresGrad(requiresGrad);
    }

    /** For subclasses named by their class's simple name. */
    protected Function() {
        this.name = null;
    }

    /**
     * For subclasses whose name depends on how they were built (one class serving {@code max} and {@code min}).
     *
     * @param name the op's name in error messages, returned by {@link #name()}
     */
    protected Function(String name) {
        this.name = Objects.requireNonNull(name, "Function: name is null");
    }

    /**
     * Computes the output from {@code inputs} (grad mode is off here) and saves what backward needs.
     *
     * @return a new tensor (not one of the inputs)
     */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * Given the gradient of the loss with respect to the output, returns the gradients with respect to each input,
     * in input order ({@code null} for inputs that need no gradient). Write it with {@link Tensor} ops.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /**
     * Whether the backward engine may reuse the memory of the gradients around this op: of {@code gradOutput} once
     * {@link #backward} has returned, and of the gradients it returned once the ops below have consumed them. True
     * only for an op whose backward keeps no reference to its argument or to what it returns (no field, list or
     * closure holds them after it returns), as every built-in op; the default, false, is right for any other. A
     * tensor handed to user code (a hook, {@code .grad}, {@link Autograd#grad}'s results) is never reused.
     */
    protected boolean recyclesGradients() {
        return false;
    }

    /** The op's name in error messages: the one given to the constructor, else the class's simple name. */
    public String name() {
        return name != null ? name : getClass().getSimpleName();
    }

    /**
     * Runs {@link #forward} and, if grad mode is on and any input requires grad, records this function as the
     * output's {@link Tensor#gradFn()}.
     *
     * @throws IllegalStateException if this instance was already applied
     */
    public final Tensor apply(Tensor... inputs) {
        if (applied) {
            throw new IllegalStateException(name() + ": a Function instance can be applied only once; create a new one per call");
        }
        applied = true;
        int n = inputs.length;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t == null) {
                throw new IllegalArgumentException(name() + ": input " + i + " is null");
            }
            any |= t.requiresGrad;
        }
        GradMode mode = any ? GradMode.current() : null;
        boolean record = any && mode.enabled;
        if (record) {
            boolean[] needs = new boolean[n];
            for (int i = 0; i < n; i++) {
                needs[i] = inputs[i].requiresGrad;
            }
            needsInputGrad = needs;
        }
        Tensor out;
        if (record) {
            mode.enabled = false;
            try {
                out = forward(inputs);
            } finally {
                mode.enabled = true;
            }
        } else {
            out = forward(inputs);
        }
        Objects.requireNonNull(out, () -> name() + ".forward returned null");
        if (!record) {
            return out.requiresGrad ? new Tensor(out.data) : out;
        }
        if (out.requiresGrad || out.gradFn != null || isOneOf(out, inputs)) {
            out = new Tensor(out.data);
        }
        if (!out.data.dtype().isFloating()) {
            // an integer result (indices, counts) carries no gradient
            return out;
        }
        Function[] fns = new Function[n];
        Tensor[] leaves = new Tensor[n];
        int[][] shapes = new int[n][];
        DType[] types = new DType[n];
        Device[] devices = new Device[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (!t.requiresGrad) {
                continue;
            }
            if (t.gradFn != null) {
                fns[i] = t.gradFn;
            } else {
                leaves[i] = t;
            }
            shapes[i] = t.data.shape();
            types[i] = t.data.dtype();
            devices[i] = t.data.device();
        }
        nextFns = fns;
        nextLeaves = leaves;
        inputShapes = shapes;
        inputTypes = types;
        inputDevices = devices;
        if (Autograd.anomalyDetection) {
            anomalyTrace = new Throwable("forward of " + name() + " was called here");
        }
        out.gradFn = this;
        out.requiresGrad = true;
        return out;
    }

    private static boolean isOneOf(Tensor t, Tensor[] inputs) {
        for (Tensor x : inputs) {
            if (x == t) {
                return true;
            }
        }
        return false;
    }

    /**
     * Saves tensors (inputs or the output) for {@link #backward}. Their version counters are recorded: modifying
     * one in place before backward makes backward throw an error naming this op.
     */
    protected final void saveForBackward(Tensor... tensors) {
        Tensor[] s = tensors.clone();
        int[] v = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = s[i] == null ? 0 : s[i].data.version();
        }
        boolean retain = needsInputGrad != null;   // recorded in the graph: the storages learn who holds them
        if (retain) {
            for (Tensor t : s) {
                if (t != null) {
                    t.data.storage().retainForBackward();
                }
            }
        }
        releaseSaved();
        saved = s;
        savedVersions = v;
        savedRetained = retain;
    }

    /** Lets go of the storages of the saved tensors ({@link dev.kasane.tensor.spi.Storage#releaseFromBackward}). */
    private void releaseSaved() {
        if (saved != null && savedRetained) {
            for (Tensor t : saved) {
                if (t != null) {
                    t.data.storage().releaseFromBackward();
                }
            }
        }
        savedRetained = false;
    }

    /** The tensors given to {@link #saveForBackward}, in order. */
    protected final Tensor[] savedTensors() {
        if (saved == null) {
            if (released) {
                throw freedError();
            }
            throw new IllegalStateException(name() + ": savedTensors() called but nothing was saved with saveForBackward");
        }
        return saved;
    }

    /**
     * Whether input {@code i} needs a gradient in the current backward pass. In {@link #forward} it tells whether
     * the input requires grad (and grad mode is on), so forward can skip saving what backward will not use.
     */
    protected final boolean needsInputGrad(int i) {
        boolean[] n = needsInputGrad;
        if (n == null || !n[i]) {
            return false;
        }
        boolean[] m = execMask;
        return m == null || m[i];
    }

    /** True if any input needs a gradient (see {@link #needsInputGrad}). */
    protected final boolean anyInputNeedsGrad() {
        boolean[] n = needsInputGrad;
        if (n == null) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            if (needsInputGrad(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The inputs this op recorded when it was applied, in order: the role of PyTorch's {@code grad_fn.next_functions},
     * for walking the graph (TensorBoard's graph, debugging). Empty when the op recorded no graph.
     */
    public final List<Input> inputs() {
        List<Input> in = new ArrayList<>(numInputs());
        for (int i = 0; i < numInputs(); i++) {
            in.add(new Input(nextFns[i], nextLeaves[i], inputShapes[i]));
        }
        return in;
    }

    /**
     * One recorded input of an op ({@link #inputs()}). An input that required no gradient (data, buffers, constants)
     * has neither producer nor leaf nor shape: the graph does not see it.
     *
     * @param producer the op that computed this input, or null for a leaf or an input that required no gradient
     * @param leaf     the leaf tensor (a parameter, an input that requires grad), or null
     * @param shape    the input's shape in forward, or null for an input that required no gradient
     */
    public record Input(Function producer, Tensor leaf, int[] shape) {
        /** The input's shape in forward (a copy), or null for an input that required no gradient. */
        @Override
        public int[] shape() {
            return shape == null ? null : shape.clone();
        }
    }

    /** The shape input {@code i} had in forward (only for inputs that require grad). */
    protected final int[] inputShape(int i) {
        return inputShapes[i];
    }

    /** The number of inputs given to {@link #apply}. */
    protected final int numInputs() {
        return nextFns == null ? 0 : nextFns.length;
    }

    /** Checks, before backward, that saved tensors still exist and were not modified in place. */
    final void checkSaved() {
        if (saved == null) {
            if (released) {
                throw freedError();
            }
            return;
        }
        for (int i = 0; i < saved.length; i++) {
            Tensor t = saved[i];
            if (t != null && t.data.version() != savedVersions[i]) {
                throw new IllegalStateException("one of the tensors needed for gradient computation has been modified by an "
                        + "in-place operation: the " + ordinal(i) + " tensor saved by " + name() + ", of shape "
                        + Arrays.toString(t.data.shape()) + ", was modified in place (version " + t.data.version()
                        + ", expected " + savedVersions[i] + ")");
            }
        }
    }

    private static String ordinal(int i) {
        switch (i) {
            case 0: return "1st";
            case 1: return "2nd";
            case 2: return "3rd";
            default: return (i + 1) + "th";
        }
    }

    private IllegalStateException freedError() {
        return new IllegalStateException("Trying to backward through the graph a second time: the tensors saved by "
                + name() + " were freed after the first backward. Pass retainGraph=true to the first backward (or "
                + "Autograd.grad) if you need to backward through the graph again.");
    }

    /** Frees saved tensors after a backward run without retainGraph. */
    final void release() {
        if (saved != null) {
            releaseSaved();
            saved = null;
            savedVersions = null;
            released = true;
        }
    }

    final void addOutputHook(GradHook hook) {
        if (outputHooks == null) {
            outputHooks = new ArrayList<>(2);
        }
        outputHooks.add(hook);
    }

    @Override
    public String toString() {
        return name();
    }
}
