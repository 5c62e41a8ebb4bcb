package dev.kasane.backend.opencl;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Device time per kernel, for tuning: with {@code -Dkasane.opencl.profile=true} the command queue records an event per
 * kernel launch, and {@link OpenClBackend#kernelProfile} sums them by kernel name and releases them. Off by default
 * (events cost a little per launch, and they are held until that call: call it every few steps in a long run).
 * Buffer copies, fills and reads are not counted.
 */
final class KernelProfile {
    /** The system property that turns profiling on. */
    static final String PROPERTY = "kasane.opencl.profile";

    /** One launch: the kernel's name and its event. */
    private record Launched(String kernel, cl_event event) {
    }

    private final List<Launched> launched = new ArrayList<>();

    private KernelProfile() {
    }

    /** A profile if {@link #PROPERTY} is true, else null. */
    static KernelProfile fromProperty() {
        return Boolean.getBoolean(PROPERTY) ? new KernelProfile() : null;
    }

    /** Records a launch of {@code kernel} (called with the context's lock held). */
    void add(String kernel, cl_event event) {
        launched.add(new Launched(kernel, event));
    }

    /**
     * The table of the launches recorded since the last call, which must have finished (the caller waits for the
     * queue first): one line per kernel, most device time first, with launches, total and mean milliseconds.
     */
    String drain() {
        Map<String, double[]> byKernel = new LinkedHashMap<>();
        for (Launched l : launched) {
            double ms = (time(l.event(), CL_PROFILING_COMMAND_END) - time(l.event(), CL_PROFILING_COMMAND_START)) / 1e6;
            double[] t = byKernel.computeIfAbsent(l.kernel(), k -> new double[2]);
            t[0]++;
            t[1] += ms;
            CL.clReleaseEvent(l.event());
        }
        launched.clear();
        double total = byKernel.values().stream().mapToDouble(t -> t[1]).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-28s %8s %10s %9s %6s%n", "kernel", "launches",
                "total ms", "mean ms", "share"));
        byKernel.entrySet().stream().sorted(Comparator.comparingDouble(e -> -e.getValue()[1])).forEach(e -> out.append(
                String.format(Locale.ROOT, "%-28s %8d %10.2f %9.3f %5.1f%%%n", e.getKey(), (long) e.getValue()[0],
                        e.getValue()[1], e.getValue()[1] / e.getValue()[0], 100 * e.getValue()[1] / Math.max(total, 1e-9))));
        return out.toString();
    }

    private static long time(cl_event e, int what) {
        long[] v = new long[1];
        CL.clGetEventProfilingInfo(e, what, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }
}
