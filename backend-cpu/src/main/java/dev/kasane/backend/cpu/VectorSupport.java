package dev.kasane.backend.cpu;

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
            if (!"false".equalsIgnoreCase(System.getProperty("kasane.cpu.simd", "true").trim())) {
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
        }
    }

    private VectorSupport() {
    }

    /** True if the Vector API module is in the boot layer. */
    static boolean modulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static GemmKernel load(String name) throws ReflectiveOperationException {
        return (GemmKernel) Class.forName(name).getDeclaredConstructor().newInstance();
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
