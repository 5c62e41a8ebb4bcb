package dev.kasane.backend.opencl;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.Backend;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.Storage;
import dev.kasane.tensor.spi.UnaryOp;
import java.lang.ref.Reference;
import org.jocl.CL;
import org.jocl.Pointer;

/**
 * The OpenCL backend: every SPI primitive as an OpenCL kernel (JOCL), for F32, I32, I64, BOOL and U8, and F64 on
 * devices with {@code cl_khr_fp64}. Nothing falls back to the CPU: an op the device cannot run throws
 * {@link IllegalArgumentException} naming the op, dtype and device.
 *
 * <p><b>Devices.</b> {@link OpenCl#devices()} lists them; {@code Device.opencl(i)} picks one (see
 * {@link OpenCl#DEVICE_PROPERTY} for which device index 0 means). JOCL and libOpenCL load on first use, so this class
 * loads and the CPU backend works on machines without OpenCL; {@link #checkDevice} then says what to install.
 *
 * <p><b>Memory.</b> Storage is one device buffer ({@link OpenClStorage}), freed by {@link OpenClStorage#close()} or,
 * failing that, by a cleaner once unreachable. {@link #memoryInUse(Device)} reports the bytes held.
 *
 * <p><b>Transfers.</b> Data crosses between host and device only in {@link #upload} and {@link #download} (scalar
 * operands and {@link #fill} pass their value as a kernel argument, not as a transfer);
 * {@link #transferCount(Device)} counts them. gather and scatterAdd additionally read back 4 bytes to report a bad
 * index synchronously ({@link #indexCheckCount(Device)}).
 *
 * <p><b>Threads.</b> Each device has one context and one in-order command queue. All queue operations of one op
 * (setting kernel arguments, enqueueing, reading) run under a per-device lock, so arrays on one device may be used
 * from several threads; kernels are enqueued without waiting and a download waits for all work queued before it.
 * As everywhere in Kasane, concurrent writes to the same array are the caller's responsibility.
 *
 * <p><b>Kernels.</b> {@code .cl} resources in this package, compiled once per device and dtype with {@code -D}
 * macros and cached; see {@link OpenClBuildException} for compile errors.
 */
public final class OpenClBackend implements Backend {
    /** Creates the backend; cheap, touches no OpenCL API (found by {@link java.util.ServiceLoader}). */
    public OpenClBackend() {
    }

    @Override
    public String deviceType() {
        return Device.OPENCL_TYPE;
    }

    @Override
    public void checkDevice(Device device) {
        OpenClContext.of(device);
    }

    @Override
    public Storage allocate(Device device, DType dtype, int size) {
        OpenClContext ctx = context("allocate", device, dtype);
        if (size < 0) {
            throw new IllegalArgumentException("allocate: negative size " + size + " for dtype " + dtype + " on " + device);
        }
        return OpenClStorage.allocate(this, ctx, dtype, size);
    }

    /**
     * Frees the device buffer now (see {@link OpenClStorage#close()}): the buffers of gradients the autograd engine
     * consumed go back to the device at once instead of when the garbage collector finds them.
     */
    @Override
    public void recycle(Storage storage) {
        if (storage instanceof OpenClStorage s) {
            s.close();
        }
    }

    @Override
    public Storage upload(Device device, DType dtype, Object hostArray) {
        OpenClContext ctx = context("upload", device, dtype);
        Pointer host = hostPointer("upload", dtype, hostArray);
        int n = DType.hostLength(hostArray);
        if (n == 0) {
            return new OpenClStorage(this, ctx, dtype, 0, null);
        }
        OpenClStorage s = new OpenClStorage(this, ctx, dtype, n,
                ctx.createBuffer("upload", (long) n * dtype.byteSize(), host));
        ctx.countTransfer();
        return s;
    }

    @Override
    public void download(NDArray src, Object hostArray) {
        OpenClContext ctx = context("download", src);
        Pointer host = hostPointer("download", src.dtype(), hostArray);
        int n = src.numel();
        if (DType.hostLength(hostArray) != n) {
            throw new IllegalArgumentException("download: host array has " + DType.hostLength(hostArray)
                    + " elements, " + src.describe() + " has " + n);
        }
        if (n == 0) {
            return;
        }
        int bs = src.dtype().byteSize();
        OpenClStorage s = Elementwise.storage(src);
        OpenClStorage tmp = null;
        int offset = src.offset();
        try {
            ctx.lock.lock();
            try {
                if (!src.isContiguous()) {
                    tmp = OpenClStorage.allocate(this, ctx, src.dtype(), n);
                    Layout l = Layout.collapsed("download", src.shape(), new int[][] {src.strides(),
                        Layout.denseStrides(src.shape())}, new int[] {src.offset(), 0});
                    Elementwise.copy(ctx, s, src.dtype(), tmp, src.dtype(), l);
                    s = tmp;
                    offset = 0;
                }
                CL.clEnqueueReadBuffer(ctx.queue, s.mem(), true, (long) offset * bs, (long) n * bs, host, 0, null, null);
                ctx.countTransfer();
            } finally {
                ctx.lock.unlock();
            }
        } finally {
            Reference.reachabilityFence(s);
            if (tmp != null) {
                tmp.close();
            }
        }
    }

    @Override
    public void copy(NDArray src, NDArray dst) {
        Elementwise.copy(context("copy", src, dst), src, dst);
    }

    @Override
    public void fill(NDArray dst, double value) {
        Elementwise.fill(context("fill", dst), dst, Elementwise.bitsOf(dst.dtype(), value));
    }

    @Override
    public void fill(NDArray dst, long value) {
        Elementwise.fill(context("fill", dst), dst, Elementwise.bitsOf(dst.dtype(), value));
    }

