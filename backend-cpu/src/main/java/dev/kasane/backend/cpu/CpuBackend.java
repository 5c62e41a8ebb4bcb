package dev.kasane.backend.cpu;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Convolution;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.Backend;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.FusedActivations;
import dev.kasane.tensor.spi.FusedBatchNorm;
import dev.kasane.tensor.spi.FusedUpdates;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.Storage;
import dev.kasane.tensor.spi.UnaryOp;

/**
 * The pure-Java CPU backend: storage is one primitive array per buffer ({@link CpuStorage}), elementwise ops run
 * over coalesced strided runs with contiguous fast paths, work above a grain size is spread over one shared
 * thread pool ({@code kasane.cpu.threads}, default: all processors), and matmul uses packed, cache-blocked GEMM
 * with a Vector API micro-kernel when {@code jdk.incubator.vector} is present ({@code kasane.cpu.simd=false}
 * forces the scalar kernels). Convolution (forward, input and weight gradients) is fused im2col + GEMM without
 * per-image arrays ({@code Conv}), max pooling a direct kernel ({@code Pool}), and {@code fill} writes a value without
 * a host array; {@link #upload} keeps the handed-over host array as the storage. Arrays given back by
 * {@link #recycle} are reused for later allocations of the same type and length ({@link HostArrayPool},
 * {@code kasane.cpu.poolBytes}).
 *
 * <p>Results never depend on the thread count: work is cut by problem size only, and reductions merge their
 * partial results in a fixed order.
 */
public final class CpuBackend implements Backend {
    /** Elements per task for cheap elementwise ops. */
    static final int GRAIN = 1 << 15;
    /** Elements per task for transcendental ops. */
    static final int GRAIN_EXPENSIVE = 1 << 12;
    private static final String DEVICE = "cpu";

    private final Parallel par;
    private final GemmKernel gemmF32;
    private final GemmKernel gemmF64;
    private final CpuFusedKernels fused = new CpuFusedKernels(this::par);

    /** The backend on the shared thread pool, with the GEMM kernels chosen for this JVM. */
    public CpuBackend() {
        this(null, null, null);
    }

    /** A backend on its own pool or with given GEMM kernels (tests); null means the default. */
    CpuBackend(Parallel par, GemmKernel gemmF32, GemmKernel gemmF64) {
        this.par = par;
        this.gemmF32 = gemmF32;
        this.gemmF64 = gemmF64;
    }

    private Parallel par() {
        return par != null ? par : Parallel.shared();
    }

    @Override
    public String deviceType() {
        return Device.CPU_TYPE;
    }

    /** Offers {@link FusedActivations}, {@link FusedBatchNorm} and {@link FusedUpdates} ({@link CpuFusedKernels}). */
    @Override
    public <T> T extension(Class<T> type) {
        return type.isInstance(fused) ? type.cast(fused) : null;
    }

    @Override
    public void checkDevice(Device device) {
        if (device == null || !device.isCpu() || device.index() != 0) {
            throw new IllegalArgumentException("cpu backend: no device " + device
                    + "; the CPU backend serves only device cpu (Device.CPU); use backend-opencl for OpenCL devices");
        }
    }

    @Override
    public Storage allocate(Device device, DType dtype, int size) {
        checkDevice(device);
        if (size < 0) {
            throw new IllegalArgumentException("allocate: negative size " + size + " for dtype " + dtype + " on device " + DEVICE);
        }
        return new CpuStorage(this, dtype, HostArrayPool.shared().takeUninitialized(dtype, size));
    }

    /** Keeps the array of {@code storage} for reuse ({@link HostArrayPool}); any later use of the storage throws. */
    @Override
    public void recycle(Storage storage) {
        HostArrayPool.shared().give(((CpuStorage) storage).detach());
    }

    /** Keeps {@code hostArray} as the storage (no copy): the caller hands it over, see {@link Backend#upload}. */
    @Override
    public Storage upload(Device device, DType dtype, Object hostArray) {
        checkDevice(device);
        checkHostArray("upload", dtype, hostArray);
        return new CpuStorage(this, dtype, hostArray);
    }

    @Override
    public void fill(NDArray dst, double value) {
        Fill.fill(par(), View.of(dst, "fill"), value);
    }

    @Override
    public void fill(NDArray dst, long value) {
        Fill.fill(par(), View.of(dst, "fill"), value);
    }

    private static void checkHostArray(String op, DType dtype, Object hostArray) {
        Class<?> want = dtype.newHostArray(0).getClass();
        if (hostArray == null || hostArray.getClass() != want) {
            throw new IllegalArgumentException(op + ": dtype " + dtype + " on device " + DEVICE + " needs a "
                    + want.getSimpleName() + ", got " + (hostArray == null ? "null" : hostArray.getClass().getSimpleName()));
        }
    }

