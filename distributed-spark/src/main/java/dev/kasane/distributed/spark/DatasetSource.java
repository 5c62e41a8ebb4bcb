package dev.kasane.distributed.spark;

import dev.kasane.data.Dataset;
import dev.kasane.data.Sample;
import java.io.IOException;
import java.io.Serializable;

/**
 * Opens a dataset wherever it runs: on the driver and on every executor. Spark serialises the source, not the data,
 * so it must be small (a path and options) and must open the same samples in the same order everywhere (files on a
 * filesystem every executor can read, or a deterministic generator).
 *
 * <pre>{@code
 * DatasetSource source = () -> FashionMNIST.train(Path.of("/data/fashion-mnist"));
 * JavaRDD<Example> data = Examples.loadOnExecutors(sc, source, 2);
 * }</pre>
 */
@FunctionalInterface
public interface DatasetSource extends Serializable {
    /** Opens the dataset of (input, target) samples. */
    Dataset<Sample> open() throws IOException;
}
