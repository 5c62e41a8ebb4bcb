package dev.kasane.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Dataset;
import dev.kasane.data.TestDatasets;
import dev.kasane.nn.Dropout;
import dev.kasane.nn.Linear;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search spaces, grid and random search over cross-validation folds, and the results table. */
class SearchTest {
    private static final Param<Double> LR = Param.choice("lr", 0.1, 0.01);
    private static final Param<Integer> BATCH = Param.choice("batch_size", 32, 64, 128);

    private static final Dataset<Integer> DATA = TestDatasets.range(12);

    /** A score that depends on the configuration and the fold: -|log10(lr) + 2| - batch / 1000 + fold / 100. */
    private static double fakeScore(Trial<Integer> t) {
        return -Math.abs(Math.log10(t.config().get(LR)) + 2) - t.config().get(BATCH) / 1000.0 + t.fold() / 100.0;
    }

    @Test
    void theGridVariesTheLastParameterFastest() {
        List<Config> grid = SearchSpace.of(LR, BATCH).grid();
        assertEquals(6, grid.size());
        assertEquals("lr=0.1, batch_size=32", grid.get(0).toString());
        assertEquals("lr=0.1, batch_size=64", grid.get(1).toString());
        assertEquals("lr=0.01, batch_size=128", grid.get(5).toString());
        int batch = grid.get(4).get(BATCH);
        assertEquals(64, batch);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new GridSearch(SearchSpace.of(LR, Param.uniform("momentum", 0, 1))));
        assertTrue(e.getMessage().contains("parameter momentum: uniform in [0.0, 1.0) has no list of choices"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SearchSpace.of(LR, Param.choice("lr", 1.0)));
        e = assertThrows(IllegalArgumentException.class, () -> grid.get(0).get(Param.choice("wd", 0.0)));
        assertEquals("Config.get: no parameter 'wd' in lr=0.1, batch_size=32", e.getMessage());
    }

    @Test
    void randomSamplesAreSeededAndInTheirRanges() {
        Param<Double> wd = Param.logUniform("wd", 1e-5, 1e-2);
        Param<Integer> depth = Param.intRange("depth", 1, 3);
        Param<Double> drop = Param.uniform("dropout", 0.1, 0.5);
        SearchSpace space = SearchSpace.of(wd, depth, drop, BATCH);
        List<Config> a = space.sample(300, 42);
        assertEquals(a, space.sample(300, 42), "the same seed, the same configurations");
        assertTrue(!a.equals(space.sample(300, 43)));
        int[] depthCounts = new int[4];
        int small = 0;
        for (Config c : a) {
            double w = c.get(wd);
            assertTrue(w >= 1e-5 && w < 1e-2, "wd " + w);
            small += w < 1e-4 ? 1 : 0;
            depthCounts[c.get(depth)]++;
            double d = c.get(drop);
            assertTrue(d >= 0.1 && d < 0.5, "dropout " + d);
            assertTrue(BATCH.choices().contains(c.get(BATCH)));
        }
        assertEquals(0, depthCounts[0]);
        assertTrue(depthCounts[1] > 70 && depthCounts[2] > 70 && depthCounts[3] > 70, "both ends reachable: "
                + Arrays.toString(depthCounts));
        assertTrue(small > 70 && small < 130, "log-uniform: a third below 1e-4, got " + small + " of 300");
    }

    @Test
    void gridSearchRanksConfigurationsByMeanCrossValidatedScore(@TempDir Path dir) throws IOException {
        List<Split<Integer>> folds = new KFold(3, false, 0).split(DATA);
        SearchResults r = new GridSearch(SearchSpace.of(LR, BATCH)).run(folds, SearchTest::fakeScore);
        assertEquals(6, r.results().size());
        SearchResults.Result best = r.best();
        assertEquals("lr=0.01, batch_size=32", best.config().toString());
        assertArrayEquals(new double[] {-0.032, -0.022, -0.012}, best.scores(), 1e-12);
        assertEquals(-0.022, best.mean(), 1e-12);
        assertEquals(Math.sqrt(2.0 / 3) / 100, best.std(), 1e-12, "population standard deviation");
        assertEquals(List.of("lr=0.01, batch_size=32", "lr=0.01, batch_size=64", "lr=0.01, batch_size=128",
                "lr=0.1, batch_size=32", "lr=0.1, batch_size=64", "lr=0.1, batch_size=128"),
                r.results().stream().map(x -> x.config().toString()).toList());
        String csv = r.toCsv();
        assertTrue(csv.startsWith("rank,lr,batch_size,mean,std,fold_0,fold_1,fold_2\n1,0.01,32,"), csv);
        assertEquals(7, csv.split("\n").length);
        r.writeCsv(dir.resolve("r.csv"));
        assertEquals(csv, Files.readString(dir.resolve("r.csv")));
        String md = r.toMarkdown();
        assertTrue(md.startsWith("| rank | lr | batch_size | mean | std |\n|---:|---|---|---:|---:|\n"
                + "| 1 | 0.01000 | 32 | -0.02200 | 0.008165 |\n"), md);
    }

    @Test
    void parallelTrialsRunAtOnceAndGiveTheSameResults() {
        List<Split<Integer>> folds = new KFold(2, true, 1).split(DATA);
        SearchResults serial = new GridSearch(SearchSpace.of(LR, BATCH)).run(folds, SearchTest::fakeScore);
        CyclicBarrier together = new CyclicBarrier(2);
        SearchResults parallel = new GridSearch(SearchSpace.of(LR, BATCH)).parallelism(2).run(folds, t -> {
            together.await(20, TimeUnit.SECONDS);    // times out unless two trials run at the same time
            return fakeScore(t);
        });
        assertEquals(serial.toCsv(), parallel.toCsv());
    }

