package dev.kasane.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Dataset;
import dev.kasane.data.Sample;
import dev.kasane.data.TensorDataset;
import dev.kasane.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Partition;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

class ExamplesTest extends LocalSparkTest {

    /** TinyProblem's samples as a Kasane dataset (F32 inputs, I64 class indices), n of them. */
    static Dataset<Sample> tinyDataset(int n) {
        List<Example> examples = TinyProblem.data().subList(0, n);
        float[] x = new float[n * 8];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(examples.get(i).input(), 0, x, i * 8, 8);
            y[i] = (long) examples.get(i).target()[0];
        }
        return new TensorDataset(Tensor.of(x, n, 8), Tensor.of(y, n));
    }

    @Test
    void loadingOnExecutorsCutsTheSlicesParallelizeCuts() {
        // 61 samples into 3 partitions: uneven slices (20, 20, 21), as Spark's parallelize cuts them
        Dataset<Sample> local = tinyDataset(61);
        for (int parts : new int[] {1, 2, 3}) {
            List<List<Example>> expected = Examples.parallelize(sc, local, parts).glom().collect();
            List<List<Example>> actual = Examples.loadOnExecutors(sc, () -> tinyDataset(61), parts).glom().collect();
            assertEquals(expected, actual, parts + " partitions");
        }
    }

    @Test
    void tasksCarryTheSourceNotTheSamples() throws IOException {
        Dataset<Sample> local = tinyDataset(64);
        JavaRDD<Example> shipped = Examples.parallelize(sc, local, 2);
        JavaRDD<Example> loaded = Examples.loadOnExecutors(sc, () -> tinyDataset(64), 2);
        // what a task serialises besides the closure: its partition. parallelize's holds its 32 samples' floats.
        int shippedBytes = serializedSize(shipped.rdd().partitions()[0]);
        int loadedBytes = serializedSize(loaded.rdd().partitions()[0]);
        assertTrue(shippedBytes > 32 * 9 * 4, "parallelize's partition: " + shippedBytes + " bytes");
        assertTrue(loadedBytes < 512, "loadOnExecutors' partition: " + loadedBytes + " bytes");
    }

    @Test
    void theTrainerGivesTheSameModelFromEitherRdd() {
        Tensor fromShipped = TinyProblem.trainer().epochs(1).build()
                .fit(Examples.parallelize(sc, tinyDataset(64), 2)).model().parameters().get(0);
        Tensor fromLoaded = TinyProblem.trainer().epochs(1).build()
                .fit(Examples.loadOnExecutors(sc, () -> tinyDataset(64), 2)).model().parameters().get(0);
        assertEquals(DType.F32, fromLoaded.dtype());
        // the same samples in the same partitions give the same steps: bit for bit (tolerance 0)
        assertEquals(java.util.Arrays.toString(fromShipped.toFloatArray()),
                java.util.Arrays.toString(fromLoaded.toFloatArray()));
    }

    @Test
    void anExecutorThatSeesOtherDataFailsItsTaskNamingBothSizes() {
        AtomicInteger opens = new AtomicInteger();
        // local mode runs the tasks in this JVM: the first open (the driver's) sees 64 samples, later ones 60
        DatasetSource drifting = () -> tinyDataset(opens.getAndIncrement() == 0 ? 64 : 60);
        JavaRDD<Example> rdd = Examples.loadOnExecutors(sc, drifting, 2);
        SparkException e = assertThrows(SparkException.class, rdd::count);
        assertTrue(e.getMessage().contains("opened 60 samples where the driver opened 64"), e.getMessage());
    }

    @Test
    void aSourceThatDoesNotOpenFailsOnTheDriverWithItsMessage() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Examples.loadOnExecutors(sc, () -> {
                    throw new IOException("/no/such/folder: no such file");
                }, 2));
        assertEquals("Examples.loadOnExecutors: the source failed to open on the driver: /no/such/folder: no such file",
                e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Examples.loadOnExecutors(sc, () -> tinyDataset(8), 0));
        assertEquals("Examples.loadOnExecutors: partitions must be >= 1, got 0", bad.getMessage());
    }

    private static int serializedSize(Partition p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        return bytes.size();
    }
}
