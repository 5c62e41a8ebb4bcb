package dev.kasane.optim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the blocks of the text fixtures written by src/test/python/gen_optim_fixtures.py. */
final class Fixtures {
    private Fixtures() {
    }

    /** One block: its header line's words and its lines' words, up to "end". */
    record Block(String[] header, List<String[]> lines) {
        List<String[]> all(String tag) {
            List<String[]> out = new ArrayList<>();
            for (String[] l : lines) {
                if (l[0].equals(tag)) {
                    out.add(l);
                }
            }
            return out;
        }

        String[] first(String tag) {
            List<String[]> a = all(tag);
            if (a.isEmpty()) {
                throw new IllegalStateException(String.join(" ", header) + ": no '" + tag + "' line");
            }
            return a.get(0);
        }

        String name() {
            return header[1];
        }

        @Override
        public String toString() {
            return String.join(" ", header);
        }
    }

    static List<Block> read(String resource) {
        try {
            var url = Fixtures.class.getResource("/optim/" + resource);
            if (url == null) {
                throw new IllegalStateException("missing test resource optim/" + resource + " (run gen_optim_fixtures.py)");
            }
            List<Block> blocks = new ArrayList<>();
            Block cur = null;
            for (String line : Files.readAllLines(Path.of(url.toURI()), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.trim().split("\\s+");
                if (cur == null) {
                    cur = new Block(w, new ArrayList<>());
                } else if (w[0].equals("end")) {
                    blocks.add(cur);
                    cur = null;
                } else {
                    cur.lines().add(w);
                }
            }
            return blocks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] doubles(String[] words, int from) {
        return Arrays.stream(words, from, words.length).mapToDouble(Double::parseDouble).toArray();
    }

    /** key=value words from {@code from} on. */
    static Map<String, String> options(String[] words, int from) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = from; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            m.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return m;
    }

    /** Asserts {@code |actual - expected| <= rtol * |expected| + atol} elementwise; returns the largest relative error. */
    static double assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= rtol * Math.abs(expected[i]) + atol)) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (error "
                        + err + ")\nexpected " + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
            }
            worst = Math.max(worst, err / Math.max(Math.abs(expected[i]), 1e-300));
        }
        return worst;
    }
}