    @Override
    public void unary(UnaryOp op, NDArray src, NDArray dst) {
        Elementwise.unary(context(op.name().toLowerCase(java.util.Locale.ROOT), src, dst), op, src, dst);
    }

    @Override
    public void binary(BinaryOp op, NDArray a, NDArray b, NDArray dst) {
        Elementwise.binary(context(op.name().toLowerCase(java.util.Locale.ROOT), a, b, dst), op, a, b, dst);
    }

    @Override
    public void where(NDArray cond, NDArray a, NDArray b, NDArray dst) {
        Elementwise.where(context("where", cond, a, b, dst), cond, a, b, dst);
    }

    @Override
    public void reduce(ReduceOp op, NDArray src, NDArray dst) {
        Reductions.reduce(context(op.name().toLowerCase(java.util.Locale.ROOT), src, dst), op, src, dst);
    }

    @Override
    public void matmul(NDArray a, NDArray b, NDArray dst) {
        if (!a.dtype().isFloating()) {
            throw new IllegalArgumentException("matmul: the OpenCL backend multiplies F32 or F64 arrays, got " + a.describe());
        }
        Gemm.matmul(context("matmul", a, b, dst), a, b, dst);
    }

    /**
     * Depthwise convolutions run the direct kernels of {@link DepthwiseConv}; others {@link GemmConv}'s im2col + GEMM
     * (the same algorithms with or without {@code fixedWeight}).
     */
    @Override
    public void conv2d(NDArray input, NDArray weight, Conv2dSpec spec, boolean fixedWeight, NDArray dst) {
        if (!DepthwiseConv.forward(input, weight, spec, dst)) {
            GemmConv.forward(input, weight, spec, dst);
        }
    }

    @Override
    public void conv2dInputGrad(NDArray gradOut, NDArray weight, Conv2dSpec spec, NDArray dst) {
        if (!DepthwiseConv.inputGrad(gradOut, weight, spec, dst)) {
            GemmConv.inputGrad(gradOut, weight, spec, dst);
        }
    }

    @Override
    public void conv2dWeightGrad(NDArray input, NDArray gradOut, Conv2dSpec spec, NDArray dst) {
        if (!DepthwiseConv.weightGrad(input, gradOut, spec, dst)) {
            GemmConv.weightGrad(input, gradOut, spec, dst);
        }
    }

    @Override
    public void gather(NDArray src, int dim, NDArray index, NDArray dst) {
        IndexOps.gather(context("gather", src, index, dst), src, dim, index, dst);
    }

    @Override
    public void scatterAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        IndexOps.scatterAdd(context("scatterAdd", dst, index, src), dst, dim, index, src);
    }

    // ------------------------------------------------------------------------------------------ counters

    /** Bytes of device memory currently held by live storages on {@code device}. */
    public static long memoryInUse(Device device) {
        return OpenClContext.of(device).bytesInUse();
    }

    /** Host-device transfers (uploads and downloads) on {@code device} since start-up. */
    public static long transferCount(Device device) {
        return OpenClContext.of(device).transfers();
    }

    /** 4-byte index-validation read-backs done by gather and scatterAdd on {@code device} since start-up. */
    public static long indexCheckCount(Device device) {
        return OpenClContext.of(device).indexChecks();
    }

    /**
     * The device time of each kernel launched on {@code device} since the last call (waits for the queue first): a
     * table, most time first. Needs {@code -Dkasane.opencl.profile=true} when the device is first used.
     *
     * @throws IllegalStateException when profiling is off
     */
    public static String kernelProfile(Device device) {
        OpenClContext ctx = OpenClContext.of(device);
        if (ctx.profile == null) {
            throw new IllegalStateException("kernelProfile: profiling is off on " + device + "; start the JVM with -D"
                    + KernelProfile.PROPERTY + "=true");
        }
        ctx.lock.lock();
        try {
            CL.clFinish(ctx.queue);
            return ctx.profile.drain();
        } finally {
            ctx.lock.unlock();
        }
    }

    /** Waits until all work queued on {@code device} has finished (for timing; ops never need it). */
    public static void finish(Device device) {
        OpenClContext.of(device).finish();
    }

    @Override
    public void synchronize(Device device) {
        finish(device);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static OpenClContext context(String op, Device device, DType dtype) {
        OpenClContext ctx = OpenClContext.of(device);
        ctx.checkDType(op, dtype);
        return ctx;
    }

    static OpenClContext context(String op, NDArray... arrays) {
        OpenClContext ctx = OpenClContext.of(arrays[0].device());
        for (NDArray a : arrays) {
            if (!(a.storage() instanceof OpenClStorage) || ((OpenClStorage) a.storage()).context() != ctx) {
                throw new IllegalArgumentException(op + ": " + a.describe() + " is not on " + ctx.device);
            }
            ctx.checkDType(op, a.dtype());
        }
        return ctx;
    }

    private static Pointer hostPointer(String op, DType dtype, Object host) {
        boolean ok;
        Pointer p = null;
        switch (dtype) {
            case F32: ok = host instanceof float[]; if (ok) p = Pointer.to((float[]) host); break;
            case F64: ok = host instanceof double[]; if (ok) p = Pointer.to((double[]) host); break;
            case I32: ok = host instanceof int[]; if (ok) p = Pointer.to((int[]) host); break;
            case I64: ok = host instanceof long[]; if (ok) p = Pointer.to((long[]) host); break;
            case BF16: case F16: ok = host instanceof short[]; if (ok) p = Pointer.to((short[]) host); break;
            default: ok = host instanceof byte[]; if (ok) p = Pointer.to((byte[]) host); break;
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": a " + (host == null ? "null" : host.getClass().getSimpleName())
                    + " cannot hold dtype " + dtype);
        }
        return p;
    }
}
