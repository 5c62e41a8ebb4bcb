package dev.kasane.backend.opencl;

import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * OpenCL device discovery: every device of every platform, in platform order, numbered as
 * {@link dev.kasane.tensor.Device#opencl(int)} numbers them.
 *
 * <p>The system property {@value #DEVICE_PROPERTY} (a device index in platform order) picks the device that
 * {@code Device.opencl(0)} (and so the spec {@code "opencl"}) means: that device moves to index 0 and the others
 * keep their order after it.
 *
 * <p>JOCL and the OpenCL runtime are loaded on the first call, not when this class or the backend loads, so the
 * library works without libOpenCL as long as no OpenCL device is used. When the runtime or a platform is missing,
 * {@link #devices()} is empty and {@link #unavailableReason()} says what to install.
 */
public final class OpenCl {
    /** System property: index (in platform order) of the device used as {@code Device.opencl(0)}. */
    public static final String DEVICE_PROPERTY = "kasane.opencl.device";

    static final String INSTALL_HINT = "install an OpenCL driver: for the CPU on Debian/Ubuntu "
            + "`apt-get install pocl-opencl-icd ocl-icd-opencl-dev`, or your GPU vendor's OpenCL driver "
            + "(NVIDIA driver, AMD ROCm, Intel compute-runtime)";

    /** A discovered device: its handles and description. */
    record Found(cl_platform_id platform, cl_device_id device, OpenClDeviceInfo info) {
    }

    /** The discovered devices, or why there are none ({@code error} is null when OpenCL can be used). */
    private record State(List<Found> devices, String error) {
    }

    private static volatile State state;

    private OpenCl() {
    }

    /** All OpenCL devices, indexed as {@link dev.kasane.tensor.Device#opencl(int)} indexes them; empty if none. */
    public static List<OpenClDeviceInfo> devices() {
        return state().devices().stream().map(Found::info).collect(Collectors.toUnmodifiableList());
    }

    /** True if at least one OpenCL device can be used. */
    public static boolean isAvailable() {
        return state().error() == null;
    }

    /** Why no OpenCL device can be used (what to install), or empty when one can. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(state().error());
    }

    /**
     * The device with {@code index}.
     *
     * @throws IllegalArgumentException when OpenCL is unavailable or there is no such device
     */
    static Found device(int index) {
        State s = state();
        if (s.error() != null) {
            throw new IllegalArgumentException("opencl: device opencl:" + index + " is not available: " + s.error());
        }
        if (index < 0 || index >= s.devices().size()) {
            throw new IllegalArgumentException("opencl: no device opencl:" + index + "; found " + s.devices().size()
                    + " OpenCL device(s): " + devices() + "; use Device.opencl(i) with i < " + s.devices().size());
        }
        return s.devices().get(index);
    }

    private static State state() {
        State s = state;
        if (s == null) {
            synchronized (OpenCl.class) {
                if (state == null) {
                    state = discover();
                }
                s = state;
            }
        }
        return s;
    }

    /**
     * The value {@code kasane.cpu.spinMicros} must take once OpenCL is loaded, or null to leave it. An OpenCL driver
     * may install its own SIGSEGV handler (PoCL's LLVM does while it compiles a kernel), and the JVM uses SIGSEGV
     * internally (safepoint polls): a Java thread running compiled code at that moment crashes the process. The CPU
     * backend's helper threads spin in compiled code between ops, which made this likely (2 runs in 3 of the OpenCL
     * tests); so unless the user chose a value or the JVM chains signals ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so},
     * the JVM's documented remedy), the helpers park at once.
     */
    static String cpuSpinWhenLoaded(String userValue, String ldPreload) {
        if (userValue != null || ldPreload != null && ldPreload.contains("libjsig")) {
            return null;
        }
        return "0";
    }

    private static State discover() {
        String spin = cpuSpinWhenLoaded(System.getProperty("kasane.cpu.spinMicros"), System.getenv("LD_PRELOAD"));
        if (spin != null) {
            System.setProperty("kasane.cpu.spinMicros", spin);
        }
        List<Found> found = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            CL.clGetPlatformIDs(0, null, n);
            if (n[0] == 0) {
                return new State(List.of(), "no OpenCL platform found; " + INSTALL_HINT);
            }
            cl_platform_id[] platforms = new cl_platform_id[n[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            for (cl_platform_id p : platforms) {
                String platformName = platformString(p, CL_PLATFORM_NAME);
                int[] nd = new int[1];
                try {
                    CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (CLException e) {
                    continue;
                }
                cl_device_id[] ds = new cl_device_id[nd[0]];
                CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ds.length, ds, null);
                for (cl_device_id d : ds) {
                    found.add(new Found(p, d, describe(found.size(), platformName, d)));
                }
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            return new State(List.of(), "the OpenCL runtime (libOpenCL / JOCL native library) could not be loaded ("
                    + e + "); " + INSTALL_HINT);
        } catch (CLException e) {
            return new State(List.of(), "no OpenCL platform found (" + e.getMessage() + "); " + INSTALL_HINT);
        }
        if (found.isEmpty()) {
            return new State(List.of(), "the OpenCL platforms report no devices; " + INSTALL_HINT);
        }
        return reorder(found);
    }

    /** Applies {@value #DEVICE_PROPERTY}: moves the chosen device to index 0 and renumbers. */
    private static State reorder(List<Found> found) {
        String prop = System.getProperty(DEVICE_PROPERTY);
        List<Found> order = new ArrayList<>(found);
        if (prop != null && !prop.isBlank()) {
            int chosen;
            try {
                chosen = Integer.parseInt(prop.trim());
            } catch (NumberFormatException e) {
                chosen = -1;
            }
            if (chosen < 0 || chosen >= found.size()) {
                return new State(List.of(), "system property " + DEVICE_PROPERTY + "=" + prop
                        + " is not a device index; the devices are " + found.stream().map(f -> f.info().toString())
                        .collect(Collectors.toList()));
            }
            order.remove(chosen);
            order.add(0, found.get(chosen));
        }
        List<Found> renumbered = new ArrayList<>();
        for (Found f : order) {
            OpenClDeviceInfo i = f.info();
            renumbered.add(new Found(f.platform(), f.device(), new OpenClDeviceInfo(renumbered.size(), i.platform(), i.name(),
                    i.vendor(), i.version(), i.type(), i.globalMemoryBytes(), i.computeUnits(), i.maxWorkGroupSize(),
                    i.fp64())));
        }
        return new State(Collections.unmodifiableList(renumbered), null);
    }

    private static OpenClDeviceInfo describe(int index, String platformName, cl_device_id d) {
        long type = deviceLong(d, CL_DEVICE_TYPE);
        String typeName = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU"
                : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
        boolean fp64 = Arrays.asList(deviceString(d, CL_DEVICE_EXTENSIONS).split("\\s+")).contains("cl_khr_fp64");
        return new OpenClDeviceInfo(index, platformName, deviceString(d, CL_DEVICE_NAME), deviceString(d, CL_DEVICE_VENDOR),
                deviceString(d, CL_DEVICE_VERSION), typeName, deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS), deviceSize(d, CL_DEVICE_MAX_WORK_GROUP_SIZE), fp64);
    }

    /**
     * The value of the numeric system property {@code name}, or {@code dflt} when it is not set.
     *
     * @throws IllegalArgumentException naming the property when its value is not a whole number of at least {@code min}
     */
    static long longProperty(String name, long dflt, long min) {
        String v = System.getProperty(name);
        if (v == null) {
            return dflt;
        }
        try {
            long x = Long.parseLong(v.trim());
            if (x >= min) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("opencl: -D" + name + "=" + v + " must be a whole number >= " + min);
    }

    static String platformString(cl_platform_id p, int param) {
        return infoString((size, value, sizeRet) -> CL.clGetPlatformInfo(p, param, size, value, sizeRet));
    }

    static String deviceString(cl_device_id d, int param) {
        return infoString((size, value, sizeRet) -> CL.clGetDeviceInfo(d, param, size, value, sizeRet));
    }

    /** A cl_ulong or cl_bitfield device property. */
    static long deviceLong(cl_device_id d, int param) {
        return deviceBytes(d, param, Sizeof.cl_ulong).getLong(0);
    }

    /** A cl_uint device property. */
    static int deviceInt(cl_device_id d, int param) {
        return deviceBytes(d, param, Sizeof.cl_uint).getInt(0);
    }

    /** A size_t device property. */
    static long deviceSize(cl_device_id d, int param) {
        ByteBuffer v = deviceBytes(d, param, Sizeof.size_t);
        return Sizeof.size_t == Integer.BYTES ? Integer.toUnsignedLong(v.getInt(0)) : v.getLong(0);
    }

    /** One clGetPlatformInfo or clGetDeviceInfo call for a fixed object and property. */
    @FunctionalInterface
    private interface InfoCall {
        /** Writes up to {@code size} bytes of the property to {@code value}, and its size to {@code sizeRet}. */
        void get(long size, Pointer value, long[] sizeRet);
    }

    /** A string property: asks for its size, then for its bytes. */
    private static String infoString(InfoCall call) {
        long[] size = new long[1];
        call.get(0, null, size);
        byte[] b = new byte[(int) size[0]];
        call.get(b.length, Pointer.to(b), null);
        return cString(b);
    }

    /** A fixed-size device property of {@code bytes} bytes, in the host's byte order. */
    private static ByteBuffer deviceBytes(cl_device_id d, int param, int bytes) {
        ByteBuffer v = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        CL.clGetDeviceInfo(d, param, bytes, Pointer.to(v), null);
        return v;
    }

    private static String cString(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }
}
