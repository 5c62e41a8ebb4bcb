package dev.kasane.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.selection.Architecture.Stage;
import dev.kasane.selection.ArchitectureSearch.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArchitectureSearchTest {
    private static final ArchitectureSpace SPACE = new ArchitectureSpace(List.of(CellOp.values()), List.of(4, 8, 16),
            List.of(1, 2), 1, 3);

    /** A synthetic score with a known best: wide, deep, separable stages score highest. */
    private static double synthetic(Architecture a) {
        double s = 0;
        for (Stage st : a.stages()) {
            s += st.width() / 16.0 + st.depth() + (st.op() == CellOp.SEP3X3 ? 2 : 0);
        }
        return s;
    }

    @Test
    void buildsModelsOfTheDescribedShapeAndParameterCount() {
        Architecture a = new Architecture(List.of(new Stage(CellOp.CONV3X3, 4, 1), new Stage(CellOp.SEP3X3, 8, 2)));
        Module m = a.build(1, 10);
        Tensor y = m.forward(Tensor.randn(2, 1, 12, 12));
        assertEquals(List.of(2, 10), List.of(y.size(0), y.size(1)));
        // conv3x3 1->4 (36) + BN(8); sep 4->8: dw 36 + pw 32 + BN 16; sep 8->8: dw 72 + pw 64 + BN 16; fc 8*10+10
        assertEquals(36 + 8 + 36 + 32 + 16 + 72 + 64 + 16 + 90, a.parameters(1, 10));
        assertEquals("conv3x3:4x1 > sep3x3:8x2", a.toString());
    }

    @Test
    void countsParametersAsTheBuiltModelHasThem() {
        Random rnd = new Random(5);
        for (int i = 0; i < 30; i++) {
            Architecture a = SPACE.sample(rnd);
            assertEquals(a.build(3, 7).numParameters(), a.parameters(3, 7), a.toString());
        }
    }

    @Test
    void everyOperationKeepsTheSpatialSize() {
        for (CellOp op : CellOp.values()) {
            Tensor y = op.block(3, 5).forward(Tensor.randn(1, 3, 9, 7));
            assertEquals(List.of(1, 5, 9, 7), List.of(y.size(0), y.size(1), y.size(2), y.size(3)), op.label());
            assertEquals(op, CellOp.of(op.label()));
        }
    }

    @Test
    void aMutationChangesExactlyOneThing() {
        Random rnd = new Random(3);
        for (int i = 0; i < 200; i++) {
            Architecture p = SPACE.sample(rnd);
            Architecture c = SPACE.mutate(p, rnd);
            assertNotEquals(p, c);
            int common = Math.min(p.stages().size(), c.stages().size());
            int differing = Math.abs(p.stages().size() - c.stages().size());
            for (int s = 0; s < common; s++) {
                Stage a = p.stages().get(s);
                Stage b = c.stages().get(s);
                differing += (a.op() != b.op() ? 1 : 0) + (a.width() != b.width() ? 1 : 0)
                        + (a.depth() != b.depth() ? 1 : 0);
            }
            assertEquals(1, differing, p + " -> " + c);
            assertTrue(c.stages().size() >= 1 && c.stages().size() <= 3);
        }
    }

    @Test
    void evolutionMutatesTournamentWinnersAndAgesThePopulation() {
        List<Candidate> all = ArchitectureSearch.evolution(SPACE, 6, 3, 40, 7).images(1, 10)
                .run((a, n) -> synthetic(a));
        assertEquals(40, all.size());
        for (int i = 0; i < all.size(); i++) {
            Candidate c = all.get(i);
            assertEquals(i, c.number());
            if (i < 6) {
                assertEquals(-1, c.parent(), "the initial population is drawn at random");
            } else {
                // the parent is one of the 6 youngest candidates before this one (aging), and the child one mutation away
                assertTrue(c.parent() >= i - 6 && c.parent() < i, "parent " + c.parent() + " of " + i);
                Architecture p = all.get(c.parent()).architecture();
                assertNotEquals(p, c.architecture());
            }
        }
        // the search climbs: the best of the last 10 beats the best of the random initial population
        double initial = all.subList(0, 6).stream().mapToDouble(Candidate::score).max().orElseThrow();
        double late = all.subList(30, 40).stream().mapToDouble(Candidate::score).max().orElseThrow();
        assertTrue(late > initial, late + " vs " + initial);
    }

    @Test
    void sameSeedSameCandidatesAndTheBudgetHolds() {
        ArchitectureSearch.Evaluator ev = (a, n) -> synthetic(a);
        List<Candidate> a = ArchitectureSearch.evolution(SPACE, 5, 2, 15, 11).images(1, 10).budget(1500).run(ev);
        List<Candidate> b = ArchitectureSearch.evolution(SPACE, 5, 2, 15, 11).images(1, 10).budget(1500).run(ev);
        assertEquals(a, b);
        assertTrue(a.stream().allMatch(c -> c.parameters() <= 1500), a.toString());
        List<Candidate> r = ArchitectureSearch.random(SPACE, 12, 11).images(1, 10).budget(1500).run(ev);
        assertEquals(12, r.size());
        assertTrue(r.stream().allMatch(c -> c.parent() == -1 && c.parameters() <= 1500 && Double.isNaN(c.latencyMs())));
    }

    @Test
    void measuresLatencyWhenAsked() {
        List<Candidate> r = ArchitectureSearch.random(SPACE, 2, 1).images(1, 10).latency(1, 1, 8, 8)
                .run((a, n) -> 0);
        assertTrue(r.stream().allMatch(c -> c.latencyMs() > 0 && Double.isFinite(c.latencyMs())), r.toString());
    }

    @Test
    void paretoFrontKeepsTheUndominated() {
        Architecture x = new Architecture(List.of(new Stage(CellOp.CONV3X3, 4, 1)));
        List<Candidate> cs = new ArrayList<>();
        double[][] sp = {{0.80, 100}, {0.85, 200}, {0.84, 300}, {0.90, 300}, {0.90, 400}, {0.70, 50}, {0.85, 200}};
        for (int i = 0; i < sp.length; i++) {
            cs.add(new Candidate(i, x, -1, sp[i][0], (long) sp[i][1], Double.NaN));
        }
        List<Integer> front = ArchitectureSearch.paretoFront(cs).stream().map(Candidate::number).toList();
        assertEquals(List.of(5, 0, 1, 3), front);
    }

    @Test
    void rejectsBadArgumentsWithTheirNames() {
        assertThrows(IllegalArgumentException.class, () -> ArchitectureSearch.evolution(SPACE, 3, 4, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> ArchitectureSearch.random(SPACE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArchitectureSpace(List.of(), List.of(4), List.of(1), 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new ArchitectureSpace(List.of(CellOp.CONV3X3), List.of(4),
                List.of(1), 2, 1));
        IllegalStateException noImages = assertThrows(IllegalStateException.class,
                () -> ArchitectureSearch.random(SPACE, 1, 0).run((a, n) -> 0));
        assertTrue(noImages.getMessage().contains("images"), noImages.getMessage());
        IllegalStateException budget = assertThrows(IllegalStateException.class,
                () -> ArchitectureSearch.random(SPACE, 1, 0).images(1, 10).budget(5).run((a, n) -> 0));
        assertTrue(budget.getMessage().contains("budget of 5"), budget.getMessage());
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> ArchitectureSearch.random(SPACE, 1, 0).images(1, 10).run((a, n) -> {
                    throw new java.io.IOException("disk");
                }));
        assertTrue(failed.getMessage().contains("candidate 0") && failed.getMessage().contains("disk"));
    }
}
