package dev.kasane.selection;

import dev.kasane.tensor.Generator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The hyperparameters of a search, in order (the columns of the results table). */
public final class SearchSpace {
    private final List<Param<?>> params;

    private SearchSpace(List<Param<?>> params) {
        this.params = params;
    }

    /**
     * A space of {@code params}.
     *
     * @throws IllegalArgumentException if there are none or two share a name
     */
    public static SearchSpace of(Param<?>... params) {
        Set<String> names = new HashSet<>();
        for (Param<?> p : params) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("SearchSpace.of: two parameters are named '" + p.name() + "'");
            }
        }
        if (params.length == 0) {
            throw new IllegalArgumentException("SearchSpace.of: needs at least one parameter");
        }
        return new SearchSpace(List.of(params));
    }

    /** The parameters. */
    public List<Param<?>> params() {
        return params;
    }

    /**
     * Every combination of the choices, the last parameter varying fastest.
     *
     * @throws IllegalArgumentException if a parameter is a range
     */
    public List<Config> grid() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(new LinkedHashMap<>());
        for (Param<?> p : params) {
            if (!p.isDiscrete()) {
                throw new IllegalArgumentException("SearchSpace.grid: parameter " + p + " has no list of choices; a grid "
                        + "needs Param.choice (use RandomSearch for ranges)");
            }
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                for (Object v : p.choices()) {
                    Map<String, Object> r = new LinkedHashMap<>(row);
                    r.put(p.name(), v);
                    next.add(r);
                }
            }
            rows = next;
        }
        return rows.stream().map(Config::new).toList();
    }

    /**
     * {@code n} configurations drawn at random, each parameter in turn (the same seed, the same configurations).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public List<Config> sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("SearchSpace.sample: n must be >= 1, got " + n);
        }
        Generator gen = new Generator(seed);
        List<Config> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Param<?> p : params) {
                values.put(p.name(), p.sample(gen));
            }
            out.add(new Config(values));
        }
        return out;
    }

    @Override
    public String toString() {
        return params.toString();
    }
}
