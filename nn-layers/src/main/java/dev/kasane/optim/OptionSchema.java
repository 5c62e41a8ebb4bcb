package dev.kasane.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The one place where an optimizer's typed options meet PyTorch's {@code param_groups} keys: each option's key
 * ({@code "lr"}, {@code "beta1"}, ...), how to read it from and set it on the options record, and its valid range.
 * From it come the options' validation, their state-dict form (numbers written with {@link Double#toString(double)},
 * flags as {@code 1.0} or {@code 0.0}, as checkpoints have always held them) and their parsing back.
 *
 * <p>Every schema starts with {@code lr} and ends with {@code weight_decay} and {@code maximize}, the options of
 * {@link OptimizerOptions}; an optimizer lists the options of its own in between:
 *
 * <pre>{@code
 * static final OptionSchema<Options> SCHEMA = OptionSchema.<Options>builder()
 *         .atLeast("momentum", Options::momentum, Options::momentum, 0)
 *         .flag("nesterov", Options::nesterov, Options::nesterov)
 *         .build();
 * }</pre>
 *
 * @param <O> the options type
 */
public final class OptionSchema<O extends OptimizerOptions<O>> {
    /** One option: its key, accessors and valid range {@code [lo, hi]} or {@code [lo, hi)}. */
    private record Entry<O>(String key, ToDoubleFunction<O> get, BiFunction<O, Double, O> set, boolean flag, double lo,
            double hi, boolean closed) {
        String range() {
            if (lo == Double.NEGATIVE_INFINITY) {
                return "a number";
            }
            return hi == Double.POSITIVE_INFINITY ? ">= " + lo : "in [" + lo + ", " + hi + (closed ? "]" : ")");
        }

        boolean accepts(double v) {
            return flag || v >= lo && (closed ? v <= hi : v < hi);
        }
    }

    private final List<Entry<O>> entries;

    private OptionSchema(List<Entry<O>> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A builder that already holds {@code lr} (at least 0). */
    public static <O extends OptimizerOptions<O>> Builder<O> builder() {
        return new Builder<O>().atLeast("lr", O::lr, O::lr, 0);
    }

    /** Collects the options of a schema in their state-dict order. */
    public static final class Builder<O extends OptimizerOptions<O>> {
        private final List<Entry<O>> entries = new ArrayList<>();

        private Builder() {
        }

        /** A number option that must be at least {@code lo}. */
        public Builder<O> atLeast(String key, ToDoubleFunction<O> get, BiFunction<O, Double, O> set, double lo) {
            return add(new Entry<>(key, get, set, false, lo, Double.POSITIVE_INFINITY, false));
        }

        /** A number option with no range (any value but NaN). */
        public Builder<O> number(String key, ToDoubleFunction<O> get, BiFunction<O, Double, O> set) {
            return atLeast(key, get, set, Double.NEGATIVE_INFINITY);
        }

        /** A number option in {@code [lo, hi]} if {@code closed}, else {@code [lo, hi)}. */
        public Builder<O> inRange(String key, ToDoubleFunction<O> get, BiFunction<O, Double, O> set, double lo, double hi,
                boolean closed) {
            return add(new Entry<>(key, get, set, false, lo, hi, closed));
        }

        /** A flag option, written as 1.0 or 0.0. */
        public Builder<O> flag(String key, Predicate<O> get, BiFunction<O, Boolean, O> set) {
            return add(new Entry<>(key, o -> get.test(o) ? 1 : 0, (o, v) -> set.apply(o, v != 0), true, 0, 1, true));
        }

        private Builder<O> add(Entry<O> e) {
            for (Entry<O> other : entries) {
                if (other.key().equals(e.key())) {
                    throw new IllegalArgumentException("OptionSchema: option '" + e.key() + "' listed twice");
                }
            }
            entries.add(e);
            return this;
        }

        /** The schema, with {@code weight_decay} (at least 0) and {@code maximize} appended. */
        public OptionSchema<O> build() {
            atLeast("weight_decay", O::weightDecay, O::weightDecay, 0);
            flag("maximize", O::maximize, O::maximize);
            return new OptionSchema<>(entries);
        }
    }

    /** The PyTorch keys of the options, in order. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Entry<O> e : entries) {
            keys.add(e.key());
        }
        return keys;
    }

    /**
     * Checks every option's range.
     *
     * @param op the optimizer's name, for the message
     * @throws IllegalArgumentException naming the optimizer, the option and its value if one is out of range
     */
    public void validate(String op, O options) {
        Objects.requireNonNull(options, op + ": options");
        for (Entry<O> e : entries) {
            double v = e.get().applyAsDouble(options);
            if (!e.accepts(v)) {
                throw new IllegalArgumentException(op + ": invalid " + e.key() + " " + v + " (must be " + e.range() + ")");
            }
        }
    }

    /** The options by PyTorch key, as the state dict writes them. */
    public LinkedHashMap<String, String> toPyTorch(O options) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Entry<O> e : entries) {
            out.put(e.key(), Double.toString(e.get().applyAsDouble(options)));
        }
        return out;
    }

    /**
     * {@code base} with the options in {@code values} (PyTorch keys; numbers, flags as 1/0 or true/false) set. Keys of
     * no option are left for the caller (see {@link #keys()}); the result is not validated.
     *
     * @param op the caller, for messages
     * @throws IllegalArgumentException naming the key and value if a value does not parse
     */
    public O fromPyTorch(String op, O base, Map<String, String> values) {
        O out = base;
        for (Entry<O> e : entries) {
            String s = values.get(e.key());
            if (s != null) {
                out = e.set().apply(out, parse(op, e, s));
            }
        }
        return out;
    }

    private static double parse(String op, Entry<?> e, String s) {
        if (e.flag() && (s.equals("true") || s.equals("false"))) {
            return s.equals("true") ? 1 : 0;
        }
        try {
            double v = Double.parseDouble(s);
            if (e.flag() && v != 0 && v != 1) {
                throw new IllegalArgumentException(op + ": flag " + e.key() + " = '" + s + "' is not 1 or 0");
            }
            return v;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(op + ": option " + e.key() + " = '" + s + "' is not a number", ex);
        }
    }
}
