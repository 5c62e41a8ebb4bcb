package dev.kasane.tensor;

import dev.kasane.tensor.spi.Backend;
import dev.kasane.tensor.spi.Backends;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.Storage;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static dev.kasane.tensor.Checks.checkSameDevice;
import static dev.kasane.tensor.Checks.requireIndex;

/**
 * An N-dimensional array: a strided view (shape, strides, offset) over a {@link Storage} of one dtype on one
 * device. This is the array that backends, kernels and op implementations see (as ATen's tensor is to
 * {@code torch.Tensor}); users work with {@code dev.kasane.autograd.Tensor}, which has every op by name. NDArray keeps
 * storage, views, creation and the primitives, named by the backend SPI's enums: {@link #unary(UnaryOp)},
 * {@link #binary(BinaryOp, NDArray)}, {@link #binaryInPlace(BinaryOp, NDArray)}, {@link #reduce(ReduceOp, int[],
 * boolean)}, {@link #where}, {@link #matmul}, {@link #gather}, {@link #scatterAddInPlace}, {@link #conv2d},
 * {@link #maxPool2d}. The kernels of single layers and optimizers (batch norm, the ReLU family, Adam's step) are in
 * {@link BatchNorm}, {@link Activations} and {@link AdamStep}.
 *
 * <p>Ops return new arrays and never modify their inputs; the in-place variants end in {@code InPlace} (or are
 * {@link #copyFrom} and {@link #fillInPlace}) and bump the storage's version counter. View ops ({@link #view},
 * {@link #permute}, {@link #transpose}, {@link #slice}, {@link #narrow}, {@link #select}, {@link #expand},
 * {@link #squeeze}, {@link #unsqueeze}, {@link #split}, ...) share storage with their source. Negative dimension
 * indices count from the end. Elementwise ops broadcast as NumPy and PyTorch do and promote dtypes along
 * BOOL &lt; U8 &lt; I32 &lt; I64 &lt; F32 &lt; F64.
 *
 * <p>Every op checks its arguments and throws {@link IllegalArgumentException} naming the op, the shapes, dtypes and
 * device involved.
 *
 * <pre>{@code
 * NDArray a = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * NDArray b = NDArray.arange(3).toType(DType.F32);
 * NDArray c = a.binary(BinaryOp.ADD, b).matmul(a.transpose(0, 1));   // [2, 2]
 * double s = c.reduce(ReduceOp.SUM).item();
 * }</pre>
 */