    @Override
    public void download(NDArray src, Object hostArray) {
        View s = View.of(src, "download");
        checkHostArray("download", s.dtype, hostArray);
        if (DType.hostLength(hostArray) != s.numel()) {
            throw new IllegalArgumentException("download: host array has " + DType.hostLength(hostArray)
                    + " elements, the " + s.dtype + " array on device " + DEVICE + " has " + s.numel());
        }
        Elementwise.copy(par(), s, View.contiguous(hostArray, s.dtype, s.shape));
    }

    @Override
    public void copy(NDArray src, NDArray dst) {
        Elementwise.copy(par(), View.of(src, "copy"), View.of(dst, "copy"));
    }

    @Override
    public void unary(UnaryOp op, NDArray src, NDArray dst) {
        View s = View.of(src, "unary " + op);
        View d = View.of(dst, "unary " + op);
        boolean ok = s.dtype == d.dtype && (op == UnaryOp.NOT ? s.dtype == DType.BOOL
                : s.dtype.isFloating() || op.acceptsIntegers());
        if (!ok) {
            throw unsupported("unary " + op, s.dtype, "destination " + d.dtype);
        }
        Elementwise.unary(par(), op, s, d);
    }

    @Override
    public void binary(BinaryOp op, NDArray a, NDArray b, NDArray dst) {
        View va = View.of(a, "binary " + op);
        View vb = View.of(b, "binary " + op);
        View d = View.of(dst, "binary " + op);
        DType dt = va.dtype;
        boolean ok = vb.dtype == dt && d.dtype == (op.isComparison() ? DType.BOOL : dt)
                && !(op.isLogical() && dt.isFloating());
        if (!ok) {
            throw unsupported("binary " + op, dt, vb.dtype + " -> " + d.dtype);
        }
        Elementwise.binary(par(), op, va, vb, d);
    }

    @Override
    public void where(NDArray cond, NDArray a, NDArray b, NDArray dst) {
        View c = View.of(cond, "where");
        View va = View.of(a, "where");
        View vb = View.of(b, "where");
        View d = View.of(dst, "where");
        if (c.dtype != DType.BOOL || va.dtype != d.dtype || vb.dtype != d.dtype) {
            throw unsupported("where", d.dtype, "cond " + c.dtype + ", a " + va.dtype + ", b " + vb.dtype);
        }
        Elementwise.where(par(), c, va, vb, d);
    }

    @Override
    public void reduce(ReduceOp op, NDArray src, NDArray dst) {
        View s = View.of(src, "reduce " + op);
        View d = View.of(dst, "reduce " + op);
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        boolean widen = (op == ReduceOp.SUM || op == ReduceOp.PROD) && !s.dtype.isFloating();
        DType want = arg || widen ? DType.I64 : s.dtype;
        if (d.dtype != want || s.rank() != d.rank()) {
            throw unsupported("reduce " + op, s.dtype, "destination " + d.dtype + " of rank " + d.rank());
        }
        Reduction.run(par(), op, s, d);
    }

    @Override
    public void matmul(NDArray a, NDArray b, NDArray dst) {
        View va = View.of(a, "matmul");
        View vb = View.of(b, "matmul");
        View d = View.of(dst, "matmul");
        DType dt = d.dtype;
        if ((dt != DType.F32 && dt != DType.F64) || va.dtype != dt || vb.dtype != dt
                || va.rank() != 3 || vb.rank() != 3 || d.rank() != 3) {
            throw unsupported("matmul", dt, "a " + va.dtype + " rank " + va.rank() + ", b " + vb.dtype + " rank "
                    + vb.rank() + ", dst rank " + d.rank() + " (F32 or F64, rank 3)");
        }
        GemmKernel kern = dt == DType.F32 ? (gemmF32 != null ? gemmF32 : VectorSupport.gemmF32())
                : (gemmF64 != null ? gemmF64 : VectorSupport.gemmF64());
        if (d.isContiguous()) {
            Gemm.matmul(par(), kern, va, vb, d);
        } else {
            View tmp = View.contiguous(dt.newHostArray(d.numel()), dt, d.shape);
            Gemm.matmul(par(), kern, va, vb, tmp);
            Elementwise.copy(par(), tmp, d);
        }
    }

    private GemmKernel kernel(DType dt) {
        return dt == DType.F32 ? (gemmF32 != null ? gemmF32 : VectorSupport.gemmF32())
                : (gemmF64 != null ? gemmF64 : VectorSupport.gemmF64());
    }

