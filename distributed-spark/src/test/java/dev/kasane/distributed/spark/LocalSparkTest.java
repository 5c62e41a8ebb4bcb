package dev.kasane.distributed.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A test class that shares one {@code local[2]} Spark context (on loopback, no UI) among its tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocalSparkTest {
    /** The context, started before the first test and stopped after the last. */
    protected JavaSparkContext sc;

    @BeforeAll
    void startSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName(getClass().getSimpleName())
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    void stopSpark() {
        sc.close();
    }
}
