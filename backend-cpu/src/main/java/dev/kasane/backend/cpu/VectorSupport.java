package dev.kasane.backend.cpu;

import dev.kasane.tensor.spi.Warnings;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the SIMD or the scalar kernels once per JVM. The Vector API path is used when the
 * {@code jdk.incubator.vector} module is in the boot layer (run with {@code --add-modules jdk.incubator.vector})
 * and the system property {@code kasane.cpu.simd} is not {@code false}. Vector kernel classes are only ever
 * loaded by name from here, after that check, so the backend works without the module.
 */
final class VectorSupport {
    private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);

    private static final class Chosen {
        static final GemmKernel F32;
        static final GemmKernel F64;

        static {
            GemmKernel f32 = null;
            GemmKernel f64 = null;
            String why;
            boolean simdWanted = !"false".equalsIgnoreCase(System.getProperty("kasane.cpu.simd", "true").trim());
            if (simdWanted) {
                if (modulePresent()) {
                    try {
                        f32 = load("dev.kasane.backend.cpu.GemmVectorF32");
                        f64 = load("dev.kasane.backend.cpu.GemmVectorF64");
                        why = "jdk.incubator.vector is present";
                    } catch (ReflectiveOperationException | LinkageError e) {
                        f32 = null;
                        f64 = null;
                        why = "loading the Vector API kernels failed (" + e + ")";
                    }
                } else {
                    why = "module jdk.incubator.vector is absent (add --add-modules jdk.incubator.vector)";
                }
            } else {
                why = "system property kasane.cpu.simd=false";
            }
            F32 = f32 != null ? f32 : new GemmScalarF32();
            F64 = f64 != null ? f64 : new GemmScalarF64();
            LOG.info("kasane cpu backend: {} path, GEMM kernels {} / {} ({})", f32 != null ? "SIMD" : "scalar",
                    F32.describe(), F64.describe(), why);
            if (f32 == null && simdWanted) {
                Warnings.warn(LOG, "kasane cpu backend: running the scalar kernels, several times slower than the SIMD"
                        + " ones: " + why);
            }
            if (f32 != null && needsTrapLimits(Runtime.version().feature(), inputArguments())) {
                seedProfiles();
            }
        }
    }

    /**
     * Runs {@code VectorProfileSeed} (a JVM of a feature version before 25 without {@link #TRAP_LIMIT_FLAGS}) unless
     * {@link #seedsProfiles} says no; then, or if seeding fails, warns that the flags are missing.
     */
    private static void seedProfiles() {
        String why = "kasane.cpu.seedProfiles=false";
        if (seedsProfiles(System.getProperty("kasane.cpu.seedProfiles"))) {
            long start = System.nanoTime();
            try {
                load(Runnable.class, "dev.kasane.backend.cpu.VectorProfileSeed").run();
                LOG.info("kasane cpu backend: JDK {} without {}: seeded the Vector API's type profiles in {} ms",
                        Runtime.version().feature(), TRAP_LIMIT_FLAGS, (System.nanoTime() - start) / 1_000_000);
                return;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                why = "seeding the Vector API's type profiles failed (" + e + ")";
            }
        }
        Warnings.warn(LOG, "kasane cpu backend: on JDK " + Runtime.version().feature() + " the Vector API kernels can"
                + " lose C2's intrinsics for the rest of the run (4-6x slower, every vector boxed) once a few"
                + " speculative type checks in jdk.incubator.vector's shared code have failed (" + why + "); run with "
                + TRAP_LIMIT_FLAGS);
    }

    /**
     * Whether to seed the Vector API's type profiles (where {@link #needsTrapLimits} holds), given the value of the
     * system property {@code kasane.cpu.seedProfiles}: yes unless it is {@code false}.
     */
    static boolean seedsProfiles(String property) {
        return property == null || !"false".equalsIgnoreCase(property.trim());
    }

    /**
     * The JVM flags that keep JDK 17's C2 from giving up speculation in the kernels. C2 adds up the failed
     * speculations ("traps") recorded in every method it inlines, once per inlined call, and stops speculating on
     * types in a compilation once the sum of one kind reaches {@code PerMethodTrapLimit} (100). A kernel inlines the
     * Vector API's shared code ({@code FloatVector.lanewiseTemplate}, {@code VectorOperators.ImplCache.find}, ...)
     * dozens of times, so a few failed class checks there (a call site that had seen one operator, then met another)
     * are enough: without type speculation the calls into the vector classes are not inlined, the intrinsics miss
     * their constant species ({@code missing constant: vclass=DecodeN}) and every vector is allocated. These flags
     * put the limit out of reach; without them {@code VectorProfileSeed} prevents the failed checks.
     */
    static final String TRAP_LIMIT_FLAGS = "-XX:PerBytecodeTrapLimit=100 -XX:PerMethodTrapLimit=10000";

    /** Whether a JVM of this feature version, started with these arguments, should be run with {@link #TRAP_LIMIT_FLAGS}. */
    static boolean needsTrapLimits(int jdkFeature, java.util.List<String> jvmArguments) {
        return jdkFeature < 25 && jvmArguments.stream().noneMatch(a -> a.startsWith("-XX:PerBytecodeTrapLimit="));
    }

    /** The JVM's input arguments, or none when the management API is not available. */
    private static java.util.List<String> inputArguments() {
        try {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (LinkageError | SecurityException e) {
            LOG.debug("kasane cpu backend: JVM arguments not readable ({})", e.toString());
            return java.util.List.of();
        }
    }

    private VectorSupport() {
    }

    /** True if the Vector API module is in the boot layer. */
    static boolean modulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static GemmKernel load(String name) throws ReflectiveOperationException {
        return load(GemmKernel.class, name);
    }

    /** A new instance of the class {@code name}, loaded by name so that nothing loads it before the module check. */
    private static <T> T load(Class<T> type, String name) throws ReflectiveOperationException {
        return type.cast(Class.forName(name).getDeclaredConstructor().newInstance());
    }

    /** The F32 GEMM kernel chosen for this JVM. */
    static GemmKernel gemmF32() {
        return Chosen.F32;
    }

    /** The F64 GEMM kernel chosen for this JVM. */
    static GemmKernel gemmF64() {
        return Chosen.F64;
    }

    /** True if the chosen kernels use the Vector API. */
    static boolean simd() {
        return !(Chosen.F32.getClass() == GemmScalarF32.class);
    }

    /**
     * A new {@code className}, the Vector API twin of {@code type}, when the SIMD path is in use and it loads; else
     * null, logging that {@code what} falls back to {@code fallback}.
     */
    private static <T> T vectorOrNull(Class<T> type, String className, String what, String fallback) {
        if (!simd()) {
            return null;
        }
        try {
            return load(type, className);
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.info("kasane cpu backend: Vector API {} unavailable ({}), using {}", what, e.toString(), fallback);
            return null;
        }
    }

    /** Contiguous F32 sum with double accumulation; the Vector API one when the SIMD path is on. */
    static class SumF32 {
        /** Sum of {@code a[off .. off + n)} accumulated in double. */
        double sum(float[] a, int off, int n) {
            return scalar(a, off, n);
        }

        static double scalar(float[] a, int off, int n) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[off + i];
                s1 += a[off + i + 1];
                s2 += a[off + i + 2];
                s3 += a[off + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[off + i];
            }
            return (s0 + s1) + (s2 + s3);
        }
    }

    /** The contiguous F32 loops chosen for this JVM, loaded on first use. */
    private static final class ChosenF32Loops {
        static final SumF32 SUM = Objects.requireNonNullElse(
                vectorOrNull(SumF32.class, "dev.kasane.backend.cpu.VectorSumF32", "sum", "the scalar one"), new SumF32());
        static final SelectF32 SELECT = Objects.requireNonNullElse(
                vectorOrNull(SelectF32.class, "dev.kasane.backend.cpu.VectorSelectF32", "selects", "the scalar ones"),
                new SelectF32());
        static final RowsF32 ROWS = Objects.requireNonNullElse(
                vectorOrNull(RowsF32.class, "dev.kasane.backend.cpu.VectorRowsF32", "row updates", "the scalar ones"),
                new RowsF32());
    }

    /** The contiguous F32 sum chosen for this JVM (Vector API when the SIMD GEMM kernels are in use). */
    static SumF32 sumF32() {
        return ChosenF32Loops.SUM;
    }

    /**
     * Contiguous F32 row updates of the direct convolutions ({@link DepthwiseConv}), eval-mode batch norm's per-channel
     * runs and the sigmoid, scalar here and on the Vector API in {@code VectorRowsF32}: JDK 17's C2 does not vectorize
     * these loops (JDK 25's does, leaving short runs to its scalar post-loop).
     */
    static class RowsF32 {
        /** {@code d[d0 + q] += w * s[s0 + q]} for {@code q < n}. */
        void axpy(float w, float[] s, int s0, float[] d, int d0, int n) {
            for (int q = 0; q < n; q++) {
                d[d0 + q] += w * s[s0 + q];
            }
        }

        /** {@code d[d0 + q] += a[a0 + q] * b[b0 + q]} for {@code q < n}. */
        void mulAdd(float[] a, int a0, float[] b, int b0, float[] d, int d0, int n) {
            for (int q = 0; q < n; q++) {
                d[d0 + q] += a[a0 + q] * b[b0 + q];
            }
        }

        /** Whether {@link #sigmoid} is implemented (the Vector API's, only). */
        boolean hasSigmoid() {
            return false;
        }

        /**
         * {@code d[dof + i * ds] = 1 / (1 + exp(-s[so + i * ss]))} for {@code i < n} in float, every element by the same
         * vector code whatever the layout (within 2 units in the last place of the correctly rounded value; 0 below
         * about -88, as PyTorch's vectorized sigmoid). Only the Vector API implements it.
         */
        void sigmoid(float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
            throw new IllegalStateException("sigmoid: no F32 kernel without the Vector API");
        }

        /**
         * {@code d[d0 + q] = x[x0 + q] * a + b} (a product, then a sum: no fused multiply-add), plus {@code r[r0 + q]}
         * when {@code r} is not null (one more rounded sum), then {@code Math.max(v, 0)} with {@code relu}, for
         * {@code q < n}: one channel's run of inference-mode batch norm ({@link BatchNormKernels#scaleShift}). {@code d}
         * may be {@code x} at {@code x0}.
         */
        void scaleShift(float[] x, int x0, float a, float b, float[] r, int r0, boolean relu, float[] d, int d0, int n) {
            if (r != null && relu) {
                for (int q = 0; q < n; q++) {
                    d[d0 + q] = Math.max(x[x0 + q] * a + b + r[r0 + q], 0f);
                }
            } else if (r != null) {
                for (int q = 0; q < n; q++) {
                    d[d0 + q] = x[x0 + q] * a + b + r[r0 + q];
                }
            } else if (relu) {
                for (int q = 0; q < n; q++) {
                    d[d0 + q] = Math.max(x[x0 + q] * a + b, 0f);
                }
            } else {
                for (int q = 0; q < n; q++) {
                    d[d0 + q] = x[x0 + q] * a + b;
                }
            }
        }

        /** {@code d[d0 + q] = s[s0 + 2q]} for {@code q < n}: every other element (a stride-2 convolution's phases). */
        void everyOther(float[] s, int s0, float[] d, int d0, int n) {
            for (int q = 0; q < n; q++) {
                d[d0 + q] = s[s0 + 2 * q];
            }
        }

        /**
         * {@code d[d0 + q] = 0 + w[w0] * s[s0 + off[0] + q] + w[w0 + 1] * s[s0 + off[1] + q] + ...} over all taps, in
         * order, for {@code q < n}: each product rounded, then added (as {@link #axpy} once per tap into a zeroed run,
         * with the sum kept in a register instead of in {@code d}).
         */
        void taps(float[] w, int w0, int[] off, float[] s, int s0, float[] d, int d0, int n) {
            for (int q = 0; q < n; q++) {
                float acc = 0f;
                for (int t = 0; t < off.length; t++) {
                    acc += w[w0 + t] * s[s0 + off[t] + q];
                }
                d[d0 + q] = acc;
            }
        }
    }

    static RowsF32 rowsF32() {
        return ChosenF32Loops.ROWS;
    }

    private static final class ChosenWinograd {
        static final Winograd.Transforms F32;

        static {
            F32 = vectorOrNull(Winograd.Transforms.class, "dev.kasane.backend.cpu.VectorWinogradF32", "Winograd transforms",
                    "the direct convolution");
        }
    }

    /**
     * The Vector API transforms of {@link Winograd}, or null without the Vector API (then the direct convolution,
     * which beats Winograd with scalar transforms, is used).
     */
    static Winograd.Transforms winogradF32() {
        return ChosenWinograd.F32;
    }

    /**
     * Masked selects over contiguous F32 runs (activation gradients, {@code where} and 2x2 max pooling); scalar here,
     * Vector API compares and blends in {@code VectorSelectF32}. Offsets are element offsets into each array;
     * {@code as}/{@code bs} are 0 (a broadcast scalar) or 1.
     */
    static class SelectF32 {
        /** {@code d = x > 0 ? g : slope * g}. */
        void leakyReluBackward(float[] g, int go, float[] x, int xo, float[] d, int dof, int n, float slope) {
            for (int i = 0; i < n; i++) {
                float gv = g[go + i];
                d[dof + i] = x[xo + i] > 0 ? gv : gv * slope;
            }
        }

        /** {@code d = Math.max(s, 0)} (NaN stays NaN, -0.0 becomes 0.0), contiguous. */
        void relu(float[] s, int so, float[] d, int dof, int n) {
            for (int i = 0; i < n; i++) {
                d[dof + i] = Math.max(s[so + i], 0f);
            }
        }

        /** {@code d = y <= 0 ? 0 : g}. */
        void reluBackward(float[] g, int go, float[] y, int yo, float[] d, int dof, int n) {
            for (int i = 0; i < n; i++) {
                d[dof + i] = y[yo + i] <= 0 ? 0f : g[go + i];
            }
        }

        /** {@code d = lo <= x && x <= hi ? g : 0} (a NaN {@code x} gives 0): clamp's and ReLU6's backward. */
        void clampBackward(float[] g, int go, float[] x, int xo, float[] d, int dof, int n, float lo, float hi) {
            for (int i = 0; i < n; i++) {
                float xv = x[xo + i];
                d[dof + i] = xv >= lo && xv <= hi ? g[go + i] : 0f;
            }
        }

        /**
         * Max pooling of {@code count} 2x2 windows with stride 2 along a row pair: window {@code i} has its top-left
         * cell at {@code x[r0 + 2i]} and its bottom row {@code w} further. {@code vals[o + i]} is the first maximum in
         * row-major order (a NaN is the maximum, the first one), read from its cell (of -0.0 and 0.0 the first wins);
         * {@code idx[o + i]} is {@code idx0 + 2i} plus its cell's offset (0, 1, w or w + 1).
         */
        void maxPool2x2(float[] x, int r0, int w, int count, float[] vals, long[] idx, int o, long idx0) {
            for (int i = 0; i < count; i++) {
                int base = r0 + 2 * i;
                float a = x[base];
                float b = x[base + 1];
                float c = x[base + w];
                float d = x[base + w + 1];
                int at;
                if (a != a || b != b || c != c || d != d) {
                    at = a != a ? 0 : b != b ? 1 : c != c ? w : w + 1;
                } else {
                    // integer selects against the running max: no branch on the data
                    at = b > a ? 1 : 0;
                    float m = Math.max(a, b);
                    at = c > m ? w : at;
                    m = Math.max(m, c);
                    at = d > m ? w + 1 : at;
                }
                vals[o + i] = x[base + at];
                idx[o + i] = idx0 + 2 * i + at;
            }
        }

        /**
         * Max pooling of {@code count} windows of {@code kh x kw} cells (dilation {@code dh, dw}) with stride 2 along a
         * row, as {@link #maxPool2x2} does for 2x2 windows: window {@code i} has its top-left cell at {@code x[r0 + 2i]},
         * rows {@code w} apart, and lies inside the plane; {@code vals[o + i]} and {@code idx[o + i]} by
         * {@link Pool#firstMax} ({@code idx0 + 2i} plus the cell's offset {@code i * dh * w + j * dw}).
         */
        void maxPoolStride2(float[] x, int r0, int w, int kh, int kw, int dh, int dw, int count, float[] vals, long[] idx,
                int o, long idx0) {
            for (int i = 0; i < count; i++) {
                int base = r0 + 2 * i;
                int at = Pool.firstMax(x, base, w, kh, kw, dh, dw);
                vals[o + i] = x[base + at];
                idx[o + i] = idx0 + 2 * i + at;
            }
        }

        /** {@code d = c != 0 ? a : b}. */
        void where(byte[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, float[] d, int dof, int n) {
            for (int i = 0; i < n; i++) {
                d[dof + i] = c[co + i] != 0 ? a[ao + i * as] : b[bo + i * bs];
            }
        }
    }

    /** The contiguous F32 selects chosen for this JVM (Vector API when the SIMD GEMM kernels are in use). */
    static SelectF32 selectF32() {
        return ChosenF32Loops.SELECT;
    }

    /** Loads the vector kernels regardless of the property (tests compare both paths); null without the module. */
    static GemmKernel[] vectorKernelsOrNull() {
        if (!modulePresent()) {
            return null;
        }
        try {
            return new GemmKernel[] {load("dev.kasane.backend.cpu.GemmVectorF32"), load("dev.kasane.backend.cpu.GemmVectorF64")};
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
