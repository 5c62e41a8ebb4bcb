package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.distributed.spark.Examples;
import dev.kasane.distributed.spark.SampleShape;
import dev.kasane.distributed.spark.SparkTrainer;
import dev.kasane.distributed.spark.TrainingResult;
import dev.kasane.examples.common.TestData;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.SGD;
import dev.kasane.vision.datasets.FashionMNIST;
import dev.kasane.vision.models.LeNet5;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's "Training on Apache Spark" block, run as written on local[2] with 512 synthetic Fashion-MNIST images. */
class SparkReadmeTest {
    @Test
    void trainsLeNetOnTwoWorkers(@TempDir Path tmp) throws IOException {
        Path dataDir = tmp.resolve("data");
        TestData.writeSynthetic(dataDir, 512, 10, 1);
        Path checkpoints = tmp.resolve("checkpoints");
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("readme")
                .set("spark.ui.enabled", "false"))) {
            FashionMNIST train = FashionMNIST.train(dataDir);
            SparkTrainer trainer = SparkTrainer.builder(() -> new LeNet5(10), F::crossEntropy, p -> new SGD(p, 0.05))
                    .shape(Examples.shapeOf(train)).batchSize(64).epochs(1)
                    .checkpointDir(checkpoints.toString())   // any Hadoop filesystem URI the executors reach
                    .build();
            String dir = dataDir.toString();   // each executor opens the files itself: the tasks carry this name, not the images
            TrainingResult result = trainer.fit(Examples.loadOnExecutors(sc, () -> FashionMNIST.train(Path.of(dir)), 2));
            Module model = result.model();   // 2 workers above, one per partition: 2 task slots

            assertEquals(SampleShape.classification(1, 28, 28), Examples.shapeOf(train));
            assertEquals(512, result.samples());
            assertTrue(model instanceof LeNet5);
            try (var files = Files.list(checkpoints)) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("checkpoint-")).count());
            }
        }
    }
}
