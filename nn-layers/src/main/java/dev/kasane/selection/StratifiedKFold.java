package dev.kasane.selection;

import dev.kasane.data.Dataset;
import dev.kasane.tensor.Generator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * K-fold splits that keep each label's share in every fold (scikit-learn's {@code StratifiedKFold}): the samples,
 * sorted by label (each label's samples in index order, or shuffled), are dealt to the folds in turn, so each fold
 * gets {@code floor} or {@code ceil} of {@code count / k} samples of each label, and the folds' sizes differ by at
 * most one.
 *
 * @param k the number of folds, at least 2
 * @param shuffle whether each label's samples are shuffled before they are dealt
 * @param seed the seed of the shuffle
 */
public record StratifiedKFold(int k, boolean shuffle, long seed) {
    private static final Logger LOG = LoggerFactory.getLogger(StratifiedKFold.class);

    /** @throws IllegalArgumentException if {@code k < 2} */
    public StratifiedKFold {
        Splits.checkFolds("StratifiedKFold", k);
    }

    /**
     * The {@code k} splits of {@code dataset}, fold 0 first; each subset lists its samples in index order. A label
     * with fewer than {@code k} samples is missing from some validation folds (logged as a warning).
     *
     * @param labels the label of each sample (e.g. {@code targets.toLongArray()})
     * @throws IllegalArgumentException if the labels do not match the dataset, or no label has {@code k} samples
     */
    public <T> List<Split<T>> split(Dataset<T> dataset, long[] labels) {
        int n = Objects.requireNonNull(dataset, "StratifiedKFold.split: dataset").size();
        Splits.checkLabels("StratifiedKFold.split", n, labels);
        TreeMap<Long, Integer> counts = new TreeMap<>();
        for (long l : labels) {
            counts.merge(l, 1, Integer::sum);
        }
        int largest = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (largest < k) {
            throw new IllegalArgumentException("StratifiedKFold.split: " + k + " folds need a label with at least " + k
                    + " samples; the largest label count is " + largest + " (counts by label: " + counts + ")");
        }
        counts.values().removeIf(c -> c >= k);
        if (!counts.isEmpty()) {
            LOG.warn("StratifiedKFold.split: labels with fewer samples than the {} folds, missing from some validation "
                    + "folds (counts by label): {}", k, counts);
        }
        int[] order = Splits.byLabel(labels, shuffle ? new Generator(seed) : null);
        int[] fold = new int[n];
        for (int j = 0; j < n; j++) {
            fold[order[j]] = j % k;
        }
        return Splits.folds(dataset, fold, k);
    }
}
