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
 * Sequential under no_grad gives the memory of an intermediate output back to the backend once the next child
 * consumed it. Observed through a module of the library's own package that keeps what it sees (which the library's
 * modules never do): what it kept is recycled, so using it fails loudly; with grad mode on, or with a user's module
 * anywhere below, nothing is recycled. Exact results either way (tolerance 0).
 */
class SequentialRecyclingTest {
    /** A module in the library's package that keeps its inputs, standing in for "nobody else references them". */
    static final class Spy extends Module {
        final List<Tensor> inputs = new ArrayList<>();

        @Override
        public Tensor forward(Tensor input) {
            inputs.add(input);
            return input.mul(2);
        }
    }

    private static Tensor input() {
        Generator.seedGlobal(3);
        return Tensor.randn(5, 4);
    }

    @Test
    void noGradRecyclesConsumedIntermediatesAndKeepsResultsExact() {
        Generator.seedGlobal(1);
        Spy spy = new Spy();
        Sequential seq = new Sequential(new Linear(4, 8), spy, new ReLU(), new Linear(8, 3));
        Tensor x = input();
        float[] expected = seq.forward(x).toFloatArray();   // grad mode on: nothing recycled
        assertEquals(1, spy.inputs.size());
        assertEquals(40, spy.inputs.get(0).toFloatArray().length);
        for (int run = 0; run < 3; run++) {                 // later runs reuse the recycled memory
            try (var g = Autograd.noGrad()) {
                assertArrayEquals(expected, seq.forward(x).toFloatArray(), 0f);
            }
        }
        Tensor kept = spy.inputs.get(1);                     // Linear's output, consumed by the spy
        IllegalStateException e = assertThrows(IllegalStateException.class, kept::toFloatArray);
        assertTrue(e.getMessage().contains("was recycled"), e.getMessage());
        assertArrayEquals(x.toFloatArray(), input().toFloatArray(), 0f);   // the container's input is never recycled
    }

    @Test
    void userModulesAnywhereBelowTurnItOff() {
        Generator.seedGlobal(1);
        KeepingModule user = new KeepingModule();
        Sequential seq = new Sequential(new Linear(4, 8), new Sequential(user, new ReLU()), new Linear(8, 3));
        try (var g = Autograd.noGrad()) {
            seq.forward(input());
            seq.forward(input());
        }
        for (Tensor kept : user.inputs) {
            assertEquals(40, kept.toFloatArray().length);
        }
    }

    @Test
    void viewsAndInPlaceResultsPassOwnershipOnWithoutRecyclingEarly() {
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
