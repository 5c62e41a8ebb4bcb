package dev.kasane.tensor;

import java.util.Locale;
import java.util.Objects;

/**
 * Where an {@link NDArray}'s storage lives: the CPU, or an OpenCL device by index.
 *
 * <p>The default device, used by every creation function that is not given one, starts as the value
 * of the system property {@code kasane.device} ({@code cpu}, {@code opencl}, {@code opencl:1}) or
 * {@link #CPU}, and can be changed with {@link #setDefault(Device)}.
 */
public final class Device {
    /** The kinds of device a backend can serve. */
    public enum Type {
        /** Host memory, served by backend-cpu. */
        CPU,
        /** An OpenCL device, served by backend-opencl. */
        OPENCL
    }

    /** The host CPU. */
    public static final Device CPU = new Device(Type.CPU, 0);

    private static volatile Device defaultDevice;

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    /** The OpenCL device with the given index in the list of all platforms' devices. */
    public static Device opencl(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Device.opencl: index must be >= 0, got " + index);
        }
        return new Device(Type.OPENCL, index);
    }

    /** Parses {@code cpu}, {@code opencl} (index 0) or {@code opencl:N}, case-insensitively. */
    public static Device parse(String spec) {
        String s = Objects.requireNonNull(spec, "device spec").trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("opencl") || s.equals("gpu")) {
            return opencl(0);
        }
        if (s.startsWith("opencl:")) {
            try {
                return opencl(Integer.parseInt(s.substring(7)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Device.parse: bad device index in '" + spec + "'", e);
            }
        }
        throw new IllegalArgumentException("Device.parse: unknown device '" + spec + "' (expected cpu, opencl or opencl:N)");
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

    /** The kind of device. */
    public Type type() {
        return type;
    }

    /** The index among devices of the same type (0 for the CPU). */
    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).type == type && ((Device) o).index == index;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + index;
    }

    /** {@code cpu} or {@code opencl:N}. */
    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "opencl:" + index;
    }
}
