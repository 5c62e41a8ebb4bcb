package dev.kasane.selection;

import dev.kasane.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A named, typed hyperparameter and the values it may take: a list of choices (which {@link GridSearch} enumerates
 * and {@link RandomSearch} draws from), or a range that only {@link RandomSearch} samples. A {@link Config} returns
 * its value with the parameter's type: {@code double lr = config.get(LR)}.
 *
 * <pre>{@code
 * static final Param<Double> LR = Param.logUniform("lr", 1e-4, 1e-2);
 * static final Param<Integer> BATCH = Param.choice("batch_size", 32, 64, 128);
 * }</pre>
 *
 * @param <T> the value type
 */
public final class Param<T> {
    private final String name;
    private final List<T> choices;
    private final Function<Generator, T> sampler;
    private final String description;

    private Param(String name, List<T> choices, Function<Generator, T> sampler, String description) {
        this.name = name;
        this.choices = choices;
        this.sampler = sampler;
        this.description = description;
    }

    /**
     * A parameter taking one of {@code values} (in this order in a grid; drawn uniformly at random).
     *
     * @throws IllegalArgumentException if the name is empty or there are no values or a null one
     */
    @SafeVarargs
    public static <T> Param<T> choice(String name, T... values) {
        checkName(name);
        if (values.length == 0 || Arrays.asList(values).contains(null)) {
            throw new IllegalArgumentException("Param.choice(" + name + "): needs one or more values and no null, got "
                    + Arrays.toString(values));
        }
        List<T> list = List.of(values);
        return new Param<>(name, list, g -> list.get((int) g.nextLong(list.size())), "one of " + list);
    }

    /**
     * A parameter drawn uniformly from {@code [low, high)}.
     *
     * @throws IllegalArgumentException unless {@code low < high}, both finite
     */
    public static Param<Double> uniform(String name, double low, double high) {
        checkRange("uniform", name, low, high);
        return new Param<>(name, null, g -> low + (high - low) * g.nextDouble(), "uniform in [" + low + ", " + high + ")");
    }

    /**
     * A parameter whose logarithm is drawn uniformly from {@code [log low, log high)} (learning rates, weight decays).
     *
     * @throws IllegalArgumentException unless {@code 0 < low < high}, both finite
     */
    public static Param<Double> logUniform(String name, double low, double high) {
        checkRange("logUniform", name, low, high);
        if (!(low > 0)) {
            throw new IllegalArgumentException("Param.logUniform(" + name + "): low must be > 0, got " + low);
        }
        double a = Math.log(low);
        double b = Math.log(high);
        return new Param<>(name, null, g -> Math.exp(a + (b - a) * g.nextDouble()),
                "log-uniform in [" + low + ", " + high + ")");
    }

    /**
     * An integer parameter drawn uniformly from {@code low .. high}, both included.
     *
     * @throws IllegalArgumentException if {@code low > high}
     */
    public static Param<Integer> intRange(String name, int low, int high) {
        checkName(name);
        if (low > high) {
            throw new IllegalArgumentException("Param.intRange(" + name + "): low " + low + " > high " + high);
        }
        long span = (long) high - low + 1;
        return new Param<>(name, null, g -> (int) (low + g.nextLong(span)), "an integer in [" + low + ", " + high + "]");
    }

    /** The name (a column of the results table). */
    public String name() {
        return name;
    }

    /** Whether the parameter has a finite list of choices (and can be part of a grid). */
    public boolean isDiscrete() {
        return choices != null;
    }

    /**
     * The choices of a discrete parameter.
     *
     * @throws IllegalStateException if the parameter is a range
     */
    public List<T> choices() {
        if (choices == null) {
            throw new IllegalStateException("Param " + name + " is " + description + ", not a list of choices");
        }
        return choices;
    }

    /** A value drawn from {@code gen}. */
    public T sample(Generator gen) {
        return sampler.apply(Objects.requireNonNull(gen, "Param.sample: gen"));
    }

    /** "lr: log-uniform in [1.0E-4, 0.01)". */
    @Override
    public String toString() {
        return name + ": " + description;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Param: a name must be a non-empty string");
        }
    }

    private static void checkRange(String kind, String name, double low, double high) {
        checkName(name);
        if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
            throw new IllegalArgumentException("Param." + kind + "(" + name + "): needs finite low < high, got [" + low
                    + ", " + high + ")");
        }
    }
}
