package dev.kasane.backend.opencl;

import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import dev.kasane.tensor.DType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled programs and kernels of one {@link OpenClContext}. Kernel sources are {@code .cl} resources next to
 * this class, loaded from the classpath (so they work from a jar); each program family is compiled once per dtype
 * and context with {@code -D} macros ({@code -DT=float}, ...) selecting the element type, and cached, as are the
 * kernel objects. Kernel objects carry their arguments, so they are only used while holding the context's lock.
 */
final class Programs {
    /** Maximum rank of a {@link Layout}; must match the host packing. */
    static final int MAX_RANK = Layout.MAX_RANK;
    /** GEMM tile: GEMM_TS x GEMM_TS outputs per work-group, GEMM_WPT x GEMM_WPT per work item, K step GEMM_TSK. */
    static final int GEMM_TS = 64;
    static final int GEMM_WPT = 4;
    static final int GEMM_TSK = 16;
    /** Blocked GEMM: GEMM_MR rows by GEMM_NV vectors (of the device's native width) per work item. */
    static final int GEMM_MR = 8;
    static final int GEMM_NV = 2;

    /** Overrides {@link #elementRun}. */
    static final String ELEMENT_RUN_PROPERTY = "kasane.opencl.elementRun";

    /** The program families and the resource files each is made of (concatenated in order). */
    enum Family {
        /** Elementwise, conversion, reduction and index kernels; one program per dtype. */
        TENSOR("common.cl", OpSource.NAME, "elementwise.cl", "reduce.cl", "index.cl"),
        /** Batched tiled GEMM; one program per float dtype. */
        GEMM("common.cl", "gemm.cl"),
        /** Direct (depthwise) convolution kernels; one program per float dtype. */
        CONV("common.cl", "conv.cl");

        final String[] files;

        Family(String... files) {
            this.files = files;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Programs.class);
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private final OpenClContext ctx;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, Kernel> kernels = new ConcurrentHashMap<>();
    /** Work-group size of the tree reductions (a power of two the device accepts). */
    final int reduceGroup;
    /**
     * Elements of a row each work item of the strided elementwise kernels ({@code RUN}) and of the im2col / col2im row
     * kernels takes: 256 on CPU devices (index arithmetic once per run), 1 on GPUs (neighbouring work items touch
     * neighbouring addresses); {@code -Dkasane.opencl.elementRun=N} overrides it.
     */
    final int elementRun;

    /** A kernel object and the largest work-group it can run with. */
    record Kernel(String name, cl_kernel kernel, int maxWorkGroup) {
    }

    Programs(OpenClContext ctx) {
        this.ctx = ctx;
        int cap = (int) Math.min(ctx.info.maxWorkGroupSize(), ctx.isGpu() ? 256 : 64);
        this.reduceGroup = Integer.highestOneBit(Math.max(1, cap));
        this.elementRun = (int) OpenCl.longProperty(ELEMENT_RUN_PROPERTY, ctx.isGpu() ? 1 : 256, 1);
    }

    /** The kernel {@code name} of {@code family} compiled for {@code dtype}. */
    Kernel kernel(Family family, DType dtype, String name) {
        String key = family + "[" + dtype + "]." + name;
        Kernel k = kernels.get(key);
        if (k == null) {
            k = kernels.computeIfAbsent(key, x -> {
                cl_kernel ck = CL.clCreateKernel(program(family, dtype), name, null);
                long[] wg = new long[1];
                CL.clGetKernelWorkGroupInfo(ck, ctx.deviceId, CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(wg), null);
                return new Kernel(name, ck, (int) Math.min(Integer.MAX_VALUE, wg[0]));
            });
        }
        return k;
    }

    private synchronized cl_program program(Family family, DType dtype) {
        String name = family.name().toLowerCase(java.util.Locale.ROOT) + "[" + dtype + "]";
        cl_program p = programs.get(name);
        if (p == null) {
            String[] sources = new String[family.files.length];
            for (int i = 0; i < sources.length; i++) {
                sources[i] = source(family.files[i]);
            }
            long t0 = System.nanoTime();
            p = build(ctx, name, sources, options(dtype));
            LOG.debug("built OpenCL program {} for {} in {} ms", name, ctx.device, (System.nanoTime() - t0) / 1_000_000);
            programs.put(name, p);
        }
        return p;
    }

