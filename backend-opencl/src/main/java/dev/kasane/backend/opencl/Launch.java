package dev.kasane.backend.opencl;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_mem;

/**
 * Collects the arguments of one kernel launch, then sets them and enqueues the kernel while holding the context's
 * lock. The storages passed in are kept reachable until the launch is enqueued, so their cleaners cannot free a
 * buffer between reading its handle and enqueueing.
 */
final class Launch {
    private final OpenClContext ctx;
    private final Programs.Kernel kernel;
    private final List<Long> sizes = new ArrayList<>();
    private final List<Pointer> values = new ArrayList<>();
    private final List<Object> keep = new ArrayList<>();

    Launch(OpenClContext ctx, Programs.Kernel kernel) {
        this.ctx = ctx;
        this.kernel = kernel;
    }

    Launch buf(OpenClStorage s) {
        keep.add(s);
        return arg(Sizeof.cl_mem, Pointer.to(s.mem()));
    }

    Launch buf(cl_mem m) {
        return arg(Sizeof.cl_mem, Pointer.to(m));
    }

    Launch i32(int v) {
        return arg(Sizeof.cl_int, Pointer.to(new int[] {v}));
    }

    Launch i64(long v) {
        return arg(Sizeof.cl_long, Pointer.to(new long[] {v}));
    }

    /** A struct of {@code int}s passed by value (e.g. {@code ConvGeo}). */
    Launch ints(int... v) {
        return arg((long) Sizeof.cl_int * v.length, Pointer.to(v));
    }

    Launch layout(Layout l) {
        return arg((long) Sizeof.cl_int * Layout.INTS, Pointer.to(l.pack()));
    }

    private Launch arg(long size, Pointer p) {
        sizes.add(size);
        values.add(p);
        return this;
    }

    /** Runs {@code n} work items in 1-D (rounded up to whole work-groups; kernels check {@code i < n}). */
    void run1d(int n) {
        if (n <= 0) {
            return;
        }
        int local = Math.min(256, kernel.maxWorkGroup());
        long global = ((long) n + local - 1) / local * local;
        run(new long[] {global}, new long[] {local});
    }

    /** Enqueues with the given global and local sizes (no wait); a null {@code local} lets the driver choose. */
    void run(long[] global, long[] local) {
        ctx.lock.lock();
        try {
            for (int i = 0; i < sizes.size(); i++) {
                CL.clSetKernelArg(kernel.kernel(), i, sizes.get(i), values.get(i));
            }
            cl_event event = ctx.profile != null ? new cl_event() : null;
            CL.clEnqueueNDRangeKernel(ctx.queue, kernel.kernel(), global.length, null, global, local, 0, null, event);
            if (event != null) {
                ctx.profile.add(kernel.name(), event);
            }
            ctx.launched();
        } finally {
            ctx.lock.unlock();
            Reference.reachabilityFence(keep);
        }
    }
}
