package dev.kasane.selection;

import static dev.kasane.data.TestDatasets.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** KFold, StratifiedKFold and train/validation splits: sizes, label shares, disjointness, seeds. */
class SplitsTest {
    /** Fails unless train and validation are disjoint and cover the dataset; returns the validation indices. */
    private static int[] validation(Split<Integer> s, int n) {
        int[] train = s.train().indices();
        int[] val = s.validation().indices();
        int[] all = IntStream.concat(Arrays.stream(train), Arrays.stream(val)).sorted().toArray();
        assertArrayEquals(IntStream.range(0, n).toArray(), all, "train and validation partition the dataset");
        assertArrayEquals(Arrays.stream(val).sorted().toArray(), val, "in index order");
        return val;
    }

    @Test
    void kFoldCutsConsecutiveFoldsTheFirstOnesLarger() {
        List<Split<Integer>> folds = new KFold(3, false, 0).split(range(10));
        assertEquals(3, folds.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, validation(folds.get(0), 10));   // scikit-learn's KFold(3)
        assertArrayEquals(new int[] {4, 5, 6}, validation(folds.get(1), 10));
        assertArrayEquals(new int[] {7, 8, 9}, validation(folds.get(2), 10));
        assertEquals(7, folds.get(2).train().size());
        assertEquals(6, folds.get(2).train().get(6), "the training set is the samples of the other folds");
    }

    @Test
    void shuffledKFoldIsSeededAndEveryIndexIsValidatedOnce() {
        List<int[]> a = new ArrayList<>();
        for (Split<Integer> s : new KFold(4, true, 7).split(range(22))) {
            a.add(validation(s, 22));
        }
        assertEquals(List.of(6, 6, 5, 5), a.stream().map(v -> v.length).toList());
        assertArrayEquals(IntStream.range(0, 22).toArray(), a.stream().flatMapToInt(Arrays::stream).sorted().toArray());
        List<Split<Integer>> same = new KFold(4, true, 7).split(range(22));
        List<Split<Integer>> other = new KFold(4, true, 8).split(range(22));
        for (int f = 0; f < 4; f++) {
            assertArrayEquals(a.get(f), same.get(f).validation().indices(), "the same seed, the same folds");
        }
        assertNotEquals(Arrays.toString(a.get(0)), Arrays.toString(other.get(0).validation().indices()));
        assertNotEquals(Arrays.toString(a.get(0)), Arrays.toString(new int[] {0, 1, 2, 3, 4, 5}), "shuffled");
    }

    @Test
    void stratifiedKFoldKeepsEachLabelsShareInEveryFold() {
        long[] labels = new long[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i % 10 < 7 ? 2 : i % 10 < 9 ? 0 : 5;    // 70 of label 2, 20 of label 0, 10 of label 5
        }
        for (boolean shuffle : new boolean[] {false, true}) {
            for (Split<Integer> s : new StratifiedKFold(5, shuffle, 3).split(range(100), labels)) {
                int[] count = new int[6];
                for (int i : validation(s, 100)) {
                    count[(int) labels[i]]++;
                }
                assertArrayEquals(new int[] {4, 0, 14, 0, 0, 2}, count, "labels 0, 2 and 5 in one validation fold");
            }
        }
    }

    @Test
    void stratifiedKFoldDealsLabelByLabel() {
        long[] labels = {1, 1, 1, 0, 0, 0, 0, 0, 0};
        List<Split<Integer>> folds = new StratifiedKFold(3, false, 0).split(range(9), labels);
        assertArrayEquals(new int[] {0, 3, 6}, validation(folds.get(0), 9));
        assertArrayEquals(new int[] {1, 4, 7}, validation(folds.get(1), 9));
        assertArrayEquals(new int[] {2, 5, 8}, validation(folds.get(2), 9));
    }

    @Test
    void trainValidationSplitsAreSeeded() {
        int[] v = validation(Splits.trainValidation(range(50), 0.2, 1), 50);
        assertEquals(10, v.length);
        assertArrayEquals(v, Splits.trainValidation(range(50), 0.2, 1).validation().indices());
        assertNotEquals(Arrays.toString(v), Arrays.toString(Splits.trainValidation(range(50), 0.2, 2).validation().indices()));
        long[] labels = new long[100];
        Arrays.fill(labels, 70, 90, 1);
        Arrays.fill(labels, 90, 100, 2);
        int[] count = new int[3];
        for (int i : validation(Splits.stratifiedTrainValidation(range(100), labels, 0.2, 1), 100)) {
            count[(int) labels[i]]++;
        }
        assertArrayEquals(new int[] {14, 4, 2}, count);
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("KFold: k must be at least 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> new KFold(1, false, 0)).getMessage());
        assertEquals("KFold.split: 5 folds need at least 5 samples, the dataset has 4",
                assertThrows(IllegalArgumentException.class, () -> new KFold(5, false, 0).split(range(4))).getMessage());
        assertEquals("StratifiedKFold.split: 3 labels for a dataset of 4 samples", assertThrows(
                IllegalArgumentException.class, () -> new StratifiedKFold(2, false, 0).split(range(4), new long[3]))
                .getMessage());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new StratifiedKFold(3, false, 0).split(range(4), new long[] {0, 0, 1, 1}));
        assertTrue(e.getMessage().contains("the largest label count is 2 (counts by label: {0=2, 1=2})"), e.getMessage());
        assertEquals("trainValidation: validationFraction must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(range(4), 1.0, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(range(4), 0.01, 0))
                .getMessage().contains("leaves 0 for validation and 4 for training"));
    }
}
