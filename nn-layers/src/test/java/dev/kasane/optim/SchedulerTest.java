package dev.kasane.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    static SGD sgd() {
        return new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), SGD.options().lr(0.1).momentum(0.9));
    }

    @Test
    void stateDictResumesTheSchedule() {
        SGD a = sgd();
        CosineAnnealingLR straight = new CosineAnnealingLR(a, 10, 0.001);
        for (int i = 0; i < 17; i++) {
            straight.step();
        }
        SGD b = sgd();
        CosineAnnealingLR first = new CosineAnnealingLR(b, 10, 0.001);
        for (int i = 0; i < 8; i++) {
            first.step();
        }
        var optState = b.stateDict();
        var schedState = first.stateDict();
        SGD c = sgd();
        c.loadStateDict(optState);
        CosineAnnealingLR resumed = new CosineAnnealingLR(c, 10, 0.001);
        resumed.loadStateDict(schedState);
        c.paramGroups().get(0).lr(resumed.lastLr().get(0));
        for (int i = 0; i < 9; i++) {
            resumed.step();
        }
        assertEquals(a.paramGroups().get(0).lr(), c.paramGroups().get(0).lr(), 0.0);
        assertEquals(17, resumed.lastEpoch());
    }

    @Test
    void plateauStateDict() {
        SGD a = sgd();
        ReduceLROnPlateau p = new ReduceLROnPlateau(a);
        p.step(1.0);
        p.step(2.0);
        ReduceLROnPlateau q = new ReduceLROnPlateau(sgd());
        q.loadStateDict(p.stateDict());
        assertEquals(1.0, q.best());
        assertEquals(2, q.lastEpoch());
    }

    @Test
    void argumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(), 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(sgd(), 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(sgd(), 0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.Mode.MIN, 1.0, 1,
                0, ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> OneCycleLR.builder(sgd(), 1.0, 0).build());
        Adagrad noMomentum = new Adagrad(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1);
        assertThrows(IllegalArgumentException.class, () -> OneCycleLR.builder(noMomentum, 1.0, 10).build());
        OneCycleLR ok = OneCycleLR.builder(noMomentum, 1.0, 3).cycleMomentum(false).build();
        ok.step();
        ok.step();
        ok.step();
        assertThrows(IllegalStateException.class, ok::step);
    }
}
