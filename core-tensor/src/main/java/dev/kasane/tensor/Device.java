package dev.kasane.tensor;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an {@link NDArray}'s storage lives: a device type, the open key that a backend registers under (its
 * {@link dev.kasane.tensor.spi.Backend#deviceType()}: {@code "cpu"}, {@code "opencl"}, or any other backend's name),
 * and an index among the devices of that type. core-tensor names no backend: a new backend is a new module whose
 * {@code ServiceLoader} entry serves a new type, and {@code Device.of("mytype", 0)} reaches it.
 *
 * <p>The default device, used by every creation function that is not given one, starts as the value of the system
 * property {@code kasane.device} ({@code cpu}, {@code opencl}, {@code opencl:1}, {@code type:N}) or {@link #CPU}, and
 * can be changed with {@link #setDefault(Device)}.
 */
public final class Device {
    /** The device type of the host CPU. */
    public static final String CPU_TYPE = "cpu";
    /** The device type served by backend-cpu's OpenCL sibling, backend-opencl. */
    public static final String OPENCL_TYPE = "opencl";
    /** The host CPU. */
    public static final Device CPU = new Device(CPU_TYPE, 0);

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
    private static volatile Device defaultDevice;

    private final String type;
    private final int index;

    private Device(String type, int index) {
        this.type = type;
        this.index = index;
    }

    /**
     * The device {@code index} of {@code type} (lower-case letters, digits and underscores, starting with a letter).
     *
     * @throws IllegalArgumentException for a malformed type or a negative index
     */
    public static Device of(String type, int index) {
        Objects.requireNonNull(type, "type");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("Device.of: the type must be lower-case letters, digits or '_' starting "
                    + "with a letter, got '" + type + "'");
        }
        if (index < 0) {
            throw new IllegalArgumentException("Device.of: index must be >= 0, got " + index + " for type " + type);
        }
        return type.equals(CPU_TYPE) && index == 0 ? CPU : new Device(type, index);
    }

    /** The OpenCL device with the given index in the list of all platforms' devices. */
    public static Device opencl(int index) {
        return of(OPENCL_TYPE, index);
    }

    /**
     * Parses {@code type} (index 0) or {@code type:N}, case-insensitively: {@code cpu}, {@code opencl},
     * {@code opencl:1}. The type is taken as written (there are no aliases such as {@code gpu}).
     */
    public static Device parse(String spec) {
        String s = Objects.requireNonNull(spec, "device spec").trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String type = colon < 0 ? s : s.substring(0, colon);
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("Device.parse: unknown device '" + spec
                    + "' (expected a type such as cpu or opencl, optionally followed by :N)");
        }
        if (colon < 0) {
            return of(type, 0);
        }
        try {
            return of(type, Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Device.parse: bad device index in '" + spec + "'", e);
        }
    }

    /** The device used when none is given. */
    public static Device getDefault() {
        Device d = defaultDevice;
        if (d == null) {
            synchronized (Device.class) {
                if (defaultDevice == null) {
                    String prop = System.getProperty("kasane.device");
                    defaultDevice = prop == null || prop.isBlank() ? CPU : parse(prop);
                }
                d = defaultDevice;
            }
        }
        return d;
    }

    /** Sets the device used when none is given. */
    public static void setDefault(Device device) {
        defaultDevice = Objects.requireNonNull(device, "device");
    }

    /**
     * Waits until every operation queued on this device has finished; a no-op on the CPU. Call it before reading a
     * clock when timing work on an asynchronous device such as OpenCL.
     */
    public void synchronize() {
        dev.kasane.tensor.spi.Backends.forDevice(this).synchronize(this);
    }

    /** The device type: the key of the backend that serves it ({@code "cpu"}, {@code "opencl"}, ...). */
    public String type() {
        return type;
    }

    /** True for the host CPU. */
    public boolean isCpu() {
        return type.equals(CPU_TYPE);
    }

    /** The index among devices of the same type (0 for the CPU). */
    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).type.equals(type) && ((Device) o).index == index;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + index;
    }

    /** {@code cpu}, or {@code type:N} for every other device ({@code opencl:0}). */
    @Override
    public String toString() {
        return isCpu() && index == 0 ? CPU_TYPE : type + ":" + index;
    }
}
