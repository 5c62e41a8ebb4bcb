package dev.kasane.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetsTest {
    @Test
    void tensorDatasetRowsAreViews() {
        Tensor x = Tensor.arange(12).reshape(4, 3);
        TensorDataset d = new TensorDataset(x, Tensor.of(new long[] {5, 6, 7, 8}));
        assertEquals(4, d.size());
        Sample s = d.get(2);
        assertArrayEquals(new long[] {6, 7, 8}, s.input().toLongArray());
        assertEquals(7, s.target().itemLong());
        assertEquals(0, s.target().dim());
        assertTrue(s.input().sharesStorageWith(x));
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("dimension 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1)));
        assertThrows(IllegalArgumentException.class, TensorDataset::new);
        assertEquals(4, new TensorDataset(Tensor.zeros(4, 2)).size());
    }

    @Test
    void subset() {
        TensorDataset d = DataLoaderTest.data(10);
        Subset<Sample> s = new Subset<>(d, 9, 0, 3);
        assertEquals(3, s.size());
        assertEquals(9, s.get(0).target().itemLong());
        assertEquals(3, s.get(2).target().itemLong());
        assertThrows(IllegalArgumentException.class, () -> new Subset<>(d, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(3));
    }

    @Test
    void randomSplitByLengths() {
        TensorDataset d = DataLoaderTest.data(10);
        List<Subset<Sample>> parts = Datasets.randomSplit(d, new int[] {7, 3}, new Generator(1));
        assertEquals(7, parts.get(0).size());
        assertEquals(3, parts.get(1).size());
        int[] all = IntStream.concat(Arrays.stream(parts.get(0).indices()), Arrays.stream(parts.get(1).indices())).sorted()
                .toArray();
        assertArrayEquals(IntStream.range(0, 10).toArray(), all);
        List<Subset<Sample>> again = Datasets.randomSplit(d, new int[] {7, 3}, new Generator(1));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices());
        List<Subset<Sample>> other = Datasets.randomSplit(d, new int[] {7, 3}, new Generator(2));
        assertNotEquals(Arrays.toString(parts.get(0).indices()), Arrays.toString(other.get(0).indices()));
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(d, new int[] {7, 4}, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(d, new int[] {11, -1}, new Generator(1)));
    }

    @Test
    void randomSplitByFractionsDealsTheRemainderAsPyTorch() {
        TensorDataset d = DataLoaderTest.data(10);
        // floor(3.3)=3 three times, remainder 1 goes to the first split
        List<Subset<Sample>> parts = Datasets.randomSplit(d, new double[] {0.33, 0.33, 0.34}, new Generator(0));
        assertEquals(List.of(4, 3, 3), parts.stream().map(Subset::size).toList());
        parts = Datasets.randomSplit(d, new double[] {0.8, 0.2}, new Generator(0));
        assertEquals(List.of(8, 2), parts.stream().map(Subset::size).toList());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(d, new double[] {0.5, 0.6}, new Generator(0)));
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(d, new double[] {1.5, -0.5}, new Generator(0)));
    }

    @Test
    void permutationIsUniformish() {
        int[] counts = new int[4];
        Generator g = new Generator(3);
        for (int i = 0; i < 4000; i++) {
            counts[Datasets.permutation(4, g)[0]]++;
        }
        for (int c : counts) {
            assertTrue(c > 850 && c < 1150, Arrays.toString(counts));
        }
        assertArrayEquals(new int[0], Datasets.permutation(0, g));
    }
}