public final class NDArray {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private NDArray(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** The storage this array views. */
    public Storage storage() {
        return storage;
    }

    /** Offset of element (0, ..., 0) in the storage, in elements. */
    public int offset() {
        return offset;
    }

    /** Number of dimensions (0 for a scalar). */
    public int dim() {
        return shape.length;
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape[Shapes.dim("size", d, shape.length, this::describe)];
    }

    /** Stride of dimension {@code d} in elements (negative counts from the end). */
    public int stride(int d) {
        return strides[Shapes.dim("stride", d, shape.length, this::describe)];
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return strides.clone();
    }

    /** Number of elements (every array has at most {@code Integer.MAX_VALUE}: the ops that make shapes check it). */
    public int numel() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Element type. */
    public DType dtype() {
        return storage.dtype();
    }

    /** The device holding the storage. */
    public Device device() {
        return storage.device();
    }

    /** The storage's version counter (bumped by in-place writes to any view of it). */
    public int version() {
        return storage.version();
    }

    /** True if the elements are laid out densely in row-major order (size-1 dims may have any stride). */
    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    /** True if this and {@code other} view the same storage. */
    public boolean sharesStorageWith(NDArray other) {
        return storage == other.storage;
    }

    /** The backend owning this array's storage (for the layer kernels of this package). */
    Backend backend() {
        return storage.backend();
    }

    /** This array's shape, strides and offset for the package's collaborators (arrays shared: read them only). */
    Layout layout() {
        return new Layout(shape, strides, offset);
    }

    /** A view of this array's storage with layout {@code l}, unchecked. */
    private NDArray viewOf(Layout l) {
        return new NDArray(storage, l.shape(), l.strides(), l.offset());
    }

    /** "[2, 3] F32 cpu": shape, dtype and device, for error messages. */
    public String describe() {
        return Shapes.str(shape) + " " + dtype() + " " + device();
    }

    // ------------------------------------------------------------------------------------------ creation

    /**
     * An array of the given shape with unspecified contents.
     *
     * @throws IllegalArgumentException if a size is negative, the shape has more than {@code Integer.MAX_VALUE}
     *     elements, or the device cannot hold an array that large
     * @throws IllegalStateException if the device (for the CPU, the Java heap) has no memory left for it
     */
    public static NDArray empty(DType dtype, Device device, int... shape) {
        return empty("empty", dtype, device, shape);
    }

    /** {@link #empty(DType, Device, int...)} reporting errors under the name {@code op}. */
    static NDArray empty(String op, DType dtype, Device device, int... shape) {
        Objects.requireNonNull(dtype, op + ": dtype");
        Objects.requireNonNull(device, op + ": device");
        int[] s = shape.clone();
        Backend b = Backends.forDevice(device);
        Storage st = Allocation.of(op, dtype, device, s, n -> b.allocate(device, dtype, n));
        return new NDArray(st, s, Shapes.contiguousStrides(s), 0);
    }

    /** Zeros of {@code dtype} on {@code device}. */
    public static NDArray zeros(DType dtype, Device device, int... shape) {
        return full("zeros", 0, dtype, device, shape);
    }

    /** Ones of {@code dtype} on {@code device}. */
    public static NDArray ones(DType dtype, Device device, int... shape) {
        return full("ones", 1, dtype, device, shape);
    }

    /** An array of the default dtype filled with {@code value} on the default device. */
    public static NDArray full(double value, int... shape) {
        return full(value, DType.getDefault(), Device.getDefault(), shape);
    }

    /** Array of {@code dtype} filled with {@code value} on {@code device}. */
    public static NDArray full(double value, DType dtype, Device device, int... shape) {
        return full("full", value, dtype, device, shape);
    }

    /** {@link #full(double, DType, Device, int...)} reporting errors under the name {@code op}. */
    static NDArray full(String op, double value, DType dtype, Device device, int... shape) {
        NDArray out = empty(op, dtype, device, shape);
        out.fillUnchecked(value);
        return out;
    }

    /** Zeros with this array's shape, dtype and device. */
    public NDArray zerosLike() {
        return full("zerosLike", 0, dtype(), device(), shape);
    }

    /** Ones with this array's shape, dtype and device. */
    public NDArray onesLike() {
        return full("onesLike", 1, dtype(), device(), shape);
    }

    /** {@code value} everywhere, with this array's shape, dtype and device. */
    public NDArray fullLike(double value) {
        return full("fullLike", value, dtype(), device(), shape);
    }

    /** A 0-d array of the default dtype on the default device. */
    public static NDArray scalar(double value) {
        return scalar(value, DType.getDefault(), Device.getDefault());
    }

    /** A 0-d array of {@code dtype} on {@code device}. */
    public static NDArray scalar(double value, DType dtype, Device device) {
        NDArray out = empty(dtype, device);
        out.backend().fill(out, value);
        return out;
    }

    /** A 0-d I64 array holding {@code value} exactly. */
    public static NDArray scalar(long value, Device device) {
        NDArray out = empty(DType.I64, device);
        out.backend().fill(out, value);
        return out;
    }

    /** F32 array with a copy of {@code data} on the default device; the shape defaults to {@code [data.length]}. */
    public static NDArray of(float[] data, int... shape) {
        return fromHost(data.clone(), DType.F32, Device.getDefault(), HostArrays.shapeOr(data.length, shape));
    }

    /** F64 array with a copy of {@code data}. */
    public static NDArray of(double[] data, int... shape) {
        return fromHost(data.clone(), DType.F64, Device.getDefault(), HostArrays.shapeOr(data.length, shape));
    }

    /** I32 array with a copy of {@code data}. */
    public static NDArray of(int[] data, int... shape) {
        return fromHost(data.clone(), DType.I32, Device.getDefault(), HostArrays.shapeOr(data.length, shape));
    }

    /** I64 array with a copy of {@code data}. */
    public static NDArray of(long[] data, int... shape) {
        return fromHost(data.clone(), DType.I64, Device.getDefault(), HostArrays.shapeOr(data.length, shape));
    }

    /** BOOL array with a copy of {@code data}. */
    public static NDArray of(boolean[] data, int... shape) {
        return fromHost(HostArrays.bytes(data), DType.BOOL, Device.getDefault(), HostArrays.shapeOr(data.length, shape));
    }

    /** U8 array with a copy of {@code data} (bytes read as unsigned 0..255). */
    public static NDArray ofUnsignedBytes(byte[] data, int... shape) {
        return fromHost(data.clone(), DType.U8, Device.getDefault(), HostArrays.shapeOr(data.length, shape));
    }

    /**
     * An array over a host array that the caller hands over (not copied on the CPU: do not modify it afterwards).
     *
     * @param hostArray float[], double[], int[], long[], or byte[] for BOOL/U8, matching {@code dtype}
     */
    public static NDArray fromHost(Object hostArray, DType dtype, Device device, int... shape) {
        Objects.requireNonNull(hostArray, "hostArray");
        int[] s = shape.clone();
        HostArrays.checkFromHost(hostArray, dtype, s);
        Backend b = Backends.forDevice(device);
        Storage st = Allocation.of("fromHost", dtype, device, s, n -> b.upload(device, dtype, hostArray));
        return new NDArray(st, s, Shapes.contiguousStrides(s), 0);
    }

    /** {@code [0, 1, ..., end-1]} as I64. */
    public static NDArray arange(long end) {
        return arange(0, end, 1);
    }

    /** {@code start, start+step, ...} below {@code end} (above, for a negative step) as I64 on the default device. */
    public static NDArray arange(long start, long end, long step) {
        return arange(start, end, step, Device.getDefault());
    }

    /** I64 {@code start, start+step, ...} below {@code end} on {@code device}. */
    public static NDArray arange(long start, long end, long step, Device device) {
        return Factories.arange(start, end, step, device);
    }

    /** {@code start, start+step, ...} below {@code end} in the default dtype, as {@code torch.arange} with float arguments. */
    public static NDArray arange(double start, double end, double step) {
        return Factories.arange(start, end, step);
    }

    /** {@code steps} evenly spaced values of the default dtype from {@code start} to {@code end} inclusive. */
    public static NDArray linspace(double start, double end, int steps) {
        return Factories.linspace(start, end, steps);
    }

    /** Identity matrix {@code n x n} of the default dtype. */
    public static NDArray eye(int n) {
        return eye(n, n, DType.getDefault(), Device.getDefault());
    }

    /** Identity-like matrix {@code n x m}: ones on the main diagonal. */
    public static NDArray eye(int n, int m, DType dtype, Device device) {
        return Factories.eye(n, m, dtype, device);
    }

    // ------------------------------------------------------------------------------------------ random

    /** Uniform values in [0, 1) of the default dtype from the global generator. */
    public static NDArray rand(int... shape) {
        return uniform(Generator.global(), 0, 1, DType.getDefault(), Device.getDefault(), shape);
    }

    /** Standard normal values of the default dtype from the global generator. */
    public static NDArray randn(int... shape) {
        return normal(Generator.global(), 0, 1, DType.getDefault(), Device.getDefault(), shape);
    }

    /** Uniform values in [lo, hi) of a float dtype. */
    public static NDArray uniform(Generator gen, double lo, double hi, DType dtype, Device device, int... shape) {
        return Factories.uniform(gen, lo, hi, dtype, device, shape);
    }

    /** Normal values of a float dtype with the given mean and standard deviation. */
    public static NDArray normal(Generator gen, double mean, double std, DType dtype, Device device, int... shape) {
        return Factories.normal(gen, mean, std, dtype, device, shape);
    }

    /** I64 values uniform in [low, high) from the global generator. */
    public static NDArray randint(long low, long high, int... shape) {
        return randint(Generator.global(), low, high, Device.getDefault(), shape);
    }

    /** I64 values uniform in [low, high). */
    public static NDArray randint(Generator gen, long low, long high, Device device, int... shape) {
        return Factories.randint(gen, low, high, device, shape);
    }

    /** A random permutation of {@code 0..n-1} as I64, from the global generator. */
    public static NDArray randperm(int n) {
        return randperm(Generator.global(), n, Device.getDefault());
    }

    /** A random permutation of {@code 0..n-1} as I64 (Fisher-Yates). */
    public static NDArray randperm(Generator gen, int n, Device device) {
        return Factories.randperm(gen, n, device);
    }

    /** Draws 0 or 1 with this array's values as probabilities (in [0, 1]); same dtype as this. */
    public NDArray bernoulli(Generator gen) {
        return Factories.bernoulli(this, gen);
    }

    /** {@link #bernoulli(Generator)} with the global generator. */
    public NDArray bernoulli() {
        return bernoulli(Generator.global());
    }

    // ------------------------------------------------------------------------------------------ reading values

    /** The single element of a one-element array, as a double. */
    public double item() {
        Checks.oneElement("item", this);
        return toDoubleArray()[0];
    }

    /** The single element of a one-element integer array, as an exact long. */
    public long itemLong() {
        Checks.oneElement("itemLong", this);
        return toLongArray()[0];
    }

    /** The element at {@code index} (one index per dimension, negatives count from the end), as a double. */
    public double get(int... index) {
        return element("get", index).item();
    }

    /** The element at {@code index} as an exact long. */
    public long getLong(int... index) {
        return element("getLong", index).itemLong();
    }

    private NDArray element(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for " + describe() + ", got "
                    + Arrays.toString(index));
        }
        NDArray a = this;
        for (int i = index.length - 1; i >= 0; i--) {
            a = a.select(i, index[i]);
        }
        return a;
    }

    /** Copies the elements in row-major order into a new host array of this dtype's host type. */
    public Object toHostArray() {
        Object out = Allocation.of("toHostArray", dtype(), Device.CPU, shape, dtype()::newHostArray);
        if (numel() > 0) {
            backend().download(this, out);
        }
        return out;
    }

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return HostArrays.toFloatArray(this);
    }

    /** The elements in row-major order, converted to double (U8 read as 0..255). */
    public double[] toDoubleArray() {
        return HostArrays.toDoubleArray(this);
    }

    /** The elements in row-major order as longs (floats truncate toward zero). */
    public long[] toLongArray() {
        return HostArrays.toLongArray(this);
    }

    /** The elements in row-major order as ints (floats truncate toward zero). */
    public int[] toIntArray() {
        return HostArrays.toIntArray(this);
    }

    /** The elements in row-major order as booleans ({@code != 0}). */
    public boolean[] toBooleanArray() {
        return HostArrays.toBooleanArray(this);
    }

    /** PyTorch-style text: values (abbreviated past 1000 elements), shape, dtype and device. */
    @Override
    public String toString() {
        return ArrayFormatter.format(this);
    }

    // ------------------------------------------------------------------------------------------ device and dtype

    /** This array on {@code device} (this array itself if already there). */
    public NDArray to(Device device) {
        return device.equals(device()) ? this : fromHost(contiguous().toHostArray(), dtype(), device, shape);
    }

    /** This array converted to {@code dtype} (this array itself if already of that dtype). */
    public NDArray toType(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        NDArray out = empty("toType", dtype, device(), shape);
        backend().copy(this, out);
        return out;
    }

    /** A contiguous array with the same values: this array if already contiguous. */
    public NDArray contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A new contiguous array with the same values (never shares storage). */
    public NDArray copy() {
        NDArray out = empty("copy", dtype(), device(), shape);
        backend().copy(this, out);
        return out;
    }

    // ------------------------------------------------------------------------------------------ views

    /** A view with a new shape (one entry may be -1); throws if the strides do not allow it without a copy. */
    public NDArray view(int... newShape) {
        return viewOf(Geometry.view(this, newShape));
    }

    /** {@link #view} when possible, otherwise a contiguous copy with the new shape. */
    public NDArray reshape(int... newShape) {
        int[] s = Shapes.inferSize("reshape", newShape, numel(), this::describe);
        int[] st = Shapes.viewStrides(shape, strides, s);
        return st != null ? new NDArray(storage, s, st, offset) : copy().viewOf(new Layout(s, Shapes.contiguousStrides(s), 0));
    }

    /** Reorders the dimensions: {@code dims} is a permutation of {@code 0..dim()-1}. */
    public NDArray permute(int... dims) {
        return viewOf(Geometry.permute(this, dims));
    }

    /** Swaps two dimensions. */
    public NDArray transpose(int dim0, int dim1) {
        return shape.length == 0 ? this : viewOf(Geometry.transpose(this, dim0, dim1));
    }

    /** The transpose of a matrix (an array of at most 2 dims is returned transposed or as is). */
    public NDArray t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t: expects an array of at most 2 dims, got " + describe() + "; use transpose");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /**
     * Elements {@code start, start+step, ...} of dimension {@code dim} up to (excluding) {@code end}, with Python
     * slice semantics: negative start/end count from the end, out-of-range bounds are clamped, and a negative step
     * walks backwards (use {@code Integer.MIN_VALUE} as {@code end} to include element 0).
     */
    public NDArray slice(int dim, int start, int end, int step) {
        return viewOf(Geometry.slice(this, dim, start, end, step));
    }

    /** {@code slice(dim, start, end, 1)}. */
    public NDArray slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** The view of {@code length} elements of {@code dim} from {@code start}; bounds are checked, not clamped. */
    public NDArray narrow(int dim, int start, int length) {
        return viewOf(Geometry.narrow(this, dim, start, length));
    }

    /** The view at {@code index} of dimension {@code dim}, which is removed. */
    public NDArray select(int dim, int index) {
        return viewOf(Geometry.select(this, dim, index));
    }

    /**
     * A broadcast view with size-1 dims repeated (stride 0) to {@code sizes}; new leading dims may be added and -1
     * keeps a size.
     */
    public NDArray expand(int... sizes) {
        return viewOf(Geometry.expand(this, sizes));
    }

    /** Same as {@link #expand}: a broadcast view with the given shape. */
    public NDArray broadcastTo(int... sizes) {
        return expand(sizes);
    }

    /** Removes every size-1 dimension. */
    public NDArray squeeze() {
        return viewOf(Geometry.squeeze(this));
    }

    /** Removes dimension {@code dim} if its size is 1 (otherwise returns this view unchanged, as PyTorch). */
    public NDArray squeeze(int dim) {
        Layout l = Geometry.squeeze(this, dim);
        return l == null ? this : viewOf(l);
    }

    /** Inserts a size-1 dimension at {@code dim} (in {@code [-dim()-1, dim()]}). */
    public NDArray unsqueeze(int dim) {
        return viewOf(Geometry.unsqueeze(this, dim));
    }

    /** Flattens to 1-D (a view when possible). */
    public NDArray flatten() {
        return flatten(0, -1);
    }

    /** Merges dims {@code startDim..endDim} into one (a view when possible). */
    public NDArray flatten(int startDim, int endDim) {
        return reshape(shape.length == 0 ? new int[] {1} : Geometry.flattenedShape(this, startDim, endDim));
    }

    /** Splits dimension {@code dim} into {@code sizes} (one may be -1). */
    public NDArray unflatten(int dim, int... sizes) {
        return reshape(Geometry.unflattenedShape(this, dim, sizes));
    }

    /**
     * A view with explicit shape, strides and storage offset (in elements), as {@code torch.as_strided}. Every
     * reachable element must lie inside the storage.
     */
    public NDArray asStrided(int[] newShape, int[] newStrides, int storageOffset) {
        return viewOf(Geometry.asStrided(this, newShape, newStrides, storageOffset));
    }

    NDArray asStridedUnchecked(int[] newShape, int[] newStrides, int storageOffset) {
        return new NDArray(storage, newShape, newStrides, storageOffset);
    }

    /** Views along {@code dim} in pieces of {@code splitSize} (the last may be smaller). */
    public List<NDArray> split(int splitSize, int dim) {
        int d = Shapes.dim("split", dim, shape.length, this::describe);
        int[] sizes = Geometry.evenSplit(this, d, splitSize);
        return sizes.length == 0 ? new ArrayList<>(List.of(this)) : pieces(d, sizes);
    }

    /** Views along {@code dim} with the given sizes, which must add up to {@code size(dim)}. */
    public List<NDArray> split(int[] sizes, int dim) {
        int d = Shapes.dim("split", dim, shape.length, this::describe);
        Geometry.checkSplit(this, sizes, dim, d);
        return pieces(d, sizes);
    }

    private List<NDArray> pieces(int d, int[] sizes) {
        List<NDArray> out = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            out.add(narrow(d, start, s));
            start += s;
        }
        return out;
    }

    /** At most {@code chunks} views along {@code dim} of size {@code ceil(size/chunks)}, as {@code torch.chunk}. */
    public List<NDArray> chunk(int chunks, int dim) {
        return split(Geometry.chunkSize(this, chunks, dim), dim);
    }

    // ------------------------------------------------------------------------------------------ copies

    /** Concatenates arrays along {@code dim}; shapes must match elsewhere, dtypes are promoted. */
    public static NDArray cat(List<NDArray> arrays, int dim) {
        return StridedCopies.cat(arrays, dim);
    }

    /** Stacks same-shaped arrays along a new dimension {@code dim}. */
    public static NDArray stack(List<NDArray> arrays, int dim) {
        return StridedCopies.stack(arrays, dim);
    }

    /** {@link #pad(int[], PadMode, double)} with zeros. */
    public NDArray pad(int... pad) {
        return pad(pad, PadMode.CONSTANT, 0);
    }

    /**
     * Pads the last {@code pad.length / 2} dims, PyTorch style: {@code pad = {left, right}} for the last dim, then
     * {@code {top, bottom}} for the one before, and so on. Negative pads crop (constant mode only).
     */
    public NDArray pad(int[] pad, PadMode mode, double value) {
        return StridedCopies.pad(this, pad, mode, value);
    }

    /** A copy with the order of elements reversed along each of {@code dims}. */
    public NDArray flip(int... dims) {
        return StridedCopies.flip(this, dims);
    }

    /** Tiles the array {@code repeats[i]} times along each dim, as {@code torch.Tensor.repeat}. */
    public NDArray repeat(int... repeats) {
        return StridedCopies.repeat(this, repeats);
    }

    // ------------------------------------------------------------------------------------------ elementwise

    /**
     * The elementwise primitive {@code op} (PyTorch's {@code torch.<name>}, see {@link UnaryOp}) into a new array.
     * Float-only ops promote integer arrays to the default dtype; {@link UnaryOp#NOT} reads any array as BOOL.
     *
     * @throws IllegalArgumentException if the op does not accept this dtype (arithmetic on BOOL)
     */
    public NDArray unary(UnaryOp op) {
        return op == UnaryOp.NOT ? logicalNot() : unary(op.torchName(), op);
    }

    private NDArray logicalNot() {
        NDArray b = toType(DType.BOOL);
        NDArray out = empty("logicalNot", DType.BOOL, device(), shape);
        backend().unary(UnaryOp.NOT, b, out);
        return out;
    }

    /**
     * The broadcasting elementwise primitive {@code this op other} (see {@link BinaryOp}) into a new array. Dtypes
     * promote along BOOL &lt; U8 &lt; I32 &lt; I64 &lt; F32 &lt; F64; division of integers gives the default dtype,
     * comparisons and logical ops give BOOL.
     */
    public NDArray binary(BinaryOp op, NDArray other) {
        return binary(op.torchName(), op, other);
    }

    /** {@code this op s} with a float scalar (integer arrays become the default dtype, as in PyTorch). */
    public NDArray binary(BinaryOp op, double s) {
        return binary(op.torchName(), op, scalarFor(s));
    }

    /** {@code this op s} with an integer scalar, keeping integer dtypes. */
    public NDArray binary(BinaryOp op, long s) {
        return binary(op.torchName(), op, op == BinaryOp.DIV ? scalarFor((double) s) : scalarFor(s));
    }

    /** Clamps into {@code [min, max]}; NaN stays NaN. Pass infinities to clamp one side only. */
    public NDArray clamp(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max + " for " + describe());
        }
        NDArray r = copy();
        r.clampInPlace(min, max);
        return r;
    }

    /** True where the value is NaN. */
    public NDArray isNaN() {
        return dtype().isFloating() || dtype().isHalf() ? binary(BinaryOp.NE, this) : full(0, DType.BOOL, device(), shape);
    }

    /** True where the value is +-infinity. */
    public NDArray isInf() {
        return dtype().isFloating() || dtype().isHalf() ? unary(UnaryOp.ABS).binary(BinaryOp.EQ, Double.POSITIVE_INFINITY)
                : full(0, DType.BOOL, device(), shape);
    }

    /** True where the value is neither NaN nor infinite. */
    public NDArray isFinite() {
        return dtype().isFloating() || dtype().isHalf() ? unary(UnaryOp.ABS).binary(BinaryOp.LT, Double.POSITIVE_INFINITY)
                : full(1, DType.BOOL, device(), shape);
    }

    /** {@code cond ? a : b} elementwise with broadcasting of all three; a and b are promoted to a common dtype. */
    public static NDArray where(NDArray cond, NDArray a, NDArray b) {
        int[] s = Checks.where(cond, a, b);
        DType t = DType.promote(a.dtype(), b.dtype());
        NDArray out = empty("where", t, a.device(), s);
        a.backend().where(cond.expand(s), a.toType(t).expand(s), b.toType(t).expand(s), out);
        return out;
    }

    /** A copy with {@code value} where {@code mask} (BOOL, broadcastable to this shape) is true. */
    public NDArray maskedFill(NDArray mask, double value) {
        Checks.maskedFill(this, mask);
        NDArray out = empty("maskedFill", dtype(), device(), shape);
        backend().where(mask.expand(shape), scalar(value, dtype(), device()).expand(shape), this, out);
        return out;
    }

    // ------------------------------------------------------------------------------------------ in-place

    /**
     * {@code this = this op other} in place, {@code other} broadcast to this shape and of a dtype that promotes to this
     * one (an arithmetic {@link BinaryOp}); bumps the version counter and returns this.
     */
    public NDArray binaryInPlace(BinaryOp op, NDArray other) {
        return binaryInPlace(op.torchName() + "InPlace", op, other);
    }

    /** {@code this = this op s} in place with a scalar converted to this dtype; returns this. */
    public NDArray binaryInPlace(BinaryOp op, double s) {
        return binaryInPlace(op.torchName() + "InPlace", op, scalar(s, dtype(), device()));
    }

    /** {@code this = clamp(this, min, max)}; returns this. */
    public NDArray clampInPlace(double min, double max) {
        return InPlaceUpdates.clamp(this, min, max);
    }

    /** Sets every element to {@code value}; returns this. */
    public NDArray fillInPlace(double value) {
        Checks.checkWritable("fillInPlace", this);
        fillUnchecked(value);
        return this;
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this view; returns this. */
    public NDArray copyFrom(NDArray src) {
        String op = "copyFrom";
        Checks.checkWritable(op, this);
        checkSameDevice(op, this, src);
        Checks.requireBroadcastsTo(op, this, "", src);
        NDArray from = src.storage == storage ? src.copy() : src;
        copyUnchecked(from.expand(shape));
        return this;
    }

    /** Copies {@code src} (of this shape) into this view without checks, bumping the version. */
    void copyUnchecked(NDArray src) {
        backend().copy(src, this);
        storage.bumpVersion();
    }

    /** Fills this view with {@code value} without checks, bumping the version (unless it is empty). */
    void fillUnchecked(double value) {
        if (numel() == 0) {
            return;
        }
        backend().fill(this, value);
        storage.bumpVersion();
    }

    /**
     * {@code this += alpha * other} in place (PyTorch's {@code add_(other, alpha=alpha)}), one pass without a
     * temporary on backends with a fused kernel; {@code other} broadcasts to this shape. Float arrays of one dtype
     * (no promotion, unlike {@link #binaryInPlace(BinaryOp, NDArray)}). Returns this.
     */
    public NDArray addInPlace(NDArray other, double alpha) {
        return InPlaceUpdates.addcmul("addInPlace", this, other, null, alpha);
    }

    /**
     * {@code this += value * a * b} in place (PyTorch's {@code addcmul_}), one pass without temporaries on backends
     * with a fused kernel; {@code a} and {@code b} broadcast to this shape. Float arrays of one dtype. Returns this.
     */
    public NDArray addcmulInPlace(NDArray a, NDArray b, double value) {
        return InPlaceUpdates.addcmul("addcmulInPlace", this, a, b, value);
    }

    /**
     * {@code this += value * a / b} in place (PyTorch's {@code addcdiv_}), one pass without temporaries on backends
     * with a fused kernel; {@code a} and {@code b} broadcast to this shape. Float arrays of one dtype. Returns this.
     */
    public NDArray addcdivInPlace(NDArray a, NDArray b, double value) {
        return InPlaceUpdates.addcdiv(this, a, b, value);
    }

    /** {@link #binaryInPlace(BinaryOp, NDArray)} reporting errors under the name {@code op}. */
    NDArray binaryInPlace(String op, BinaryOp bop, NDArray other) {
        Checks.binaryInPlace(op, bop, this, other);
        NDArray b = other.toType(dtype());
        backend().binary(bop, this, (b.storage == storage ? b.copy() : b).expand(shape), this);
        storage.bumpVersion();
        return this;
    }

    // ------------------------------------------------------------------------------------------ elementwise helpers

    private NDArray scalarFor(double s) {
        DType t = dtype().isFloating() ? dtype() : DType.getDefault();
        return scalar(s, t, device());
    }

    private NDArray scalarFor(long s) {
        if (dtype().isFloating()) {
            return scalar((double) s, dtype(), device());
        }
        DType t = dtype() == DType.BOOL ? DType.I64 : dtype();
        NDArray out = empty(t, device());
        backend().fill(out, s);
        return out;
    }

    private NDArray binary(String op, BinaryOp bop, NDArray other) {
        Objects.requireNonNull(other, op + ": other");
        checkSameDevice(op, this, other);
        int[] s = Shapes.broadcast(op, () -> describe() + " and " + other.describe(), shape, other.shape);
        DType t = Checks.binaryType(op, bop, this, other);
        NDArray out = empty(op, bop.isComparison() ? DType.BOOL : t, device(), s);
        backend().binary(bop, toType(t).expand(s), other.toType(t).expand(s), out);
        return out;
    }

    private NDArray unary(String op, UnaryOp uop) {
        NDArray src = Checks.unaryInput(op, uop, this);
        NDArray out = empty(op, src.dtype(), device(), shape);
        backend().unary(uop, src, out);
        return out;
    }

    // ------------------------------------------------------------------------------------------ reductions

    /**
     * The reduction {@code op} over every element, as a 0-d array: sums and products of integer and BOOL arrays are
     * I64, extremes keep the dtype, {@link ReduceOp#ARGMAX}/{@link ReduceOp#ARGMIN} give the flat I64 index of the
     * first extreme.
     */
    public NDArray reduce(ReduceOp op) {
        return op.kind() == ReduceOp.Kind.INDEX ? reshape(-1).reduce(op, 0, false) : reduce(op.torchName(), op, null, false);
    }

    /** The reduction {@code op} over {@code dim}, keeping it as size 1 if {@code keepDim}. */
    public NDArray reduce(ReduceOp op, int dim, boolean keepDim) {
        return reduce(op.torchName(), op, new int[] {dim}, keepDim);
    }

    /**
     * The reduction {@code op} over {@code dims} ({@code null}: all), keeping them as size 1 if {@code keepDim}.
     * Extremes and indices of an empty dim throw.
     */
    public NDArray reduce(ReduceOp op, int[] dims, boolean keepDim) {
        return reduce(op.torchName(), op, dims, keepDim);
    }

    /** Mean of all elements (float arrays only, as PyTorch). */
    public NDArray mean() {
        return mean(null, false);
    }

    /** Mean over {@code dim}. */
    public NDArray mean(int dim, boolean keepDim) {
        return mean(new int[] {dim}, keepDim);
    }

    /** Mean over several dims ({@code null}: all). */
    public NDArray mean(int[] dims, boolean keepDim) {
        Checks.requireFloat("mean", this);
        NDArray s = reduce("mean", ReduceOp.SUM, dims, keepDim);
        return s.binary(BinaryOp.DIV, (double) Geometry.reducedCount(this, "mean", dims));
    }

    private NDArray squeezeDims(boolean[] mask) {
        return viewOf(Geometry.removed(layout(), mask));
    }

    private NDArray reduce(String op, ReduceOp rop, int[] dims, boolean keepDim) {
        boolean[] mask = Shapes.dimMask(op, dims, shape.length, this::describe);
        Checks.reducible(op, rop, this, mask);
        boolean toI64 = rop.kind() == ReduceOp.Kind.INDEX || (rop.kind() == ReduceOp.Kind.ACCUMULATE && !dtype().isFloating());
        NDArray out = empty(op, toI64 ? DType.I64 : dtype(), device(), Geometry.keptShape(shape, mask));
        backend().reduce(rop, this, out);
        return keepDim ? out : out.squeezeDims(mask);
    }

    // ------------------------------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with PyTorch's rules: 1-D x 1-D is a dot product, a 1-D operand is treated as a row (left) or
     * column (right) vector and its dim removed from the result, and leading batch dims broadcast. F32/F64 only;
     * both operands of one dtype.
     */
    public NDArray matmul(NDArray other) {
        return Matmul.matmul(this, other);
    }

    /** Batched matrix product of two 3-D arrays with equal batch sizes: {@code [B,M,K] @ [B,K,N] -> [B,M,N]}. */
    public NDArray bmm(NDArray other) {
        Checks.bmm(this, other);
        return matmul(other);
    }

    // ------------------------------------------------------------------------------------------ indexing

    /** {@code out[i] = this[i with i[dim] = index[i]]}; {@code index} is I64/I32 with this array's rank. */
    public NDArray gather(int dim, NDArray index) {
        int d = Checks.gather(this, dim, index);
        NDArray out = empty("gather", dtype(), device(), index.shape);
        if (out.numel() > 0 && dim() == 0) {
            return reshape(1).gather(0, index.reshape(-1)).reshape(index.shape);
        } else if (out.numel() > 0) {
            backend().gather(this, d, index, out);
        }
        return out;
    }

    /** A copy of this with {@code src[i]} added at {@code i with i[dim] = index[i]}; index has src's shape. */
    public NDArray scatterAdd(int dim, NDArray index, NDArray src) {
        NDArray out = copy();
        out.scatterAddInPlace(dim, index, src);
        return out;
    }

    /** In-place {@link #scatterAdd}; returns this. */
    public NDArray scatterAddInPlace(int dim, NDArray index, NDArray src) {
        int d = Checks.scatterAdd("scatterAddInPlace", this, dim, index, src);
        if (index.numel() == 0) {
            return this;
        }
        NDArray s = src.viewOf(new Layout(index.shape, src.strides, src.offset));
        backend().scatterAdd(this, d, index, s.storage == storage ? s.copy() : s);
        storage.bumpVersion();
        return this;
    }

    /** Rows (slices along {@code dim}) picked by the 1-D integer {@code index}. */
    public NDArray indexSelect(int dim, NDArray index) {
        return Indexing.indexSelect(this, dim, index);
    }

    // ------------------------------------------------------------------------------------------ convolution

    /**
     * 2-D cross-correlation (PyTorch's {@code conv2d} without bias) of this [N, C, H, W] array with {@code weight}
     * [O, C/groups, kH, kW]: [N, O, OH, OW] with {@code OH = floor((H + 2 padH - dilationH (kH - 1) - 1) / strideH) + 1}.
     */
    public NDArray conv2d(NDArray weight, Conv2dSpec spec) {
        return conv2d(weight, spec, false);
    }

    /**
     * {@link #conv2d(NDArray, Conv2dSpec)} with the caller's word on whether it will convolve with {@code weight} again,
     * unchanged ({@code fixedWeight}: inference, a frozen layer), so that the backend may prepare the weight once and
     * choose an algorithm that pays off only then; the result may then differ from the other call's by rounding (see
     * {@link dev.kasane.tensor.spi.Backend#conv2d}).
     */
    public NDArray conv2d(NDArray weight, Conv2dSpec spec, boolean fixedWeight) {
        return Convolution.conv2d(this, weight, spec, fixedWeight);
    }

    /**
     * The gradient of {@link #conv2d} with respect to its input, with this array the output gradient [N, O, OH, OW]:
     * [N, C, h, w]. With a weight of shape [Cin, Cout/groups, kH, kW] this is the transposed convolution
     * ({@code conv_transpose2d}) of this array.
     */
    public NDArray conv2dInputGrad(NDArray weight, int h, int w, Conv2dSpec spec) {
        return Convolution.conv2dInputGrad(this, weight, h, w, spec);
    }

    /** The gradient of {@link #conv2d} with respect to a kH x kW weight, with this array the input [N, C, H, W]. */
    public NDArray conv2dWeightGrad(NDArray gradOut, int kh, int kw, Conv2dSpec spec) {
        return Convolution.conv2dWeightGrad(this, gradOut, kh, kw, spec);
    }

    /**
     * Max pooling of this [N, C, H, W] float array over kH x kW windows with the stride, padding and dilation of
     * {@code spec} (its groups are ignored): returns {values [N, C, OH, OW], indices} where each I64 index is
     * {@code h * W + w} within its input plane, as PyTorch's {@code return_indices}. {@code ceilMode} rounds the
     * output size up as PyTorch does.
     */
    public NDArray[] maxPool2d(int kh, int kw, Conv2dSpec spec, boolean ceilMode) {
        return Convolution.maxPool2d(this, kh, kw, spec, ceilMode);
    }

    /** Runs the gather primitive, reporting a bad index under the name of the calling op. */
    private void gatherAs(String op, int d, NDArray index, NDArray out) {
        Indexing.gatherAs(op, this, d, index, out);
    }
}
