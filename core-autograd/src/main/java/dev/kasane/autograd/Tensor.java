package dev.kasane.autograd;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.PadMode;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.Storage;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A differentiable N-d array: an {@link NDArray} plus the autograd state ({@link #requiresGrad()}, {@link #grad()},
 * {@link #gradFn()}). This is what users of layers see.
 *
 * <p>Ops mirror NDArray's (and PyTorch's) names and semantics: elementwise ops broadcast, negative dims count from
 * the end, views share storage. When grad mode is on ({@link Autograd#isGradEnabled()}) and an input requires grad,
 * each op records a {@link Function} node; {@link #backward()} walks these nodes and accumulates into the
 * {@code grad} of the leaves. Non-differentiable ops (comparisons, argmax, rounding, integer results) return tensors
 * that do not require grad.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
 * Tensor loss = x.matmul(w).tanh().square().sum();
 * loss.backward();
 * System.out.println(w.grad());            // d loss / d w, shape [3, 2]
 * }</pre>
 *
 * <p>In-place ops ({@code addInPlace}, {@code mulInPlace}, {@code copyFrom}, ...) bump the storage's version
 * counter; a backward that needs a tensor modified since it was saved throws an {@link IllegalStateException}
 * naming the op that saved it. In-place ops on a leaf that requires grad throw unless grad mode is off (as in an
 * optimizer step). On a non-leaf tensor they are recorded (the tensor's history is rebased onto the op); in-place
 * writes through a <em>view</em> of another tensor are not propagated to that tensor's history.
 */
public final class Tensor {
    NDArray data;
    boolean requiresGrad;
    Function gradFn;
    Tensor grad;
    /**
     * Whether {@link #grad} is a buffer that backward made for this tensor alone and no code outside the library has
     * seen since ({@link #grad()} clears it): clearing such a gradient gives its memory back to the backend at once,
     * as PyTorch's reference count does when {@code zero_grad} sets it to None.
     */
    boolean gradUnseen;
    List<GradHook> hooks;

    Tensor(NDArray data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    // ------------------------------------------------------------------------------------------ creation

    /** A tensor over {@code data} (shared, not copied) that does not require grad; op code uses {@link Function#tensor}. */
    static Tensor of(NDArray data) {
        return new Tensor(data);
    }

    /** A leaf tensor over {@code data} (shared, not copied), optionally requiring grad. */
    static Tensor of(NDArray data, boolean requiresGrad) {
        return new Tensor(data).requiresGrad(requiresGrad);
    }

    /** F32 tensor with a copy of {@code values}; the shape defaults to {@code [values.length]}. */
    public static Tensor of(float[] values, int... shape) {
        return new Tensor(NDArray.of(values, shape));
    }

    /** F64 tensor with a copy of {@code values}. */
    public static Tensor of(double[] values, int... shape) {
        return new Tensor(NDArray.of(values, shape));
    }

    /** I32 tensor with a copy of {@code values}. */
    public static Tensor of(int[] values, int... shape) {
        return new Tensor(NDArray.of(values, shape));
    }

    /** I64 tensor (e.g. indices or class labels) with a copy of {@code values}. */
    public static Tensor of(long[] values, int... shape) {
        return new Tensor(NDArray.of(values, shape));
    }

    /** BOOL tensor (e.g. a mask) with a copy of {@code values}. */
    public static Tensor of(boolean[] values, int... shape) {
        return new Tensor(NDArray.of(values, shape));
    }

    /** A 0-d F32 tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(NDArray.scalar(value));
    }

    /** A 0-d tensor of {@code dtype} on {@code device}. */
    public static Tensor scalar(double value, DType dtype, Device device) {
        return new Tensor(NDArray.scalar(value, dtype, device));
    }

    /** Zeros of the default dtype ({@link DType#getDefault()}) on the default device. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.getDefault(), shape);
    }

    /** Zeros of {@code dtype} on the default device. */
    public static Tensor zeros(DType dtype, int... shape) {
        return zeros(dtype, Device.getDefault(), shape);
    }

    /** Ones of the default dtype on the default device. */
    public static Tensor ones(int... shape) {
        return ones(DType.getDefault(), shape);
    }

    /** Ones of {@code dtype} on the default device. */
    public static Tensor ones(DType dtype, int... shape) {
        return ones(dtype, Device.getDefault(), shape);
    }

    /** F32 tensor filled with {@code value}. */
    public static Tensor full(double value, int... shape) {
        return new Tensor(NDArray.full(value, shape));
    }

    /** F32 uniform values in [0, 1) from the global generator. */
    public static Tensor rand(int... shape) {
        return new Tensor(NDArray.rand(shape));
    }

    /** F32 standard normal values from the global generator. */
    public static Tensor randn(int... shape) {
        return new Tensor(NDArray.randn(shape));
    }

    /** I64 values uniform in [low, high) (never requires grad). */
    public static Tensor randint(long low, long high, int... shape) {
        return new Tensor(NDArray.randint(low, high, shape));
    }

    /** {@code [0, 1, ..., end-1]} as I64. */
    public static Tensor arange(long end) {
        return new Tensor(NDArray.arange(end));
    }

    /** F32 identity matrix. */
    public static Tensor eye(int n) {
        return new Tensor(NDArray.eye(n));
    }

    /** Zeros of {@code dtype} on {@code device}. */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        return new Tensor(NDArray.zeros(dtype, device, shape));
    }

    /** Ones of {@code dtype} on {@code device}. */
    public static Tensor ones(DType dtype, Device device, int... shape) {
        return new Tensor(NDArray.ones(dtype, device, shape));
    }

    /** A tensor of {@code dtype} on {@code device} filled with {@code value}. */
    public static Tensor full(double value, DType dtype, Device device, int... shape) {
        return new Tensor(NDArray.full(value, dtype, device, shape));
    }

    /** A 0-d I64 tensor holding {@code value} exactly, on {@code device}. */
    public static Tensor scalar(long value, Device device) {
        return new Tensor(NDArray.scalar(value, device));
    }

    /**
     * A tensor of {@code dtype} on {@code device} holding {@code hostArray}'s values, which has the dtype's host type
     * ({@code float[]} for F32, {@code double[]} F64, {@code int[]} I32, {@code long[]} I64, {@code byte[]} BOOL and U8)
     * and {@code shape}'s number of elements ({@code torch.tensor(data, dtype=, device=)}). The array is copied.
     *
     * @throws IllegalArgumentException if the array's type or length does not fit the dtype or shape
     */
    public static Tensor fromHost(Object hostArray, DType dtype, Device device, int... shape) {
        Objects.requireNonNull(hostArray, "fromHost: hostArray");
        Class<?> element = hostArray.getClass().getComponentType();
        if (element == null || !element.isPrimitive()) {
            throw new IllegalArgumentException("fromHost: expected a primitive array for " + dtype + ", got "
                    + hostArray.getClass().getSimpleName());
        }
        int n = java.lang.reflect.Array.getLength(hostArray);
        Object copy = java.lang.reflect.Array.newInstance(element, n);
        System.arraycopy(hostArray, 0, copy, 0, n);
        return new Tensor(NDArray.fromHost(copy, dtype, device, shape));
    }

    /** U8 tensor (e.g. image pixels 0..255) with a copy of {@code values}. */
    public static Tensor ofUnsignedBytes(byte[] values, int... shape) {
        return new Tensor(NDArray.ofUnsignedBytes(values, shape));
    }

    /** {@code [start, start+step, ...)} below {@code end} as I64 on {@code device}. */
    public static Tensor arange(long start, long end, long step, Device device) {
        return new Tensor(NDArray.arange(start, end, step, device));
    }

    /** {@code [start, start+step, ...)} below {@code end} in the default dtype ({@code torch.arange} with floats). */
    public static Tensor arange(double start, double end, double step) {
        return new Tensor(NDArray.arange(start, end, step));
    }

    /** {@code steps} evenly spaced values of the default dtype from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        return new Tensor(NDArray.linspace(start, end, steps));
    }

    /** An {@code n x m} identity matrix of {@code dtype} on {@code device}. */
    public static Tensor eye(int n, int m, DType dtype, Device device) {
        return new Tensor(NDArray.eye(n, m, dtype, device));
    }

    /** Uniform values in {@code [lo, hi)} drawn from {@code gen}. */
    public static Tensor uniform(Generator gen, double lo, double hi, DType dtype, Device device, int... shape) {
        return new Tensor(NDArray.uniform(gen, lo, hi, dtype, device, shape));
    }

    /** Normal values with {@code mean} and {@code std} drawn from {@code gen}. */
    public static Tensor normal(Generator gen, double mean, double std, DType dtype, Device device, int... shape) {
        return new Tensor(NDArray.normal(gen, mean, std, dtype, device, shape));
    }

    /** I64 values uniform in {@code [low, high)} drawn from {@code gen}. */
    public static Tensor randint(Generator gen, long low, long high, Device device, int... shape) {
        return new Tensor(NDArray.randint(gen, low, high, device, shape));
    }

    /** A random permutation of {@code 0..n-1} (I64) from the global generator. */
    public static Tensor randperm(int n) {
        return new Tensor(NDArray.randperm(n));
    }

    /** A random permutation of {@code 0..n-1} (I64) drawn from {@code gen}. */
    public static Tensor randperm(Generator gen, int n, Device device) {
        return new Tensor(NDArray.randperm(gen, n, device));
    }

    /** 0/1 draws (this tensor's dtype) with this tensor's values as probabilities, from {@code gen}. */
    public Tensor bernoulli(Generator gen) {
        return new Tensor(data.bernoulli(gen));
    }

    /** A tensor filled with {@code value}, with this tensor's shape, dtype and device (does not require grad). */
    public Tensor fullLike(double value) {
        return new Tensor(data.fullLike(value));
    }

    /** Zeros with this tensor's shape, dtype and device (does not require grad). */
    public Tensor zerosLike() {
        return new Tensor(data.zerosLike());
    }

    /** Ones with this tensor's shape, dtype and device (does not require grad). */
    public Tensor onesLike() {
        return new Tensor(data.onesLike());
    }

    // ------------------------------------------------------------------------------------------ properties

    /** The underlying array (shared); op and kernel code outside this package use {@link Function#array}. */
    NDArray data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return data.shape();
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) {
        return data.size(d);
    }

    /** Number of dimensions. */
    public int dim() {
        return data.dim();
    }

    /** Number of elements. */
    public int numel() {
        return data.numel();
    }

    /** Element type. */
    public DType dtype() {
        return data.dtype();
    }

    /** The device holding the data. */
    public Device device() {
        return data.device();
    }

    /** True if the data is laid out densely in row-major order. */
    public boolean isContiguous() {
        return data.isContiguous();
    }

    /** The single element of a one-element tensor. */
    public double item() {
        return data.item();
    }

    /** The elements in row-major order as floats. */
    public float[] toFloatArray() {
        return data.toFloatArray();
    }

    /** The elements in row-major order as doubles. */
    public double[] toDoubleArray() {
        return data.toDoubleArray();
    }

    /** The elements in row-major order as longs (float values are truncated toward zero). */
    public long[] toLongArray() {
        return data.toLongArray();
    }

    /** The elements in row-major order as ints (float values are truncated toward zero). */
    public int[] toIntArray() {
        return data.toIntArray();
    }

    /** The elements in row-major order as booleans (nonzero is true). */
    public boolean[] toBooleanArray() {
        return data.toBooleanArray();
    }

    /** The single element of a one-element integer tensor, exactly (I64 values beyond 2^53 stay exact). */
    public long itemLong() {
        return data.itemLong();
    }

    /** The element at {@code index} (one index per dim; negative counts from the end). */
    public double get(int... index) {
        return data.get(index);
    }

    /** The element at {@code index} of an integer tensor, exactly. */
    public long getLong(int... index) {
        return data.getLong(index);
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return data.strides();
    }

    /** "[2, 3] F32 cpu": shape, dtype and device, as error messages write them. */
    public String describe() {
        return data.describe();
    }

    /** True if both tensors view the same storage (for example a tensor and its transpose). */
    public boolean sharesStorageWith(Tensor other) {
        return data.sharesStorageWith(other.data);
    }

    /** PyTorch-style text of the values, plus {@code requiresGrad} or {@code gradFn}. */
    @Override
    public String toString() {
        String s = data.toString();
        if (!requiresGrad) {
            return s;
        }
        String extra = gradFn != null ? ", gradFn=" + gradFn.name() : ", requiresGrad=true";
        return s.endsWith(")") ? s.substring(0, s.length() - 1) + extra + ")" : s + extra;
    }

    // ------------------------------------------------------------------------------------------ autograd state

    /** Whether gradients are computed for this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Sets whether this leaf requires grad; returns this.
     *
     * @throws IllegalArgumentException if {@code flag} is true and the dtype is not F32/F64
     * @throws IllegalStateException    if this is a non-leaf and {@code flag} is false (use {@link #detach()})
     */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null) {
            if (!flag) {
                throw new IllegalStateException("requiresGrad(false): only leaf tensors can change requiresGrad; this tensor "
                        + "was computed by " + gradFn.name() + ", use detach()");
            }
            return this;
        }
        if (flag && !data.dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only float tensors (F32, F64) can require gradients, got "
                    + data.describe());
        }
        requiresGrad = flag;
        return this;
    }

    /** The accumulated gradient (null until a backward reaches this leaf or retained non-leaf). */
    public Tensor grad() {
        gradUnseen = false; // the caller may keep it
        return grad;
    }

    /**
     * Replaces the gradient (null clears it, as optimizers' zeroGrad does). A gradient that backward made and nobody
     * took with {@link #grad()} since goes back to the backend's memory pool here.
     *
     * @throws IllegalArgumentException if {@code g} differs from this tensor in shape, dtype or device (as PyTorch's
     *     "assigned grad has data of a different type")
     */
    public void setGrad(Tensor g) {
        String differs = g == null ? null : GradientMatch.difference(g.data, data);
        if (differs != null) {
            throw new IllegalArgumentException("setGrad: gradient " + g.data.describe() + " has a different " + differs
                    + " than tensor " + data.describe() + "; a gradient must have the tensor's shape, dtype and device");
        }
        Tensor old = grad;
        boolean recycle = gradUnseen && old != null && (g == null || !old.data.sharesStorageWith(g.data));
        grad = g;
        gradUnseen = false;
        if (recycle) {
            Storage s = old.data.storage();
            s.backend().recycle(s);
        }
    }

    /** The op that computed this tensor (null for leaves). */
    public Function gradFn() {
        return gradFn;
    }

    /** True for tensors not computed by a recorded op (created by the user, or results that do not require grad). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Makes backward also store this non-leaf tensor's gradient in {@link #grad()}; returns this. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad: the tensor " + data.describe() + " does not require grad");
        }
        if (gradFn != null) {
            gradFn.retainedOutput = this;
        }
        return this;
    }

    /**
     * Registers a hook called with this tensor's gradient during backward (before it is accumulated into a leaf's
     * {@code grad} or passed on); the hook may return a replacement of the gradient's shape, dtype and device (backward
     * throws {@link IllegalStateException} otherwise).
     */
    public HookHandle registerHook(GradHook hook) {
        Objects.requireNonNull(hook, "hook");
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: cannot register a hook on a tensor that does not require grad ("
                    + data.describe() + ")");
        }
        if (gradFn == null) {
            if (hooks == null) {
                hooks = new ArrayList<>(2);
            }
            List<GradHook> list = hooks;
            list.add(hook);
            return () -> list.remove(hook);
        }
        Function f = gradFn;
        f.addOutputHook(hook);
        return () -> f.outputHooks.remove(hook);
    }

    /** Backpropagates from this one-element tensor, accumulating into the {@code grad} of the leaves; frees the graph. */
    public void backward() {
        Engine.backward("backward", new Tensor[] {this}, null, false, false);
    }

    /** Backpropagates with {@code gradient} (this tensor's shape; null for a one-element tensor) as the seed. */
    public void backward(Tensor gradient) {
        Engine.backward("backward", new Tensor[] {this}, new Tensor[] {gradient}, false, false);
    }

    /**
     * Backpropagates with {@code gradient} as the seed.
     *
     * @param retainGraph keep saved tensors so the graph can be backpropagated again
     * @param createGraph record the backward computation (the accumulated grads then have a graph: grad of grad)
     * @throws IllegalArgumentException if this tensor does not require grad, or {@code gradient} is null for a tensor
     *                                  of more than one element, or has the wrong shape
     * @throws IllegalStateException    if the graph was freed by an earlier backward, or a saved tensor was modified
     *                                  in place
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Engine.backward("backward", new Tensor[] {this}, new Tensor[] {gradient}, retainGraph, createGraph);
    }

    /** A tensor sharing this data, cut from the graph (does not require grad). */
    public Tensor detach() {
        return new Tensor(data);
    }

    /**
     * Makes this tensor hold {@code source}'s values (shared, not copied: shape, dtype and device may change) while
     * keeping its identity: the object, {@code requiresGrad}, hooks and whoever refers to it, such as an optimizer
     * (PyTorch's {@code tensor.data = source}). Nothing is recorded; the gradient is left as it is, so a caller that
     * changes the shape, dtype or device moves or clears it. Returns this.
     *
     * @throws IllegalStateException    if this tensor was computed by a recorded op (only leaves can be rebound)
     * @throws IllegalArgumentException if this tensor requires grad and {@code source} is not F32/F64
     */
    public Tensor setData(Tensor source) {
        Objects.requireNonNull(source, "source");
        if (gradFn != null) {
            throw new IllegalStateException("setData: only leaf tensors can be rebound; " + data.describe()
                    + " was computed by " + gradFn.name());
        }
        if (requiresGrad && !source.data.dtype().isFloating()) {
            throw new IllegalArgumentException("setData: a tensor that requires grad needs F32 or F64 data, got "
                    + source.data.describe());
        }
        data = source.data;
        return this;
    }

    // ------------------------------------------------------------------------------------------ device and dtype

    /** This tensor on {@code device} (this tensor itself if already there); differentiable. */
    public Tensor to(Device device) {
        return device.equals(data.device()) ? this : new ElementwiseOps.ToDevice(device).apply(this);
    }

    /** This tensor converted to {@code dtype} (this tensor itself if already of it); differentiable between floats. */
    public Tensor toType(DType dtype) {
        return dtype == data.dtype() ? this : new ElementwiseOps.Cast(dtype).apply(this);
    }

    /** A contiguous tensor with the same values: this tensor if already contiguous. */
    public Tensor contiguous() {
        return data.isContiguous() ? this : clone();
    }

    /** A copy with its own storage (PyTorch's {@code clone}); differentiable. */
    @Override
    public Tensor clone() {
        return new ElementwiseOps.Copy().apply(this);
    }

    // ------------------------------------------------------------------------------------------ elementwise

    /** {@code this + other} with broadcasting. */
    public Tensor add(Tensor other) {
        return new ElementwiseOps.AddSub(BinaryOp.ADD).apply(this, other);
    }

    /** {@code this + s}. */
    public Tensor add(double s) {
        return new ElementwiseOps.AddScalar(s).apply(this);
    }

    /** {@code this - other} with broadcasting. */
    public Tensor sub(Tensor other) {
        return new ElementwiseOps.AddSub(BinaryOp.SUB).apply(this, other);
    }

    /** {@code this - s}. */
    public Tensor sub(double s) {
        return new ElementwiseOps.SubScalar(s).apply(this);
    }

    /** {@code s - this}. */
    public Tensor rsub(double s) {
        return neg().add(s);
    }

    /** {@code this * other} with broadcasting. */
    public Tensor mul(Tensor other) {
        return new ElementwiseOps.Mul().apply(this, other);
    }

    /** {@code this * s}. */
    public Tensor mul(double s) {
        return new ElementwiseOps.MulScalar(s).apply(this);
    }

    /** {@code this / other} with broadcasting (true division). */
    public Tensor div(Tensor other) {
        return new ElementwiseOps.Div().apply(this, other);
    }

    /** {@code this / s}. */
    public Tensor div(double s) {
        return new ElementwiseOps.DivScalar(s).apply(this);
    }

    /** {@code this ^ exponent} with broadcasting; differentiable in both (PyTorch's masking at 0). */
    public Tensor pow(Tensor exponent) {
        return new ElementwiseOps.Pow().apply(this, exponent);
    }

    /** {@code this ^ exponent}. */
    public Tensor pow(double exponent) {
        return new ElementwiseOps.PowScalar(exponent).apply(this);
    }

    /** Elementwise maximum; ties split the gradient evenly. */
    public Tensor maximum(Tensor other) {
        return new ElementwiseOps.MaxMin(BinaryOp.MAXIMUM).apply(this, other);
    }

    /** Elementwise minimum; ties split the gradient evenly. */
    public Tensor minimum(Tensor other) {
        return new ElementwiseOps.MaxMin(BinaryOp.MINIMUM).apply(this, other);
    }

    private Tensor unary(UnaryOp op) {
        return new ElementwiseOps.Unary(op).apply(this);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return unary(UnaryOp.NEG);
    }

    /** {@code |this|} (gradient 0 at 0). */
    public Tensor abs() {
        return unary(UnaryOp.ABS);
    }

    /** e^x. */
    public Tensor exp() {
        return unary(UnaryOp.EXP);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return unary(UnaryOp.LOG);
    }

    /** log(1 + x). */
    public Tensor log1p() {
        return unary(UnaryOp.LOG1P);
    }

    /** Square root (gradient inf at 0). */
    public Tensor sqrt() {
        return unary(UnaryOp.SQRT);
    }

    /** 1 / sqrt(x). */
    public Tensor rsqrt() {
        return unary(UnaryOp.RSQRT);
    }

    /** 1 / x. */
    public Tensor reciprocal() {
        return unary(UnaryOp.RECIPROCAL);
    }

    /** x * x. */
    public Tensor square() {
        return unary(UnaryOp.SQUARE);
    }

    /** Sine. */
    public Tensor sin() {
        return unary(UnaryOp.SIN);
    }

    /** Cosine. */
    public Tensor cos() {
        return unary(UnaryOp.COS);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return unary(UnaryOp.TANH);
    }

    /** Logistic sigmoid. */
    public Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID);
    }

    /** max(x, 0) (gradient 0 at 0). */
    public Tensor relu() {
        return unary(UnaryOp.RELU);
    }

    /** {@code x > 0 ? x : slope * x} (gradient {@code slope} at 0). */
    public Tensor leakyRelu(double slope) {
        return new ElementwiseOps.LeakyRelu(slope).apply(this);
    }

    /** Gauss error function. */
    public Tensor erf() {
        return unary(UnaryOp.ERF);
    }

    /** Clamps into {@code [min, max]} (infinities for one-sided); the gradient passes at the bounds. */
    public Tensor clamp(double min, double max) {
        return new ElementwiseOps.Clamp(min, max).apply(this);
    }

    // ------------------------------------------------------------------------------------------ non-differentiable

    /** -1, 0 or 1 (no grad). */
    public Tensor sign() {
        return new Tensor(data.unary(UnaryOp.SIGN));
    }

    /** Rounds down (no grad). */
    public Tensor floor() {
        return new Tensor(data.unary(UnaryOp.FLOOR));
    }

    /** Rounds up (no grad). */
    public Tensor ceil() {
        return new Tensor(data.unary(UnaryOp.CEIL));
    }

    /** Rounds half to even (no grad). */
    public Tensor round() {
        return new Tensor(data.unary(UnaryOp.ROUND));
    }

    /** BOOL {@code this == other}. */
    public Tensor eq(Tensor other) {
        return new Tensor(data.binary(BinaryOp.EQ, other.data));
    }

    /** BOOL {@code this == s}. */
    public Tensor eq(double s) {
        return new Tensor(data.binary(BinaryOp.EQ, s));
    }

    /** BOOL {@code this != other}. */
    public Tensor ne(Tensor other) {
        return new Tensor(data.binary(BinaryOp.NE, other.data));
    }

    /** BOOL {@code this != s}. */
    public Tensor ne(double s) {
        return new Tensor(data.binary(BinaryOp.NE, s));
    }

    /** BOOL {@code this < other}. */
    public Tensor lt(Tensor other) {
        return new Tensor(data.binary(BinaryOp.LT, other.data));
    }

    /** BOOL {@code this < s}. */
    public Tensor lt(double s) {
        return new Tensor(data.binary(BinaryOp.LT, s));
    }

    /** BOOL {@code this <= other}. */
    public Tensor le(Tensor other) {
        return new Tensor(data.binary(BinaryOp.LE, other.data));
    }

    /** BOOL {@code this <= s}. */
    public Tensor le(double s) {
        return new Tensor(data.binary(BinaryOp.LE, s));
    }

    /** BOOL {@code this > other}. */
    public Tensor gt(Tensor other) {
        return new Tensor(data.binary(BinaryOp.GT, other.data));
    }

    /** BOOL {@code this > s}. */
    public Tensor gt(double s) {
        return new Tensor(data.binary(BinaryOp.GT, s));
    }

    /** BOOL {@code this >= other}. */
    public Tensor ge(Tensor other) {
        return new Tensor(data.binary(BinaryOp.GE, other.data));
    }

    /** BOOL {@code this >= s}. */
    public Tensor ge(double s) {
        return new Tensor(data.binary(BinaryOp.GE, s));
    }

    /** Logical and (BOOL). */
    public Tensor logicalAnd(Tensor other) {
        return new Tensor(data.binary(BinaryOp.AND, other.data));
    }

    /** Logical or (BOOL). */
    public Tensor logicalOr(Tensor other) {
        return new Tensor(data.binary(BinaryOp.OR, other.data));
    }

    /** Logical not (BOOL). */
    public Tensor logicalNot() {
        return new Tensor(data.unary(UnaryOp.NOT));
    }

    /** BOOL: where NaN. */
    public Tensor isNaN() {
        return new Tensor(data.isNaN());
    }

    /** BOOL: where finite. */
    public Tensor isFinite() {
        return new Tensor(data.isFinite());
    }

    /** BOOL: where infinite. */
    public Tensor isInf() {
        return new Tensor(data.isInf());
    }

    /** BOOL: elementwise exclusive or of the truth values. */
    public Tensor logicalXor(Tensor other) {
        return new Tensor(data.binary(BinaryOp.XOR, other.data));
    }

    /** BOOL 0-d: whether any element is nonzero (false for an empty tensor). */
    public Tensor any() {
        return new Tensor(data.binary(BinaryOp.NE, 0).reduce(ReduceOp.SUM).binary(BinaryOp.GT, 0));
    }

    /** BOOL: whether any element along {@code dim} is nonzero. */
    public Tensor any(int dim, boolean keepDim) {
        return new Tensor(data.binary(BinaryOp.NE, 0).reduce(ReduceOp.SUM, new int[] {dim}, keepDim).binary(BinaryOp.GT, 0));
    }

    /** BOOL 0-d: whether every element is nonzero (true for an empty tensor). */
    public Tensor all() {
        return new Tensor(data.binary(BinaryOp.EQ, 0).reduce(ReduceOp.SUM).binary(BinaryOp.EQ, 0));
    }

    /** BOOL: whether every element along {@code dim} is nonzero. */
    public Tensor all(int dim, boolean keepDim) {
        return new Tensor(data.binary(BinaryOp.EQ, 0).reduce(ReduceOp.SUM, new int[] {dim}, keepDim).binary(BinaryOp.EQ, 0));
    }

    /**
     * BOOL: {@code |this - other| <= atol + rtol * |other|} elementwise with broadcasting, as {@code torch.isclose}:
     * equal values (infinities of one sign included) are close, NaN is close to NaN only if {@code equalNan}.
     * Integer inputs are compared in F64.
     */
    public Tensor isClose(Tensor other, double rtol, double atol, boolean equalNan) {
        if (rtol < 0 || atol < 0) {
            throw new IllegalArgumentException("isClose: rtol and atol must be >= 0, got rtol=" + rtol + " atol=" + atol);
        }
        DType t = DType.promote(data.dtype(), other.data.dtype());
        NDArray a = data.toType(t.isFloating() ? t : DType.F64);
        NDArray b = other.data.toType(a.dtype());
        NDArray error = a.binary(BinaryOp.SUB, b).unary(UnaryOp.ABS);
        NDArray close = a.binary(BinaryOp.EQ, b).binary(BinaryOp.OR, error.isFinite().binary(BinaryOp.AND, error.binary(BinaryOp.LE, b.unary(UnaryOp.ABS).binary(BinaryOp.MUL, rtol).binary(BinaryOp.ADD, atol))));
        if (equalNan) {
            close = close.binary(BinaryOp.OR, a.isNaN().binary(BinaryOp.AND, b.isNaN()));
        }
        return new Tensor(close);
    }

    /** {@link #isClose(Tensor, double, double, boolean)} with PyTorch's defaults: rtol 1e-5, atol 1e-8, NaN not close. */
    public Tensor isClose(Tensor other) {
        return isClose(other, 1e-5, 1e-8, false);
    }

    /** True if every pair of elements is close ({@code torch.allclose}); see {@link #isClose}. */
    public boolean allClose(Tensor other, double rtol, double atol) {
        return isClose(other, rtol, atol, false).all().item() != 0;
    }

    /** {@link #allClose(Tensor, double, double)} with PyTorch's defaults: rtol 1e-5, atol 1e-8. */
    public boolean allClose(Tensor other) {
        return allClose(other, 1e-5, 1e-8);
    }

    /** Flat index (I64, 0-d) of the first maximum. */
    public Tensor argmax() {
        return new Tensor(data.reduce(ReduceOp.ARGMAX));
    }

    /** Index (I64) of the first maximum along {@code dim}. */
    public Tensor argmax(int dim, boolean keepDim) {
        return new Tensor(data.reduce(ReduceOp.ARGMAX, dim, keepDim));
    }

    /** Flat index (I64, 0-d) of the first minimum. */
    public Tensor argmin() {
        return new Tensor(data.reduce(ReduceOp.ARGMIN));
    }

    /** Index (I64) of the first minimum along {@code dim}. */
    public Tensor argmin(int dim, boolean keepDim) {
        return new Tensor(data.reduce(ReduceOp.ARGMIN, dim, keepDim));
    }

    /**
     * I64 indices that sort this tensor along {@code dim} (stably: equal values keep their order; NaN sorts above every
     * number, {@code -0.0} equals {@code 0.0}), as {@code torch.argsort(stable=True)}. Computed on the host.
     */
    public Tensor argsort(int dim, boolean descending) {
        return new Tensor(Sorting.argsort("argsort", data, dim, descending));
    }

    /**
     * The values sorted along {@code dim} (differentiable: gathered from this tensor) and their indices, stably as
     * {@link #argsort}.
     */
    public ValuesIndices sort(int dim, boolean descending) {
        Tensor idx = new Tensor(Sorting.argsort("sort", data, dim, descending));
        return new ValuesIndices(dim() == 0 ? this : gather(dim, idx), idx);
    }

    /**
     * The {@code k} largest ({@code largest}) or smallest values along {@code dim}, in sorted order, and their indices
     * ({@code torch.topk(sorted=True)}; ties keep the lower index first). The values are differentiable.
     *
     * @throws IllegalArgumentException if {@code k} is negative or larger than the size of {@code dim}
     */
    public ValuesIndices topk(int k, int dim, boolean largest) {
        int n = dim() == 0 ? 1 : size(dim);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("topk: k must be in [0, " + n + "] for dim " + dim + " of "
                    + data.describe() + ", got " + k);
        }
        Tensor idx = new Tensor(Sorting.argsort("topk", data, dim, largest));
        if (dim() == 0) {
            return new ValuesIndices(this, idx);
        }
        idx = idx.narrow(dim, 0, k);
        return new ValuesIndices(gather(dim, idx), idx);
    }

    /**
     * One-hot encoding of an integer tensor of class indices: I64 {@code [..., numClasses]} with a 1 at each index
     * ({@code torch.nn.functional.one_hot}); a negative {@code numClasses} means the largest index plus one.
     *
     * @throws IllegalArgumentException if this tensor is not I64/I32 or holds an index outside {@code [0, numClasses)}
     */
    public Tensor oneHot(int numClasses) {
        String op = "oneHot";
        if (data.dtype() != DType.I64 && data.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": classes must be an integer tensor (I64 or I32), got " + data.describe());
        }
        boolean empty = data.numel() == 0;
        long hi = empty ? -1 : data.reduce(ReduceOp.MAX).itemLong();
        long lo = empty ? 0 : data.reduce(ReduceOp.MIN).itemLong();
        int n = numClasses < 0 ? (int) hi + 1 : numClasses;
        if (lo < 0 || hi >= n) {
            throw new IllegalArgumentException(op + ": class values must be in [0, " + n + "), got range [" + lo + ", " + hi
                    + "] in " + data.describe());
        }
        NDArray classes = NDArray.arange(0, n, 1, data.device());
        return new Tensor(data.unsqueeze(-1).toType(DType.I64).binary(BinaryOp.EQ, classes).toType(DType.I64));
    }

    // ------------------------------------------------------------------------------------------ reductions

    /** Sum of all elements (0-d). */
    public Tensor sum() {
        return new ReductionOps.Sum(null, false).apply(this);
    }

    /** Sum over {@code dim}, removing it. */
    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

    /** Sum over {@code dim}. */
    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    /** Sum over {@code dims} ({@code null}: all). */
    public Tensor sum(int[] dims, boolean keepDim) {
        return new ReductionOps.Sum(dims, keepDim).apply(this);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        return mean(null, false);
    }

    /** Mean over {@code dim}. */
    public Tensor mean(int dim, boolean keepDim) {
        return mean(new int[] {dim}, keepDim);
    }

    /** Mean over {@code dims} ({@code null}: all). */
    public Tensor mean(int[] dims, boolean keepDim) {
        return new ReductionOps.Mean(dims, keepDim).apply(this);
    }

    /** Product of all elements. */
    public Tensor prod() {
        return prod(null, false);
    }

    /** Product over {@code dim}. */
    public Tensor prod(int dim, boolean keepDim) {
        return prod(new int[] {dim}, keepDim);
    }

    /** Product over {@code dims} ({@code null}: all); zeros are handled exactly in backward. */
    public Tensor prod(int[] dims, boolean keepDim) {
        return new ReductionOps.Prod(dims, keepDim).apply(this);
    }

    /** Maximum of all elements; the gradient is split evenly among ties. */
    public Tensor max() {
        return new ReductionOps.AMaxMin(null, false, true).apply(this);
    }

    /** Maximum over {@code dim}; the gradient goes to the first maximal element ({@link #argmax(int, boolean)}). */
    public Tensor max(int dim, boolean keepDim) {
        return new ReductionOps.MaxMinDim(dim, keepDim, true).apply(this);
    }

    /** Maximum over {@code dims} ({@code null}: all); the gradient is split evenly among ties. */
    public Tensor amax(int[] dims, boolean keepDim) {
        return new ReductionOps.AMaxMin(dims, keepDim, true).apply(this);
    }

    /** Minimum of all elements; the gradient is split evenly among ties. */
    public Tensor min() {
        return new ReductionOps.AMaxMin(null, false, false).apply(this);
    }

    /** Minimum over {@code dim}; the gradient goes to the first minimal element. */
    public Tensor min(int dim, boolean keepDim) {
        return new ReductionOps.MaxMinDim(dim, keepDim, false).apply(this);
    }

    /** Minimum over {@code dims} ({@code null}: all); the gradient is split evenly among ties. */
    public Tensor amin(int[] dims, boolean keepDim) {
        return new ReductionOps.AMaxMin(dims, keepDim, false).apply(this);
    }

    /** Unbiased variance of all elements. */
    public Tensor var() {
        return var(null, 1, false);
    }

    /** Variance over {@code dims} ({@code null}: all) dividing by {@code N - correction}. */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return new ReductionOps.Var(dims, correction, keepDim).apply(this);
    }

    /** Unbiased standard deviation of all elements. */
    public Tensor std() {
        return var().sqrt();
    }

    /** Standard deviation over {@code dims}: the square root of {@link #var(int[], int, boolean)}. */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    /** {@code log(sum(exp(x)))} over {@code dim}, computed stably. */
    public Tensor logSumExp(int dim, boolean keepDim) {
        return logSumExp(new int[] {dim}, keepDim);
    }

    /** {@code log(sum(exp(x)))} over {@code dims} ({@code null}: all). */
    public Tensor logSumExp(int[] dims, boolean keepDim) {
        return new ReductionOps.LogSumExp(dims, keepDim).apply(this);
    }

    /** Softmax along {@code dim}. */
    public Tensor softmax(int dim) {
        return new ReductionOps.Softmax(dim, false).apply(this);
    }

    /** Log-softmax along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return new ReductionOps.Softmax(dim, true).apply(this);
    }

    /** Sums this tensor down to {@code shape}, which must broadcast to this shape (the adjoint of expand). */
    public Tensor sumTo(int... shape) {
        int[] have = data.shape();
        if (Arrays.equals(have, shape)) {
            return this;
        }
        if (!Dims.broadcastsTo(shape, have)) {
            throw new IllegalArgumentException("sumTo: shape " + Dims.str(shape) + " does not broadcast to " + data.describe());
        }
        return new ViewOps.SumTo(shape.clone()).apply(this);
    }

    // ------------------------------------------------------------------------------------------ views

    private Tensor reshaped(String name, NDArray result) {
        if (!requiresGrad) {
            return new Tensor(result);
        }
        return new ViewOps.Reshape(name, result).apply(this);
    }

    /** A view with a new shape (one entry may be -1); throws if the strides need a copy (use {@link #reshape}). */
    public Tensor view(int... shape) {
        return reshaped("View", data.view(shape));
    }

    /** A view with a new shape when possible, otherwise a copy. */
    public Tensor reshape(int... shape) {
        return reshaped("Reshape", data.reshape(shape));
    }

    /** Flattens to 1-D. */
    public Tensor flatten() {
        return reshaped("Flatten", data.flatten());
    }

    /** Merges dims {@code startDim} to the last ({@code torch.flatten(x, start_dim)}; negative counts from the end). */
    public Tensor flatten(int startDim) {
        return flatten(startDim, -1);
    }

    /** Merges dims {@code startDim..endDim}. */
    public Tensor flatten(int startDim, int endDim) {
        return reshaped("Flatten", data.flatten(startDim, endDim));
    }

    /** Splits dimension {@code dim} into {@code sizes}. */
    public Tensor unflatten(int dim, int... sizes) {
        return reshaped("Unflatten", data.unflatten(dim, sizes));
    }

    /** Removes every size-1 dimension. */
    public Tensor squeeze() {
        return reshaped("Squeeze", data.squeeze());
    }

    /** Removes dimension {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) {
        return reshaped("Squeeze", data.squeeze(dim));
    }

    /** Inserts a size-1 dimension at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        return reshaped("Unsqueeze", data.unsqueeze(dim));
    }

    /** Reorders the dimensions. */
    public Tensor permute(int... dims) {
        NDArray r = data.permute(dims);
        if (!requiresGrad) {
            return new Tensor(r);
        }
        return new ViewOps.Permute(r, Dims.inversePermutation(dims, data.dim(), data.shape())).apply(this);
    }

    /** Swaps two dimensions. */
    public Tensor transpose(int dim0, int dim1) {
        NDArray r = data.transpose(dim0, dim1);
        if (!requiresGrad || data.dim() == 0) {
            return data.dim() == 0 ? this : new Tensor(r);
        }
        int[] shape = data.shape();
        int[] perm = Dims.allDims(shape.length);
        int a = Dims.norm("transpose", dim0, shape.length, shape);
        int b = Dims.norm("transpose", dim1, shape.length, shape);
        perm[a] = b;
        perm[b] = a;
        return new ViewOps.Permute(r, perm).apply(this);
    }

    /** The transpose of a matrix (tensors of fewer than 2 dims are returned as is). */
    public Tensor t() {
        if (data.dim() > 2) {
            throw new IllegalArgumentException("t: expects a tensor of at most 2 dims, got " + data.describe() + "; use transpose");
        }
        return data.dim() < 2 ? this : transpose(0, 1);
    }

    /** Python-style slice of {@code dim} (negative bounds count from the end, out-of-range bounds clamp). */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** Python-style slice with a step (negative steps walk backwards). */
    public Tensor slice(int dim, int start, int end, int step) {
        return new ViewOps.Slice(dim, start, end, step).apply(this);
    }

    /** {@code length} elements of {@code dim} from {@code start} (bounds checked). */
    public Tensor narrow(int dim, int start, int length) {
        data.narrow(dim, start, length); // validates
        int st = start < 0 ? start + data.size(dim) : start;
        return new ViewOps.Slice(dim, st, st + length, 1).apply(this);
    }

    /** The slice at {@code index} of {@code dim}, which is removed. */
    public Tensor select(int dim, int index) {
        return new ViewOps.Select(dim, index).apply(this);
    }

    /** A broadcast view to {@code sizes} (-1 keeps a size); the gradient is summed back. */
    public Tensor expand(int... sizes) {
        return new ViewOps.Expand(sizes.clone()).apply(this);
    }

    /** {@link #expand} to {@code other}'s shape. */
    public Tensor expandAs(Tensor other) {
        return expand(other.data.shape());
    }

    /** Pieces of {@code splitSize} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int splitSize, int dim) {
        return pieces(data.split(splitSize, dim), dim);
    }

    /** Pieces with the given sizes along {@code dim}. */
    public List<Tensor> split(int[] sizes, int dim) {
        return pieces(data.split(sizes, dim), dim);
    }

    /** At most {@code chunks} pieces along {@code dim}, as {@code torch.chunk}. */
    public List<Tensor> chunk(int chunks, int dim) {
        return pieces(data.chunk(chunks, dim), dim);
    }

    private List<Tensor> pieces(List<NDArray> views, int dim) {
        List<Tensor> out = new ArrayList<>(views.size());
        int at = 0;
        for (NDArray v : views) {
            int len = v.size(dim);
            out.add(narrow(dim, at, len));
            at += len;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ copies

    /** Concatenates along {@code dim}. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        return new ShapeCopyOps.Cat(dim).apply(tensors.toArray(new Tensor[0]));
    }

    /** Stacks same-shaped tensors along a new dimension {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        NDArray first = tensors.get(0).data;
        List<Tensor> u = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (!Arrays.equals(t.data.shape(), first.shape())) {
                throw new IllegalArgumentException("stack: all tensors must have the same shape, got " + first.describe() + " and "
                        + t.data.describe());
            }
            u.add(t.unsqueeze(dim));
        }
        return cat(u, Dims.norm("stack", dim, first.dim() + 1, first.shape()));
    }

    /** Zero padding, PyTorch style: {@code {left, right}} for the last dim, then {@code {top, bottom}}, ...; negative pads crop. */
    public Tensor pad(int... pad) {
        return pad(pad, PadMode.CONSTANT, 0);
    }

    /** Padding with a {@link PadMode}; constant mode uses {@code value}. */
    public Tensor pad(int[] pad, PadMode mode, double value) {
        if (mode == PadMode.CONSTANT) {
            return new ShapeCopyOps.Pad(pad.clone(), value).apply(this);
        }
        if (!requiresGrad || !Autograd.isGradEnabled()) {
            return new Tensor(data.pad(pad, mode, value));
        }
        data.pad(pad, mode, value); // validates (cheap relative to the composite below, and only when recording)
        Tensor r = this;
        int[] shape = data.shape();
        for (int i = 0; i < pad.length / 2; i++) {
            int d = shape.length - 1 - i;
            int before = pad[2 * i];
            int after = pad[2 * i + 1];
            if (before == 0 && after == 0) {
                continue;
            }
            int n = shape[d];
            long[] idx = new long[before + n + after];
            for (int j = 0; j < idx.length; j++) {
                int k = j - before;
                if (mode == PadMode.REFLECT) {
                    idx[j] = k < 0 ? -k : k >= n ? 2L * (n - 1) - k : k;
                } else if (mode == PadMode.REPLICATE) {
                    idx[j] = Math.max(0, Math.min(n - 1, k));
                } else {
                    idx[j] = ((k % n) + n) % n;
                }
            }
            r = r.indexSelect(d, new Tensor(NDArray.of(idx).to(data.device())));
        }
        return r;
    }

    /** Reverses the order of elements along each of {@code dims}. */
    public Tensor flip(int... dims) {
        return new ShapeCopyOps.Flip(dims.clone()).apply(this);
    }

    /** Tiles the tensor, as {@code torch.Tensor.repeat}. */
    public Tensor repeat(int... repeats) {
        return new ShapeCopyOps.Repeat(repeats.clone()).apply(this);
    }

    // ------------------------------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with PyTorch's matmul rules (1-D operands, broadcast batch dims). Inside an autocast scope its
     * F32 operands are rounded to the scope's 16-bit dtype first ({@link Autograd#autocastOperand}).
     */
    public Tensor matmul(Tensor other) {
        return new LinalgOps.Matmul(false).apply(Autograd.autocastOperand(this), Autograd.autocastOperand(other));
    }

    /** Batched matrix product {@code [B,M,K] @ [B,K,N]}, autocast as {@link #matmul}. */
    public Tensor bmm(Tensor other) {
        return new LinalgOps.Matmul(true).apply(Autograd.autocastOperand(this), Autograd.autocastOperand(other));
    }

    // ------------------------------------------------------------------------------------------ indexing

    /** {@code out[i] = this[i with i[dim] = index[i]]}; {@code index} is an integer tensor of this rank. */
    public Tensor gather(int dim, Tensor index) {
        return new IndexingOps.Gather(dim, index.data).apply(this);
    }

    /** A copy of this with {@code src} added at the positions of {@code index} along {@code dim}. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return new IndexingOps.ScatterAdd(dim, index.data).apply(this, src);
    }

    /** Slices along {@code dim} picked by a 1-D integer {@code index}. */
    public Tensor indexSelect(int dim, Tensor index) {
        return new IndexingOps.IndexSelect(dim, index.data).apply(this);
    }

    /** {@code torch.take_along_dim}: {@code index} broadcasts against this except along {@code dim}. */
    public Tensor takeAlongDim(Tensor index, int dim) {
        int d = Dims.norm("takeAlongDim", dim, data.dim(), data.shape());
        if (index.dim() != data.dim()) {
            throw new IllegalArgumentException("takeAlongDim: index " + index.data.describe() + " must have the rank of "
                    + data.describe());
        }
        int[] a = data.shape();
        int[] b = index.data.shape();
        int[] sa = a.clone();
        int[] sb = b.clone();
        for (int i = 0; i < a.length; i++) {
            if (i != d) {
                int m = a[i] == 1 ? b[i] : a[i];
                if (b[i] != 1 && b[i] != m) {
                    throw new IllegalArgumentException("takeAlongDim: index " + index.data.describe() + " does not broadcast "
                            + "against " + data.describe() + " outside dimension " + dim);
                }
                sa[i] = m;
                sb[i] = m;
            }
        }
        return expand(sa).gather(d, new Tensor(index.data.expand(sb)));
    }

    /** A copy with {@code value} where the BOOL {@code mask} (broadcastable to this shape) is true. */
    public Tensor maskedFill(Tensor mask, double value) {
        return new IndexingOps.MaskedFill(mask.data, value).apply(this);
    }

    /** {@code cond ? a : b} elementwise with broadcasting; {@code cond} is BOOL. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return new IndexingOps.Where(cond.data).apply(a, b);
    }

    // ------------------------------------------------------------------------------------------ in place

    private Tensor inPlace(String op, Tensor other, Supplier<Function> fn, Runnable raw) {
        boolean track = requiresGrad || (other != null && other.requiresGrad);
        if (!track || !GradMode.current().enabled) {
            raw.run();
            return this;
        }
        if (requiresGrad && gradFn == null) {
            throw new IllegalStateException(op + ": a leaf tensor that requires grad (" + data.describe() + ") cannot be "
                    + "modified in place while grad mode is on; do it inside Autograd.noGrad() (as optimizers do)");
        }
        Tensor old = new Tensor(data.copy());
        old.gradFn = gradFn;
        old.requiresGrad = requiresGrad;
        Tensor r = other == null ? fn.get().apply(old) : fn.get().apply(old, other);
        if (!Arrays.equals(r.data.shape(), data.shape())) {
            throw new IllegalArgumentException(op + ": " + other.data.describe() + " does not broadcast to " + data.describe());
        }
        data.copyFrom(r.data);
        gradFn = r.gradFn;
        requiresGrad = r.requiresGrad;
        return this;
    }

    /** {@code this += other}; returns this. */
    public Tensor addInPlace(Tensor other) {
        return inPlace("addInPlace", other, () -> new ElementwiseOps.AddSub(BinaryOp.ADD), () -> data.binaryInPlace(BinaryOp.ADD, other.data));
    }

    /** {@code this += s}; returns this. */
    public Tensor addInPlace(double s) {
        return inPlace("addInPlace", null, () -> new ElementwiseOps.AddScalar(s), () -> data.binaryInPlace(BinaryOp.ADD, s));
    }

    /** {@code this -= other}; returns this. */
    public Tensor subInPlace(Tensor other) {
        return inPlace("subInPlace", other, () -> new ElementwiseOps.AddSub(BinaryOp.SUB), () -> data.binaryInPlace(BinaryOp.SUB, other.data));
    }

    /** {@code this -= s}; returns this. */
    public Tensor subInPlace(double s) {
        return inPlace("subInPlace", null, () -> new ElementwiseOps.SubScalar(s), () -> data.binaryInPlace(BinaryOp.SUB, s));
    }

    /** {@code this *= other}; returns this. */
    public Tensor mulInPlace(Tensor other) {
        return inPlace("mulInPlace", other, ElementwiseOps.Mul::new, () -> data.binaryInPlace(BinaryOp.MUL, other.data));
    }

    /** {@code this *= s}; returns this. */
    public Tensor mulInPlace(double s) {
        return inPlace("mulInPlace", null, () -> new ElementwiseOps.MulScalar(s), () -> data.binaryInPlace(BinaryOp.MUL, s));
    }

    /** {@code this /= other}; returns this. */
    public Tensor divInPlace(Tensor other) {
        return inPlace("divInPlace", other, ElementwiseOps.Div::new, () -> data.binaryInPlace(BinaryOp.DIV, other.data));
    }

    /** {@code this /= s}; returns this. */
    public Tensor divInPlace(double s) {
        return inPlace("divInPlace", null, () -> new ElementwiseOps.DivScalar(s), () -> data.binaryInPlace(BinaryOp.DIV, s));
    }

    /** Clamps in place; returns this. */
    public Tensor clampInPlace(double min, double max) {
        return inPlace("clampInPlace", null, () -> new ElementwiseOps.Clamp(min, max), () -> data.clampInPlace(min, max));
    }

    /** Sets every element to {@code value}; returns this. */
    public Tensor fillInPlace(double value) {
        return inPlace("fillInPlace", null, () -> new ElementwiseOps.Fill(value), () -> data.fillInPlace(value));
    }

    /** Sets every element to zero; returns this. */
    public Tensor zeroInPlace() {
        return fillInPlace(0);
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor; returns this. */
    public Tensor copyFrom(Tensor src) {
        return inPlace("copyFrom", src, ElementwiseOps.Overwrite::new, () -> data.copyFrom(src.data));
    }
}