    /**
     * Fused im2col + GEMM per block of output rows, Winograd or direct depthwise loops ({@link Conv}); a
     * {@code fixedWeight} makes Winograd pay off on smaller planes ({@link Winograd#fits}).
     */
    @Override
    public void conv2d(NDArray input, NDArray weight, Conv2dSpec spec, boolean fixedWeight, NDArray dst) {
        Conv.conv2d(par(), kernel(input.dtype()), View.of(input, "conv2d"), View.of(weight, "conv2d"),
                geo(input, weight.size(0), weight, dst, spec), fixedWeight, View.of(dst, "conv2d"));
    }

    @Override
    public void conv2dInputGrad(NDArray gradOut, NDArray weight, Conv2dSpec spec, NDArray dst) {
        Conv.inputGrad(par(), kernel(gradOut.dtype()), View.of(gradOut, "conv2dInputGrad"), View.of(weight, "conv2dInputGrad"),
                geo(dst, weight.size(0), weight, gradOut, spec), View.of(dst, "conv2dInputGrad"));
    }

    @Override
    public void conv2dWeightGrad(NDArray input, NDArray gradOut, Conv2dSpec spec, NDArray dst) {
        Conv.weightGrad(par(), kernel(input.dtype()), View.of(input, "conv2dWeightGrad"), View.of(gradOut, "conv2dWeightGrad"),
                geo(input, gradOut.size(1), dst, gradOut, spec), View.of(dst, "conv2dWeightGrad"));
    }

    /** The geometry of input {@code in} [N, C, H, W] to {@code o} outputs with {@code k}'s kernel size and {@code out}'s plane. */
    private static Conv.Geo geo(NDArray in, int o, NDArray k, NDArray out, Conv2dSpec spec) {
        return new Conv.Geo(in.size(0), in.size(1), in.size(2), in.size(3), o, k.size(2), k.size(3), out.size(2), out.size(3),
                spec);
    }

    /** One pass per window ({@link Pool}), values and flat argmax together; the composite when the input is empty. */
    @Override
    public void maxPool2d(NDArray input, int kh, int kw, Conv2dSpec spec, NDArray values, NDArray indices) {
        if (input.numel() == 0) {
            Convolution.maxPool2d(input, kh, kw, spec, values, indices);
            return;
        }
        Pool.maxPool2d(par(), View.of(input, "maxPool2d"), kh, kw, spec, View.of(values, "maxPool2d"),
                View.of(indices, "maxPool2d"));
    }

    @Override
    public void gather(NDArray src, int dim, NDArray index, NDArray dst) {
        IndexOperands o = IndexOperands.of("gather", src, index, dst, "dst", dim);
        IndexOps.gather(par(), o.data, o.dim, o.index, o.other);
    }

    @Override
    public void scatterAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        IndexOperands o = IndexOperands.of("scatterAdd", dst, index, src, "src", dim);
        IndexOps.scatterAdd(par(), o.data, o.dim, o.index, o.other);
    }

    /**
     * Gather's or scatterAdd's operands, checked once for both: the array indexed along {@code dim} ({@code data}),
     * an I64/I32 index and the other array of data's dtype, all of one rank, a 0-d operand as a 1-element vector.
     */
    private record IndexOperands(View data, View index, View other, int dim) {
        static IndexOperands of(String op, NDArray data, NDArray index, NDArray other, String otherName, int dim) {
            View a = View.of(data, op);
            View i = View.of(index, op);
            View b = View.of(other, op);
            if (a.dtype != b.dtype || (i.dtype != DType.I64 && i.dtype != DType.I32) || !sameRank(dim, a, i, b)) {
                throw unsupported(op, a.dtype, "index " + i.dtype + ", " + otherName + " " + b.dtype + ", dim " + dim);
            }
            return new IndexOperands(vector(a), vector(i), vector(b), a.rank() == 0 ? 0 : dim);
        }
    }

    /** {@code v}, or a 0-d {@code v} as a 1-element vector. */
    private static View vector(View v) {
        return v.rank() == 0 ? as1d(v) : v;
    }

    private static boolean sameRank(int dim, View a, View b, View c) {
        int r = a.rank();
        return b.rank() == r && c.rank() == r && (r == 0 ? dim == 0 || dim == -1 : dim >= 0 && dim < r);
    }

    private static View as1d(View v) {
        return new View(v.data, v.dtype, v.offset, new int[] {1}, new int[] {1});
    }

    private static IllegalArgumentException unsupported(String op, DType dtype, String detail) {
        return new IllegalArgumentException(op + ": dtype " + dtype + " is not supported on device " + DEVICE + " (" + detail + ")");
    }

    /** True if the GEMM kernels in use are the Vector API ones. */
    public static boolean simdEnabled() {
        return VectorSupport.simd();
    }
}
