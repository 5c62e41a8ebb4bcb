package dev.kasane.examples.tune;

import dev.kasane.examples.common.TextFiles;
import dev.kasane.examples.tune.TuneExample.Scored;
import dev.kasane.selection.ArchitectureSearch;
import dev.kasane.selection.ArchitectureSearch.Candidate;
import dev.kasane.selection.SearchResults;
import dev.kasane.vision.plot.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tune example's tables and chart. */
final class Reports {
    private Reports() {
    }

    /** Writes grid.csv/.md, nas.csv, pareto.png and summary.md into {@code dir}. */
    static void write(Path dir, SearchResults grid, List<Candidate> evolution, List<Candidate> random,
                      List<Scored> scored, int finalEpochs, long budget) throws IOException {
        grid.writeCsv(dir.resolve("grid.csv"));
        TextFiles.write(dir.resolve("grid.md"), grid.toMarkdown());
        StringBuilder csv = new StringBuilder("search,number,parent,architecture,parameters,latency_ms,val_acc\n");
        for (List<Candidate> cs : List.of(evolution, random)) {
            for (Candidate c : cs) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%.4f,%.6f%n", cs == evolution ? "evolution"
                        : "random", c.number(), c.parent(), c.architecture(), c.parameters(), c.latencyMs(), c.score()));
            }
        }
        TextFiles.write(dir.resolve("nas.csv"), csv.toString());
        paretoChart(evolution, random, budget).save(dir.resolve("pareto.png"));
        List<Candidate> all = new ArrayList<>(evolution);
        all.addAll(random);
        String summary = "## Grid search (validation accuracy, mean and standard deviation over the folds)\n\n"
                + grid.toMarkdown() + "\n## Architecture search (budget " + budget + " parameters)\n\n"
                + searchTable(evolution, random) + "\nPareto front (validation accuracy against parameters):\n\n"
                + candidateTable(ArchitectureSearch.paretoFront(all)) + "\n## Retrained " + finalEpochs
                + " epochs on the training images, scored on the test set\n\n" + finalTable(scored);
        TextFiles.write(dir.resolve("summary.md"), summary);
    }

    /** Each search's best candidate and how many candidates it took to get within 0.5 points of it. */
    private static String searchTable(List<Candidate> evolution, List<Candidate> random) {
        StringBuilder sb = new StringBuilder("| search | candidates | best val. accuracy | found at | best architecture"
                + " | parameters |\n|---|---|---|---|---|---|\n");
        for (List<Candidate> cs : List.of(evolution, random)) {
            Candidate best = cs.stream().max(java.util.Comparator.comparingDouble(Candidate::score)).orElseThrow();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f %% | %d | %s | %d |%n", cs == evolution
                    ? "regularized evolution" : "random", cs.size(), 100 * best.score(), best.number() + 1,
                    best.architecture(), best.parameters()));
        }
        return sb.toString();
    }

    private static String candidateTable(List<Candidate> cs) {
        StringBuilder sb = new StringBuilder("| architecture | parameters | latency ms | val. accuracy |\n|---|---|---|---|\n");
        for (Candidate c : cs) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f %% |%n", c.architecture(), c.parameters(),
                    c.latencyMs(), 100 * c.score()));
        }
        return sb.toString();
    }

    /** The final comparison as a Markdown table. */
    static String finalTable(List<Scored> scored) {
        StringBuilder sb = new StringBuilder("| model | parameters | latency ms (1 image) | test accuracy |\n"
                + "|---|---|---|---|\n");
        for (Scored s : scored) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f %% |%n", s.name(), s.parameters(),
                    s.latencyMs(), 100 * s.testAccuracy()));
        }
        return sb.toString();
    }

    private static LineChart paretoChart(List<Candidate> evolution, List<Candidate> random, long budget) {
        List<Candidate> all = new ArrayList<>(evolution);
        all.addAll(random);
        List<Candidate> front = ArchitectureSearch.paretoFront(all);
        return new LineChart("Architecture search: validation accuracy vs parameters (budget " + budget + ")",
                "parameters", "validation accuracy")
                .addPoints("regularized evolution", params(evolution), scores(evolution))
                .addPoints("random search", params(random), scores(random))
                .addSeries("Pareto front", params(front), scores(front));
    }

    private static double[] params(List<Candidate> cs) {
        return cs.stream().mapToDouble(Candidate::parameters).toArray();
    }

    private static double[] scores(List<Candidate> cs) {
        return cs.stream().mapToDouble(Candidate::score).toArray();
    }
}
