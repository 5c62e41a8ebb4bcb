package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import dev.kasane.testmodules.KeepingModule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sequential releases each intermediate output once the next child consumed it ({@link Intermediates}): at once
 * under no_grad, after backward when the graph saved it. Observed through a module of the library's own package
 * that keeps what it sees (which the library's modules never do): what it kept is recycled, so using it fails
 * loudly; with a user's module anywhere below, nothing is. Results and gradients exact (tolerance 0).
 */
class SequentialRecyclingTest {
    /** A module in the library's package that keeps its inputs, standing in for "nobody else references them". */
    static final class Spy extends Module {
        final List<Tensor> inputs = new ArrayList<>();
        private final boolean passThrough;

        Spy(boolean passThrough) {
            this.passThrough = passThrough;
        }

        @Override
        public Tensor forward(Tensor input) {
            inputs.add(input);
            return passThrough ? input : input.mul(2);
        }
    }

    private static Tensor input() {
        Generator.seedGlobal(3);
        return Tensor.randn(5, 4);
    }

    private static void assertRecycled(Tensor kept) {
        IllegalStateException e = assertThrows(IllegalStateException.class, kept::toFloatArray);
        assertTrue(e.getMessage().contains("was recycled"), e.getMessage());
    }

    @Test
    void noGradReleasesConsumedIntermediatesAtOnceAndKeepsResultsExact() {
        Generator.seedGlobal(1);
        Spy spy = new Spy(false);
        Sequential seq = new Sequential(new Linear(4, 8), spy, new ReLU(), new Linear(8, 3));
        Tensor x = input();
        float[] expected = seq.forward(x).toFloatArray();
        for (int run = 0; run < 3; run++) {                 // later runs reuse the recycled memory
            try (var g = Autograd.noGrad()) {
                assertArrayEquals(expected, seq.forward(x).toFloatArray(), 0f);
            }
        }
        assertRecycled(spy.inputs.get(1));                  // Linear's output, consumed by the spy
        assertArrayEquals(input().toFloatArray(), x.toFloatArray(), 0f);   // the container's input is never released
    }

    @Test
    void withAGraphTheReleaseWaitsForBackward() {
        Generator.seedGlobal(1);
        Spy spy = new Spy(true);                             // the second Linear consumes (and saves) what the spy saw
        Sequential seq = new Sequential(new Linear(4, 8), spy, new Linear(8, 3));
        Generator.seedGlobal(1);
        KeepingModule user = new KeepingModule(false);       // the same computation with nothing released
        Sequential reference = new Sequential(new Linear(4, 8), user, new Linear(8, 3));
        reference.forward(input()).sum().backward();
        for (int step = 0; step < 3; step++) {
            seq.zeroGrad();
            Tensor y = seq.forward(input());
            Tensor kept = spy.inputs.get(step);
            assertEquals(40, kept.toFloatArray().length);    // saved by the graph: still readable before backward
            y.sum().backward();
            assertRecycled(kept);                            // released with the node that saved it
            for (int i = 0; i < 4; i++) {
                float[] want = reference.parameters().get(i).grad().toFloatArray();
                float[] got = seq.parameters().get(i).grad().toFloatArray();
                assertArrayEquals(want, got, 0f, "parameter " + i);
            }
        }
    }

    @Test
    void userModulesAnywhereBelowTurnItOff() {
        Generator.seedGlobal(1);
        KeepingModule user = new KeepingModule(true);
        Sequential seq = new Sequential(new Linear(4, 8), new Sequential(user, new ReLU()), new Linear(8, 3));
        seq.forward(input()).sum().backward();
        try (var g = Autograd.noGrad()) {
            seq.forward(input());
            seq.forward(input());
        }
        for (Tensor kept : user.inputs) {
            assertEquals(40, kept.toFloatArray().length);
        }
    }

    @Test
    void viewsAndPassedThroughResultsKeepTheirMemoryUntilConsumed() {
        Generator.seedGlobal(1);
        Sequential seq = new Sequential(new Linear(4, 8), new Identity(), new Unflatten(1, 2, 4),
                new Flatten(1, -1), new ReLU(), new Linear(8, 3));
        Tensor x = input();
        float[] expected = seq.forward(x).toFloatArray();
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(expected, seq.forward(x).toFloatArray(), 0f);
            assertArrayEquals(expected, seq.forward(x).toFloatArray(), 0f);
        }
    }
}