    /** The {@code -D} options that specialise a program for {@code dtype} on this device. */
    String options(DType dtype) {
        StringBuilder o = new StringBuilder();
        o.append("-DMAXR=").append(MAX_RANK).append(" -DRWG=").append(reduceGroup).append(" -DRUN=").append(elementRun);
        o.append(" -DGEMM_TS=").append(GEMM_TS).append(" -DGEMM_WPT=").append(GEMM_WPT).append(" -DGEMM_TSK=").append(GEMM_TSK);
        o.append(" -DGEMM_MR=").append(GEMM_MR).append(" -DGEMM_NV=").append(GEMM_NV);
        if (dtype.isFloating()) {
            o.append(" -DGEMM_VW=").append(ctx.vectorWidth(dtype));
        }
        if (ctx.fp64) {
            o.append(" -DHAS_FP64");
        }
        if (ctx.correctlyRoundedDivideSqrt) {
            o.append(" -cl-fp32-correctly-rounded-divide-sqrt");
        }
        switch (dtype) {
            case F32: o.append(" -DT=float -DKIND_FLOAT -DKIND_F32"); break;
            case F64: o.append(" -DT=double -DKIND_FLOAT -DKIND_F64"); break;
            case I32: o.append(" -DT=int -DUT=uint -DKIND_INT -DKIND_I32"); break;
            case I64: o.append(" -DT=long -DUT=ulong -DKIND_INT -DKIND_I64"); break;
            case U8: o.append(" -DT=uchar -DUT=uint -DKIND_INT -DKIND_U8"); break;
            case BOOL: o.append(" -DT=uchar -DUT=uint -DKIND_INT -DKIND_BOOL"); break;
            case BF16: o.append(" -DT=ushort -DUT=uint -DKIND_INT -DKIND_HALF -DKIND_BF16"); break;
            case F16: o.append(" -DT=ushort -DUT=uint -DKIND_INT -DKIND_HALF -DKIND_F16"); break;
            default: throw new IllegalStateException("opencl: no kernels for dtype " + dtype);
        }
        return o.toString();
    }

    /**
     * Compiles {@code sources} into a program for the context's device.
     *
     * @throws OpenClBuildException carrying the build log and {@code name} when compilation fails
     */
    private static final Object BUILD_LOCK = new Object();

    static cl_program build(OpenClContext ctx, String name, String[] sources, String options) {
        cl_program p = CL.clCreateProgramWithSource(ctx.context, sources.length, sources, null, null);
        try {
            // One build at a time in the whole process: some drivers' compilers (PoCL's LLVM among them) are not
            // safe to run concurrently, and builds happen once per program and context, so this costs nothing.
            synchronized (BUILD_LOCK) {
                CL.clBuildProgram(p, 1, new cl_device_id[] {ctx.deviceId}, options, null, null);
            }
        } catch (CLException e) {
            String log = buildLog(p, ctx.deviceId);
            CL.clReleaseProgram(p);
            throw new OpenClBuildException(name, ctx.device + " (" + ctx.info.name() + ")", options, log, e);
        }
        return p;
    }

    private static String buildLog(cl_program p, cl_device_id d) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(p, d, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(p, d, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            int n = b.length;
            while (n > 0 && b[n - 1] == 0) {
                n--;
            }
            return new String(b, 0, n, StandardCharsets.UTF_8);
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    /** The text of a kernel source: a resource next to this class, or {@link OpSource#NAME}'s generated text. */
    static String source(String file) {
        return SOURCES.computeIfAbsent(file, f -> f.equals(OpSource.NAME) ? OpSource.generate() : resource(f));
    }

    private static String resource(String f) {
        try (InputStream in = Programs.class.getResourceAsStream(f)) {
            if (in == null) {
                throw new IllegalStateException("opencl: kernel source " + f + " is missing from the classpath (package "
                        + Programs.class.getPackageName() + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: cannot read kernel source " + f, e);
        }
    }
}
