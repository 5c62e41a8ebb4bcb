package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Dataset;
import dev.kasane.data.Sample;
import dev.kasane.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** Turns a Kasane {@link Dataset} of {@link Sample}s (input, target) into {@link Example}s and an RDD of them. */
public final class Examples {
    private Examples() {
    }

    /** One example of an (input, target) sample: an I64 one-element target is a class index, others are values. */
    public static Example of(Sample sample) {
        if (sample.numFields() < 2) {
            throw new IllegalArgumentException("Examples.of: a sample needs an input and a target, got " + sample);
        }
        Tensor target = sample.target();
        float[] t = isClassIndex(target) ? new float[] {target.itemLong()} : floats(target);
        return new Example(floats(sample.input()), t);
    }

    /** The shapes of {@code dataset}'s samples (those of its first). */
    public static SampleShape shapeOf(Dataset<Sample> dataset) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("Examples.shapeOf: the dataset is empty");
        }
        Sample s = dataset.get(0);
        return isClassIndex(s.target()) ? SampleShape.classification(s.input().shape())
                : SampleShape.regression(s.input().shape(), s.target().shape());
    }

    /** Every sample of {@code dataset}, in order. */
    public static List<Example> of(Dataset<Sample> dataset) {
        List<Example> out = new ArrayList<>(dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            out.add(of(dataset.get(i)));
        }
        return out;
    }

    /**
     * An RDD of {@code dataset}'s samples in {@code partitions} contiguous slices (partition {@code p} holds the
     * {@code p}-th slice in order), as {@code JavaSparkContext.parallelize} cuts a list.
     */
    public static JavaRDD<Example> parallelize(JavaSparkContext sc, Dataset<Sample> dataset, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("Examples.parallelize: partitions must be >= 1, got " + partitions);
        }
        return sc.parallelize(of(dataset), partitions);
    }

    /**
     * An RDD of {@code source}'s samples in {@code partitions} contiguous slices, cut as {@link #parallelize} cuts
     * them, whose data each executor loads itself: the tasks carry the source (a path and options), not the samples.
     * With {@code parallelize}, Spark keeps the samples in the partition objects it serialises into every task of
     * every job over the RDD (and of every RDD derived from it, cached or not), so each round of parameter averaging
     * would ship the whole training set to the executors again. Once the RDD is cached, later jobs read the executors'
     * copies; a lost copy is reloaded from the source.
     *
     * <p>The driver opens the source once to check that it opens and to learn its size; an executor that opens a
     * dataset of another size fails its task with an error naming both sizes.
     *
     * @throws UncheckedIOException when the source does not open on the driver
     */
    public static JavaRDD<Example> loadOnExecutors(JavaSparkContext sc, DatasetSource source, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("Examples.loadOnExecutors: partitions must be >= 1, got " + partitions);
        }
        int size = open(source, "the driver").size();
        List<Integer> slices = IntStream.range(0, partitions).boxed().toList();
        return sc.parallelize(slices, partitions).mapPartitionsWithIndex((p, ignored) -> {
            Dataset<Sample> dataset = open(source, "partition " + p);
            if (dataset.size() != size) {
                throw new IllegalStateException("Examples.loadOnExecutors: partition " + p + " opened " + dataset.size()
                        + " samples where the driver opened " + size + "; every executor must see the same data");
            }
            return slice(dataset, p, partitions);
        }, true);
    }

    /** Samples [p n / parts, (p + 1) n / parts) of {@code dataset}, as Spark's {@code parallelize} cuts a list. */
    private static Iterator<Example> slice(Dataset<Sample> dataset, int p, int parts) {
        long n = dataset.size();
        int from = (int) (p * n / parts);
        int to = (int) ((p + 1) * n / parts);
        List<Example> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(of(dataset.get(i)));
        }
        return out.iterator();
    }

    private static Dataset<Sample> open(DatasetSource source, String where) {
        try {
            return source.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Examples.loadOnExecutors: the source failed to open on " + where + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean isClassIndex(Tensor target) {
        return target.dtype() == DType.I64 && target.numel() == 1;
    }

    private static float[] floats(Tensor t) {
        if (t.dtype() == DType.F32) {
            return t.toFloatArray();
        }
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
