package dev.kasane.tensor.spi;

import dev.kasane.tensor.Device;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the {@link Backend} for a device with {@link ServiceLoader}, once per device type. */
public final class Backends {
    private static volatile Map<Device.Type, Backend> byType;

    private Backends() {
    }

    /**
     * The backend that serves {@code device}, after checking the device exists.
     *
     * @throws IllegalArgumentException when no backend on the classpath serves the device type, or the device is
     *     absent
     */
    public static Backend forDevice(Device device) {
        Backend b = loaded().get(device.type());
        if (b == null) {
            String artifact = device.type() == Device.Type.CPU ? "backend-cpu" : "backend-opencl";
            throw new IllegalArgumentException("no backend for device " + device + ": add the Maven dependency dev.kasane:"
                    + artifact + " to the classpath");
        }
        b.checkDevice(device);
        return b;
    }

    /** True if a backend for this device type is on the classpath. */
    public static boolean isAvailable(Device.Type type) {
        return loaded().containsKey(type);
    }

    private static Map<Device.Type, Backend> loaded() {
        Map<Device.Type, Backend> m = byType;
        if (m == null) {
            synchronized (Backends.class) {
                if (byType == null) {
                    Map<Device.Type, Backend> found = new EnumMap<>(Device.Type.class);
                    for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
                        found.putIfAbsent(b.deviceType(), b);
                    }
                    byType = found;
                }
                m = byType;
            }
        }
        return m;
    }
}
