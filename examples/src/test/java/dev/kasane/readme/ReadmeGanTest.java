package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.*;
import dev.kasane.nn.functional.GanLosses;
import dev.kasane.vision.metrics.FidFmnist;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The GAN block of the top-level README.md, run as written (see {@link ReadmeBlocksTest}). */
class ReadmeGanTest {
    static double[] ganStep(Tensor real, Tensor labels, Tensor fake) {
        var conv = SpectralNorm.apply(new Conv2d(1, 64, 4, 2, 1));          // keys weight_orig, weight_u, weight_v
        var head = new ProjectionDiscriminatorHead(64, 10, true);          // linear(h) + <embed(y), h>
        java.util.function.UnaryOperator<Tensor> features = x -> conv.forward(x).relu().sum(new int[] {2, 3}, false);

        Tensor realLogits = head.forward(features.apply(real), labels);
        Tensor fakeLogits = head.forward(features.apply(fake), labels);
        Tensor lossD = GanLosses.hingeDiscriminator(realLogits, fakeLogits)
                .add(GanLosses.r1Penalty(x -> head.forward(features.apply(x), labels), real).mul(10 / 2.0));
        lossD.backward();                                                   // R1: a gradient of a gradient

        double fid = FidFmnist.pretrained().distance(real, fake);           // FID-FMNIST, not FID
        return new double[] {lossD.item(), fid};
    }

    @Test
    void ganStepRuns() {
        Tensor real = Tensor.rand(8, 1, 28, 28).mul(2).sub(1);
        Tensor fake = Tensor.rand(8, 1, 28, 28).mul(2).sub(1);
        Tensor labels = Tensor.of(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);
        double[] r = ganStep(real, labels, fake);
        assertTrue(Double.isFinite(r[0]), "loss " + r[0]);
        assertTrue(r[1] >= 0 && Double.isFinite(r[1]), "FID-FMNIST " + r[1]);
        var bn = ConditionalBatchNorm2d.ofClasses(3, 10);
        assertEquals(Set.of("bn.running_mean", "bn.running_var", "bn.num_batches_tracked", "gain.weight", "bias.weight"),
                bn.stateDict().keySet());
    }
}
