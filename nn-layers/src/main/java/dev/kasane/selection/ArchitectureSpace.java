package dev.kasane.selection;

import dev.kasane.selection.Architecture.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A space of {@link Architecture}s: between {@code minStages} and {@code maxStages} stages, each an operation from
 * {@code ops}, a width from {@code widths} and a depth from {@code depths}. {@link #sample} draws uniformly;
 * {@link #mutate} changes one thing, as regularized evolution's mutations do (Real et al. 2019): one stage's
 * operation, width or depth, or adds or removes the last stage.
 *
 * @param ops the operations
 * @param widths the channel counts
 * @param depths the blocks per stage
 * @param minStages the fewest stages
 * @param maxStages the most stages
 */
public record ArchitectureSpace(List<CellOp> ops, List<Integer> widths, List<Integer> depths, int minStages,
        int maxStages) {
    /**
     * @throws IllegalArgumentException if a list is empty, a width or depth is below 1, or the stage counts are not
     *     {@code 1 <= minStages <= maxStages}
     */
    public ArchitectureSpace {
        ops = List.copyOf(ops);
        widths = List.copyOf(widths);
        depths = List.copyOf(depths);
        if (ops.isEmpty() || widths.isEmpty() || depths.isEmpty()) {
            throw new IllegalArgumentException("ArchitectureSpace: ops, widths and depths must not be empty, got " + ops
                    + ", " + widths + ", " + depths);
        }
        if (widths.stream().anyMatch(w -> w < 1) || depths.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("ArchitectureSpace: widths and depths must be >= 1, got " + widths + ", "
                    + depths);
        }
        if (minStages < 1 || maxStages < minStages) {
            throw new IllegalArgumentException("ArchitectureSpace: needs 1 <= minStages <= maxStages, got " + minStages
                    + ", " + maxStages);
        }
    }

    /** A uniformly drawn architecture. */
    public Architecture sample(Random rnd) {
        int n = minStages + rnd.nextInt(maxStages - minStages + 1);
        List<Stage> stages = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            stages.add(stage(rnd));
        }
        return new Architecture(stages);
    }

    private Stage stage(Random rnd) {
        return new Stage(pick(ops, rnd), pick(widths, rnd), pick(depths, rnd));
    }

    /**
     * {@code parent} with one change, drawn uniformly among those the space allows: another operation, width or depth
     * of one stage, a stage drawn at random added at the end, or the last stage removed. The parent itself when the
     * space allows no change.
     */
    public Architecture mutate(Architecture parent, Random rnd) {
        List<Stage> st = parent.stages();
        List<Supplier<List<Stage>>> changes = new ArrayList<>();
        for (int i = 0; i < st.size(); i++) {
            int s = i;
            Stage p = st.get(s);
            if (ops.size() > 1) {
                changes.add(() -> replace(st, s, new Stage(other(ops, p.op(), rnd), p.width(), p.depth())));
            }
            if (widths.size() > 1) {
                changes.add(() -> replace(st, s, new Stage(p.op(), other(widths, p.width(), rnd), p.depth())));
            }
            if (depths.size() > 1) {
                changes.add(() -> replace(st, s, new Stage(p.op(), p.width(), other(depths, p.depth(), rnd))));
            }
        }
        if (st.size() < maxStages) {
            changes.add(() -> {
                List<Stage> l = new ArrayList<>(st);
                l.add(stage(rnd));
                return l;
            });
        }
        if (st.size() > minStages) {
            changes.add(() -> st.subList(0, st.size() - 1));
        }
        if (changes.isEmpty()) {
            return parent;
        }
        return new Architecture(changes.get(rnd.nextInt(changes.size())).get());
    }

    private static List<Stage> replace(List<Stage> stages, int i, Stage s) {
        List<Stage> l = new ArrayList<>(stages);
        l.set(i, s);
        return l;
    }

    private static <T> T pick(List<T> from, Random rnd) {
        return from.get(rnd.nextInt(from.size()));
    }

    /** A value of {@code from} other than {@code current} (which may be outside the list). */
    private static <T> T other(List<T> from, T current, Random rnd) {
        List<T> rest = from.stream().filter(v -> !v.equals(current)).toList();
        return rest.isEmpty() ? current : pick(rest, rnd);
    }
}
