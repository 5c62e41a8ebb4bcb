package dev.kasane.selection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** One configuration of a search: a value for each parameter of its {@link SearchSpace}. Immutable. */
public final class Config {
    private final Map<String, Object> values;

    Config(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The value of {@code param}.
     *
     * @throws IllegalArgumentException if the configuration has no parameter of that name
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Param<T> param) {
        Object v = values.get(param.name());
        if (v == null) {
            throw new IllegalArgumentException("Config.get: no parameter '" + param.name() + "' in " + this);
        }
        return (T) v;
    }

    /** The values by parameter name, in the space's order. */
    public Map<String, Object> values() {
        return values;
    }

    /** "lr=0.001, batch_size=64". */
    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
