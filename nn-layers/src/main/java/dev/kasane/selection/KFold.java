package dev.kasane.selection;

import dev.kasane.data.Dataset;
import dev.kasane.data.Datasets;
import dev.kasane.tensor.Generator;
import java.util.List;
import java.util.Objects;

/**
 * K-fold cross-validation splits (scikit-learn's {@code KFold}): the samples, in order or shuffled, are cut into
 * {@code k} consecutive folds, the first {@code size % k} one sample larger; each fold is the validation set of one
 * split and the rest its training set.
 *
 * <pre>{@code
 * for (Split<Sample> fold : new KFold(5, true, 0).split(dataset)) {
 *     train(model, fold.train());
 *     scores.add(evaluate(model, fold.validation()));
 * }
 * }</pre>
 *
 * @param k the number of folds, at least 2
 * @param shuffle whether samples are shuffled before they are cut into folds
 * @param seed the seed of the shuffle (the same seed, the same folds)
 */
public record KFold(int k, boolean shuffle, long seed) {
    /** @throws IllegalArgumentException if {@code k < 2} */
    public KFold {
        Splits.checkFolds("KFold", k);
    }

    /**
     * The {@code k} splits of {@code dataset}, fold 0 first; each subset lists its samples in index order.
     *
     * @throws IllegalArgumentException if the dataset has fewer than {@code k} samples
     */
    public <T> List<Split<T>> split(Dataset<T> dataset) {
        int n = Objects.requireNonNull(dataset, "KFold.split: dataset").size();
        if (n < k) {
            throw new IllegalArgumentException("KFold.split: " + k + " folds need at least " + k + " samples, the dataset "
                    + "has " + n);
        }
        int[] order = shuffle ? Datasets.permutation(n, new Generator(seed)) : null;
        int[] fold = new int[n];
        int at = 0;
        for (int f = 0; f < k; f++) {
            int size = n / k + (f < n % k ? 1 : 0);
            for (int j = 0; j < size; j++, at++) {
                fold[order == null ? at : order[at]] = f;
            }
        }
        return Splits.folds(dataset, fold, k);
    }
}
