package dev.kasane.data;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Dataset utilities: random splits (PyTorch's {@code random_split}) and permutations. */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Splits {@code dataset} at random into non-overlapping subsets of the given lengths.
     *
     * @param lengths sizes of the subsets, summing to {@code dataset.size()}
     * @param generator source of the permutation (the same seed gives the same split)
     * @throws IllegalArgumentException if a length is negative or they do not sum to the dataset's size
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        Objects.requireNonNull(dataset, "randomSplit: dataset");
        Objects.requireNonNull(generator, "randomSplit: generator");
        long sum = 0;
        for (int l : lengths) {
            if (l < 0) {
                throw new IllegalArgumentException("randomSplit: lengths must be non-negative, got " + Arrays.toString(lengths));
            }
            sum += l;
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: lengths " + Arrays.toString(lengths) + " sum to " + sum
                    + ", but the dataset has " + dataset.size() + " samples");
        }
        int[] perm = permutation(dataset.size(), generator);
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int start = 0;
        for (int l : lengths) {
            out.add(new Subset<>(dataset, Arrays.copyOfRange(perm, start, start + l)));
            start += l;
        }
        return out;
    }

    /**
     * Splits {@code dataset} at random into subsets holding the given fractions of it, as PyTorch does: each subset
     * gets {@code floor(fraction * size)} samples and the remainder is dealt one by one to the subsets in order.
     *
     * @param fractions each in [0, 1], summing to 1 (within 1e-9)
     * @throws IllegalArgumentException if a fraction is outside [0, 1] or they do not sum to 1
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        Objects.requireNonNull(dataset, "randomSplit: dataset");
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fractions must be in [0, 1], got " + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (fractions.length == 0 || Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " sum to " + sum
                    + ", not 1");
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int total = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            total += lengths[i];
        }
        for (int i = 0; i < n - total; i++) {
            lengths[i % lengths.length]++;
        }
        return randomSplit(dataset, lengths, generator);
    }

    /**
     * A uniformly random permutation of {@code 0 .. n-1}, the same as {@link Tensor#randperm(Generator, int, Device)}
     * draws from {@code generator} (one Fisher-Yates shuffle, written once in core-tensor).
     */
    public static int[] permutation(int n, Generator generator) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: n must be non-negative, got " + n);
        }
        return Tensor.randperm(generator, n, Device.CPU).toIntArray();
    }
}
