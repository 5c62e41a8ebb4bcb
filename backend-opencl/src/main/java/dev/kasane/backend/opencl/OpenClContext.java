package dev.kasane.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_NATIVE_VECTOR_WIDTH_DOUBLE;
import static org.jocl.CL.CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT;
import static org.jocl.CL.CL_DEVICE_SINGLE_FP_CONFIG;
import static org.jocl.CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * One OpenCL context and in-order command queue per device, created on first use and kept for the life of the JVM,
 * with the device's compiled programs ({@link Programs}) and its counters.
 *
 * <p>Threading: every command-queue operation (setting kernel arguments and enqueueing, reads, fills, copies) runs
 * while holding {@link #lock}, so several Java threads can share one device; buffer creation and release need no
 * lock (they are thread-safe in OpenCL). Kernels are enqueued without waiting; the in-order queue keeps them in
 * order and the blocking read of a download waits for everything before it.
 */
final class OpenClContext {
    private static final Map<Integer, OpenClContext> CONTEXTS = new ConcurrentHashMap<>();
    /** Launches between two clFlush calls, so a long chain of ops without reads starts running early. */
    private static final int FLUSH_EVERY = 32;
    /** System property: the most bytes of freed buffers kept for reuse per device (0: none). */
    static final String POOL_PROPERTY = "kasane.opencl.poolBytes";
    /** System property: bytes of fresh buffers after which the backend calls {@code System.gc()} (0: never). */
    static final String GC_PROPERTY = "kasane.opencl.gcBytes";

    final Device device;
    final OpenClDeviceInfo info;
    final cl_device_id deviceId;
    final cl_context context;
    final cl_command_queue queue;
    final boolean fp64;
    final boolean correctlyRoundedDivideSqrt;
    final long maxAllocBytes;
    /** The GEMM kernel this device runs. */
    final Gemm.Kernel gemmKernel;
    private final int floatVectorWidth;
    private final int doubleVectorWidth;
    final ReentrantLock lock = new ReentrantLock();
    final Programs programs;
    /** Stands in for the buffer of an empty storage, which OpenCL cannot create. */
    final cl_mem dummy;
    /** One int used by the index kernels to report the first bad position (guarded by {@link #lock}). */
    final cl_mem flag;

    private final AtomicLong bytesInUse = new AtomicLong();
    /** Freed buffers kept for reuse, by size in bytes (guarded by itself). */
    private final Map<Long, ArrayDeque<cl_mem>> pool = new HashMap<>();
    private long pooledBytes;
    /** Bytes of fresh buffers created since the last collection this context asked for. */
    private final AtomicLong freshSinceGc = new AtomicLong();
    /** The most bytes {@link #pool} keeps: {@value #POOL_PROPERTY}, default a quarter of the device memory, at most 1 GiB. */
    private final long poolCap;
    /** Fresh bytes after which the context asks for a garbage collection: {@value #GC_PROPERTY}, default 256 MiB. */
    private final long gcBytes;
    private final AtomicLong transfers = new AtomicLong();
    private final AtomicLong indexChecks = new AtomicLong();
    private int launchesSinceFlush;
    /** Device time per kernel when {@link KernelProfile#PROPERTY} is set, else null. */
    final KernelProfile profile = KernelProfile.fromProperty();

    private OpenClContext(Device device, OpenCl.Found found) {
        this.device = device;
        this.info = found.info();
        this.deviceId = found.device();
        this.fp64 = found.info().fp64();
        long fpConfig = OpenCl.deviceLong(deviceId, CL_DEVICE_SINGLE_FP_CONFIG);
        this.correctlyRoundedDivideSqrt = (fpConfig & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
        this.maxAllocBytes = OpenCl.deviceLong(deviceId, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.floatVectorWidth = vectorWidth(OpenCl.deviceInt(deviceId, CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT));
        this.doubleVectorWidth = vectorWidth(OpenCl.deviceInt(deviceId, CL_DEVICE_NATIVE_VECTOR_WIDTH_DOUBLE));
        this.gemmKernel = Gemm.Kernel.forDevice(isGpu(), info.maxWorkGroupSize());
        this.poolCap = OpenCl.longProperty(POOL_PROPERTY, Math.min(info.globalMemoryBytes() / 4, 1L << 30), 0);
        this.gcBytes = OpenCl.longProperty(GC_PROPERTY, 256L << 20, 0);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, found.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {deviceId}, null, null, null);
        @SuppressWarnings("deprecation")
        cl_command_queue q = CL.clCreateCommandQueue(context, deviceId, profile != null ? CL_QUEUE_PROFILING_ENABLE : 0, null);
        this.queue = q;
        this.dummy = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, 16, null, null);
        this.flag = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, Sizeof.cl_int, null, null);
        this.programs = new Programs(this);
    }

    /**
     * The context of {@code device}, created on first use.
     *
     * @throws IllegalArgumentException when OpenCL or the device is unavailable
     */
    static OpenClContext of(Device device) {
        if (device == null || !Device.OPENCL_TYPE.equals(device.type())) {
            throw new IllegalArgumentException("opencl backend: " + device + " is not an OpenCL device; use Device.opencl(i)");
        }
        OpenClContext c = CONTEXTS.get(device.index());
        if (c != null) {
            return c;
        }
        OpenCl.Found found = OpenCl.device(device.index());
        return CONTEXTS.computeIfAbsent(device.index(), i -> new OpenClContext(device, found));
    }

    /** Throws when {@code dtype} cannot live on this device (F64 without cl_khr_fp64). */
    void checkDType(String op, DType dtype) {
        if (dtype == DType.F64 && !fp64) {
            throw new IllegalArgumentException(op + ": dtype F64 needs an OpenCL device with the cl_khr_fp64 extension, but "
                    + device + " (" + info.name() + ") does not report it; use F32 or another device");
        }
    }

    /**
     * The OpenCL vector width (2 to 16) the kernels use for {@code dtype} (F32 or F64): the device's native width,
     * at least 2.
     */
    int vectorWidth(DType dtype) {
        return dtype == DType.F64 ? doubleVectorWidth : floatVectorWidth;
    }

    private static int vectorWidth(int nativeWidth) {
        return Math.max(2, Math.min(16, Integer.highestOneBit(Math.max(1, nativeWidth))));
    }

    /** True if the device is a GPU or accelerator (many threads, wide work-groups pay off). */
    boolean isGpu() {
        return !"CPU".equals(info.type());
    }

    /**
     * Creates a buffer, optionally filled from {@code host} (counted as a transfer by the caller). A buffer without
     * contents comes from the pool of freed ones when one of that size is there: an array's device memory is freed
     * when the garbage collector finds the array unreachable (or at once, by {@link OpenClStorage#close()}), and
     * the Java heap of an OpenCL program is too small for the collector to run often, so the pool spares the driver
     * fresh allocations, and every {@link #gcBytes} of fresh buffers the context asks for a collection, which
     * returns the unreachable arrays' buffers to the pool. Reuse is safe because the queue runs in order: a kernel
     * writing a reused buffer runs after every kernel enqueued on its earlier owner. Under memory pressure the pool
     * is emptied and the collector asked to run before trying once more.
     */
    cl_mem createBuffer(String op, long bytes, Pointer host) {
        if (bytes > maxAllocBytes) {
            throw new IllegalArgumentException(op + ": " + bytes + " bytes exceed the largest buffer " + device + " ("
                    + info.name() + ") can allocate, " + maxAllocBytes + " bytes");
        }
        cl_mem mem = host == null ? takePooled(bytes) : null;
        if (mem == null) {
            if (gcBytes > 0 && freshSinceGc.addAndGet(bytes) > gcBytes) {
                freshSinceGc.set(0);
                System.gc();
            }
            if (bytesInUse.get() + pooledBytes() + bytes > info.globalMemoryBytes() * 9 / 10) {
                reclaim();
            }
            mem = create(op, bytes, host);
        }
        bytesInUse.addAndGet(bytes);
        return mem;
    }

    private cl_mem create(String op, long bytes, Pointer host) {
        long flags = CL_MEM_READ_WRITE | (host != null ? CL_MEM_COPY_HOST_PTR : 0);
        try {
            return CL.clCreateBuffer(context, flags, bytes, host, null);
        } catch (CLException e) {
            int s = e.getStatus();
            if (s != CL_MEM_OBJECT_ALLOCATION_FAILURE && s != CL_OUT_OF_RESOURCES && s != CL_OUT_OF_HOST_MEMORY) {
                throw e;
            }
            reclaim();
            try {
                return CL.clCreateBuffer(context, flags, bytes, host, null);
            } catch (CLException again) {
                throw new IllegalStateException(op + ": out of memory on " + device + " (" + info.name() + ") allocating "
                        + bytes + " bytes with " + bytesInUse.get() + " bytes in use", again);
            }
        }
    }

    private cl_mem takePooled(long bytes) {
        synchronized (pool) {
            ArrayDeque<cl_mem> free = pool.get(bytes);
            if (free == null || free.isEmpty()) {
                return null;
            }
            pooledBytes -= bytes;
            return free.pop();
        }
    }

    /**
     * Asks the collector to free the unreachable arrays' buffers, gives their cleaners a moment, then releases every
     * pooled buffer to the driver.
     */
    private void reclaim() {
        System.gc();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (pool) {
            pool.values().forEach(q -> q.forEach(CL::clReleaseMemObject));
            pool.clear();
            pooledBytes = 0;
        }
    }

    /** Takes back a buffer made by {@link #createBuffer}: into the pool while it has room, else released. */
    void releaseBuffer(cl_mem mem, long bytes) {
        bytesInUse.addAndGet(-bytes);
        synchronized (pool) {
            if (pooledBytes + bytes <= poolCap) {
                pool.computeIfAbsent(bytes, b -> new ArrayDeque<>()).push(mem);
                pooledBytes += bytes;
                return;
            }
        }
        CL.clReleaseMemObject(mem);
    }

    /** Bytes the pool holds (device memory the driver still counts as used). */
    private long pooledBytes() {
        synchronized (pool) {
            return pooledBytes;
        }
    }

    /** How many freed buffers of {@code bytes} the pool holds for reuse. */
    int pooled(long bytes) {
        synchronized (pool) {
            ArrayDeque<cl_mem> free = pool.get(bytes);
            return free == null ? 0 : free.size();
        }
    }

    /** Called after each kernel launch, with {@link #lock} held. */
    void launched() {
        if (++launchesSinceFlush >= FLUSH_EVERY) {
            launchesSinceFlush = 0;
            CL.clFlush(queue);
        }
    }

    /** Waits until every command enqueued so far has finished. */
    void finish() {
        lock.lock();
        try {
            CL.clFinish(queue);
            launchesSinceFlush = 0;
        } finally {
            lock.unlock();
        }
    }

    long bytesInUse() {
        return bytesInUse.get();
    }

    long transfers() {
        return transfers.get();
    }

    void countTransfer() {
        transfers.incrementAndGet();
    }

    long indexChecks() {
        return indexChecks.get();
    }

    void countIndexCheck() {
        indexChecks.incrementAndGet();
    }
}
