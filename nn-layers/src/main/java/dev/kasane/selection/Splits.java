package dev.kasane.selection;

import dev.kasane.data.Dataset;
import dev.kasane.data.Datasets;
import dev.kasane.data.Subset;
import dev.kasane.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Seeded train/validation splits of a dataset, plain or stratified by label. */
public final class Splits {
    private Splits() {
    }

    /**
     * Holds out {@code round(validationFraction * size)} samples drawn at random (the same {@code seed}, the same
     * split), in index order in both subsets.
     *
     * @throws IllegalArgumentException unless {@code 0 < validationFraction < 1} and both subsets get a sample
     */
    public static <T> Split<T> trainValidation(Dataset<T> dataset, double validationFraction, long seed) {
        int n = Objects.requireNonNull(dataset, "trainValidation: dataset").size();
        int held = heldOut("trainValidation", n, validationFraction);
        int[] perm = Datasets.permutation(n, new Generator(seed));
        int[] fold = new int[n];
        for (int i = 0; i < held; i++) {
            fold[perm[i]] = 1;
        }
        return split(dataset, fold, 1);
    }

    /**
     * As {@link #trainValidation}, with each label's share of the validation set as close as possible to its share of
     * the dataset: the samples of each label, shuffled, are dealt in turn, label after label, so that every
     * {@code 1 / validationFraction}-th one is held out.
     *
     * @param labels the label of each sample ({@code labels.length == dataset.size()})
     * @throws IllegalArgumentException unless {@code 0 < validationFraction < 1}, both subsets get a sample and the
     *                                  labels match the dataset
     */
    public static <T> Split<T> stratifiedTrainValidation(Dataset<T> dataset, long[] labels, double validationFraction,
            long seed) {
        int n = Objects.requireNonNull(dataset, "stratifiedTrainValidation: dataset").size();
        checkLabels("stratifiedTrainValidation", n, labels);
        int held = heldOut("stratifiedTrainValidation", n, validationFraction);
        int[] order = byLabel(labels, new Generator(seed));
        int[] fold = new int[n];
        // position j of the label-sorted order is held out when it crosses a multiple of n / held (Bresenham)
        for (int j = 0; j < n; j++) {
            if ((long) (j + 1) * held / n > (long) j * held / n) {
                fold[order[j]] = 1;
            }
        }
        return split(dataset, fold, 1);
    }

    private static int heldOut(String op, int n, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(op + ": validationFraction must be in (0, 1), got " + fraction);
        }
        int held = (int) Math.round(fraction * n);
        if (held < 1 || held > n - 1) {
            throw new IllegalArgumentException(op + ": a validation fraction of " + fraction + " of " + n
                    + " samples leaves " + held + " for validation and " + (n - held) + " for training; both need one");
        }
        return held;
    }

    /** Fails unless there are at least two folds. */
    static void checkFolds(String op, int k) {
        if (k < 2) {
            throw new IllegalArgumentException(op + ": k must be at least 2, got " + k);
        }
    }

    /** Fails unless there is one label per sample. */
    static void checkLabels(String op, int n, long[] labels) {
        Objects.requireNonNull(labels, op + ": labels");
        if (labels.length != n) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for a dataset of " + n + " samples");
        }
    }

    /**
     * The sample indices sorted by label (ascending), each label's samples in a random order drawn from {@code gen},
     * or in index order if {@code gen} is null.
     */
    static int[] byLabel(long[] labels, Generator gen) {
        Integer[] idx = new Integer[labels.length];
        int[] perm = gen == null ? null : Datasets.permutation(labels.length, gen);
        for (int i = 0; i < idx.length; i++) {
            idx[i] = perm == null ? i : perm[i];
        }
        Arrays.sort(idx, (a, b) -> Long.compare(labels[a], labels[b]));   // stable: keeps the shuffled order
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The split whose validation set is the samples with {@code fold[i] == validationFold}, both subsets in index
     * order.
     */
    static <T> Split<T> split(Dataset<T> dataset, int[] fold, int validationFold) {
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            (fold[i] == validationFold ? validation : train).add(i);
        }
        return new Split<>(new Subset<>(dataset, toArray(train)), new Subset<>(dataset, toArray(validation)));
    }

    /** One split per fold of {@code fold} (values {@code 0 .. k-1}), the fold as validation set. */
    static <T> List<Split<T>> folds(Dataset<T> dataset, int[] fold, int k) {
        List<Split<T>> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            out.add(split(dataset, fold, f));
        }
        return List.copyOf(out);
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
