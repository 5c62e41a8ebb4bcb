package dev.kasane.benchmarks;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every Kasane benchmark shares, and the helpers their setups use. JMH reads these class
 * annotations from the superclass; a benchmark that needs other settings (shorter iterations, another time unit)
 * annotates itself, and its annotation wins.
 *
 * <ul>
 *   <li>average time per call, in milliseconds; 3 warm-up and 5 measured iterations of 2 s each;</li>
 *   <li>one fork with the Vector API module and the JDK 17 trap limits (see README, "JDK 17": without them C2 may
 *       drop the Vector API intrinsics for the whole run).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerBytecodeTrapLimit=100",
    "-XX:PerMethodTrapLimit=10000"})
public abstract class KernelBenchmark {
    /** For subclasses. */
    protected KernelBenchmark() {
    }

    /**
     * The integers of a comma-separated {@code @Param} such as {@code "32,64,32,32"}.
     *
     * @throws IllegalArgumentException naming the parameter if an entry is not an integer or the count is not
     *     {@code expected}
     */
    protected static int[] ints(String param, int expected) {
        int[] v;
        try {
            v = Arrays.stream(param.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("benchmark parameter '" + param + "': not a list of integers", e);
        }
        if (v.length != expected) {
            throw new IllegalArgumentException("benchmark parameter '" + param + "': expected " + expected
                    + " comma-separated integers, got " + v.length);
        }
        return v;
    }

    /** F32 normal values with mean 0 and standard deviation {@code std}, drawn from {@code g}, on {@code device}. */
    protected static NDArray normal(Generator g, double std, Device device, int... shape) {
        return NDArray.normal(g, 0, std, DType.F32, device, shape);
    }
}
