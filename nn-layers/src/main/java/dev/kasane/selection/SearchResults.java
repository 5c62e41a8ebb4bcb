package dev.kasane.selection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link Search}: each configuration's score on every fold, their mean and standard deviation, the
 * configurations ranked by mean score (best first; a NaN mean last), as a CSV file or a Markdown table.
 */
public final class SearchResults {
    /**
     * One configuration's results.
     *
     * @param config the configuration
     * @param scores its score on each fold
     * @param mean their mean
     * @param std their standard deviation (population, as scikit-learn's {@code std_test_score})
     */
    public record Result(Config config, double[] scores, double mean, double std) {
        /** A copy of the fold scores. */
        @Override
        public double[] scores() {
            return scores.clone();
        }
    }

    private final List<String> params;
    private final List<Result> ranked;
    private final int folds;

    SearchResults(SearchSpace space, List<Config> configs, double[][] scores) {
        this.params = space.params().stream().map(Param::name).toList();
        this.folds = scores[0].length;
        List<Result> rows = new ArrayList<>();
        for (int c = 0; c < configs.size(); c++) {
            double[] s = scores[c].clone();
            double sum = 0;
            for (double x : s) {
                sum += x;
            }
            double mean = sum / s.length;
            double var = 0;
            for (double x : s) {
                var += (x - mean) * (x - mean) / s.length;
            }
            rows.add(new Result(configs.get(c), s, mean, Math.sqrt(var)));
        }
        // stable: equal means keep the search's order
        rows.sort(Comparator.comparingDouble((Result r) -> Double.isNaN(r.mean()) ? Double.NEGATIVE_INFINITY : r.mean())
                .reversed());
        this.ranked = List.copyOf(rows);
    }

    /** The results, best mean score first. */
    public List<Result> results() {
        return ranked;
    }

    /** The configuration with the best mean score. */
    public Result best() {
        return ranked.get(0);
    }

    /**
     * The table as CSV: a header {@code rank,<parameters...>,mean,std,fold_0,...}, then one row per configuration,
     * best first, numbers in full precision.
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("rank");
        params.forEach(p -> sb.append(',').append(csv(p)));
        sb.append(",mean,std");
        for (int f = 0; f < folds; f++) {
            sb.append(",fold_").append(f);
        }
        sb.append('\n');
        for (int i = 0; i < ranked.size(); i++) {
            Result r = ranked.get(i);
            sb.append(i + 1);
            params.forEach(p -> sb.append(',').append(csv(String.valueOf(r.config().values().get(p)))));
            sb.append(',').append(r.mean()).append(',').append(r.std());
            for (double s : r.scores) {
                sb.append(',').append(s);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #toCsv()} to {@code file} (UTF-8). */
    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    /**
     * The table in Markdown, ready for a README: rank, the parameters, mean and standard deviation over the folds
     * (4 significant digits for floating-point values).
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| rank |");
        params.forEach(p -> sb.append(' ').append(p).append(" |"));
        sb.append(" mean | std |\n|---:|");
        params.forEach(p -> sb.append("---|"));
        sb.append("---:|---:|\n");
        for (int i = 0; i < ranked.size(); i++) {
            Result r = ranked.get(i);
            sb.append("| ").append(i + 1).append(" |");
            params.forEach(p -> sb.append(' ').append(format(r.config().values().get(p))).append(" |"));
            sb.append(' ').append(format(r.mean())).append(" | ").append(format(r.std())).append(" |\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toMarkdown();
    }

    private static String format(Object v) {
        return v instanceof Double || v instanceof Float ? String.format(Locale.ROOT, "%.4g", ((Number) v).doubleValue())
                : String.valueOf(v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
