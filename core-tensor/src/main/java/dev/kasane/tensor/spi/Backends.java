package dev.kasane.tensor.spi;

import dev.kasane.tensor.Device;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the {@link Backend} for a device with {@link ServiceLoader}, once per device type. */
public final class Backends {
    private static volatile Map<String, Backend> byType;

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
            throw new IllegalArgumentException("no backend for device " + device + " on the classpath (found: "
                    + (loaded().isEmpty() ? "none" : String.join(", ", loaded().keySet()))
                    + "); Kasane's own are the Maven artifacts dev.kasane:backend-" + device.type());
        }
        b.checkDevice(device);
        return b;
    }

    /**
     * The optional kernel set {@code type} of the backend serving {@code device} (see {@link Backend#extension}), or
     * null when that backend does not offer it and the caller must run its composed version.
     */
    public static <T> T extension(Device device, Class<T> type) {
        return forDevice(device).extension(type);
    }

    /** True if a backend for this device type ({@code "cpu"}, {@code "opencl"}, ...) is on the classpath. */
    public static boolean isAvailable(String deviceType) {
        return loaded().containsKey(deviceType);
    }

    private static Map<String, Backend> loaded() {
        Map<String, Backend> m = byType;
        if (m == null) {
            synchronized (Backends.class) {
                if (byType == null) {
                    Map<String, Backend> found = new TreeMap<>();
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
