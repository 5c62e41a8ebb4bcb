package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Dataset;
import dev.kasane.data.Sample;
import dev.kasane.tensor.DType;
import java.util.ArrayList;
import java.util.List;
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