    /**
     * Trains a small model from scratch: initial weights, inputs and dropout masks all come from the default
     * generator; the score is the final loss's negative. Two trials run at the same time when the search runs two
     * at once (the barrier lets them start together), so their draws would interleave on a shared generator.
     */
    private static double trainFromScratch(Trial<Integer> t, CyclicBarrier together) throws Exception {
        if (together != null) {
            together.await(20, TimeUnit.SECONDS);
        }
        var model = new dev.kasane.nn.Sequential(new Linear(4, 8), new Dropout(0.3), new Linear(8, 1));
        Tensor x = Tensor.randn(16, 4);
        Tensor y = x.sum(1, true);
        var opt = new SGD(model.parameters(), t.config().get(LR));
        double loss = Double.NaN;
        for (int step = 0; step < 10; step++) {
            opt.zeroGrad();
            Tensor l = F.mseLoss(model.forward(x), y);
            l.backward();
            opt.step();
            loss = l.item();
        }
        return -loss;
    }

    @Test
    void eachTrialDrawsFromItsFoldsGenerator() {
        List<Split<Integer>> folds = new KFold(3, false, 0).split(DATA);
        Generator.seedGlobal(99);
        SearchResults r = new GridSearch(SearchSpace.of(LR)).parallelism(1).run(folds,
                t -> Generator.global().nextDouble());
        double[] expected = {new Generator(0).nextDouble(), new Generator(1).nextDouble(), new Generator(2).nextDouble()};
        for (SearchResults.Result res : r.results()) {
            assertArrayEquals(expected, res.scores(), 0, "every configuration sees the fold's draws");
        }
        assertEquals(new Generator(99).nextDouble(), Generator.global().nextDouble(),
                "the process-wide generator is left alone");
    }

    @Test
    void trainingTrialsGiveTheSameTableInParallelAsOneAtATime() {
        List<Split<Integer>> folds = new KFold(2, true, 1).split(DATA);
        SearchSpace space = SearchSpace.of(LR, BATCH);
        SearchResults serial = new GridSearch(space).parallelism(1).run(folds, t -> trainFromScratch(t, null));
        CyclicBarrier together = new CyclicBarrier(2);
        SearchResults parallel = new GridSearch(space).parallelism(2).run(folds, t -> trainFromScratch(t, together));
        assertEquals(serial.toCsv(), parallel.toCsv(), "bit for bit: the CSV prints every fold's score in full");
        assertTrue(serial.results().stream().allMatch(x -> Double.isFinite(x.mean())), serial.toCsv());
    }

    @Test
    void theDefaultParallelismLeavesNoCoreOversubscribed() {
        assertEquals(1, Search.defaultParallelism(2, null), "the backend uses every core per op");
        assertEquals(2, Search.defaultParallelism(2, "1"));
        assertEquals(4, Search.defaultParallelism(16, " 4 "));
        assertEquals(1, Search.defaultParallelism(2, "8"));
        assertEquals(1, Search.defaultParallelism(1, "0"), "the backend reads values below 1 as 1");
        var e = assertThrows(IllegalArgumentException.class, () -> Search.defaultParallelism(2, "two"));
        assertEquals("Search.defaultParallelism: bad value 'two' for system property kasane.cpu.threads",
                e.getMessage());
        assertEquals(Search.defaultParallelism(), new GridSearch(SearchSpace.of(LR)).parallelism());
    }

    @Test
    void randomSearchIsSeeded() {
        Param<Double> lr = Param.logUniform("lr", 1e-4, 1e-1);
        SearchSpace space = SearchSpace.of(lr, BATCH);
        List<Split<Integer>> folds = new KFold(2, false, 0).split(DATA);
        Objective<Integer> objective = t -> -Math.abs(Math.log10(t.config().get(lr)) + 2);
        SearchResults a = new RandomSearch(space, 5, 9).run(folds, objective);
        assertEquals(a.toCsv(), new RandomSearch(space, 5, 9).run(folds, objective).toCsv());
        assertEquals(5, a.results().size());
        assertEquals(new RandomSearch(space, 5, 9).configs(), space.sample(5, 9));
    }

    @Test
    void aFailingTrialNamesItsConfigurationAndFold() {
        List<Split<Integer>> folds = new KFold(2, false, 0).split(DATA);
        for (int parallelism : new int[] {1, 2}) {
            var e = assertThrows(IllegalStateException.class, () -> new GridSearch(SearchSpace.of(LR))
                    .parallelism(parallelism).run(folds, t -> {
                        if (t.fold() == 1 && t.config().get(LR) == 0.01) {
                            throw new IOException("disk full");
                        }
                        return 0;
                    }));
            assertEquals("GridSearch: the trial of lr=0.01 on fold 1 failed: java.io.IOException: disk full",
                    e.getMessage());
        }
    }

    @Test
    void nanMeansRankLast() {
        List<Split<Integer>> folds = new KFold(2, false, 0).split(DATA);
        SearchResults r = new GridSearch(SearchSpace.of(LR)).run(folds, t -> t.config().get(LR) == 0.1 ? Double.NaN : -5);
        assertEquals(0.01, r.best().config().get(LR));
        assertTrue(Double.isNaN(r.results().get(1).mean()));
    }
}
