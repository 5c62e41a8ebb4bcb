package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.LARS;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.models.SimCLR;
import dev.kasane.vision.transforms.Augmentations;
import dev.kasane.vision.transforms.Transform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SimCLR block of the top-level README.md, run as written (ReadmeBlocksTest checks that it is here). */
class ReadmeSimclrTest {
    @Test
    void simclrStep() {
        Transform augment = Augmentations.simclr(28, 0.2, 0.5, false, new Generator(7));
        Tensor images = Tensor.rand(16, 1, 28, 28);                  // a batch in [0, 1]
        Tensor[] views = Augmentations.twoViews(images, augment);     // two [16, 1, 28, 28] batches
        var net = new SimCLR(new Sequential(new Flatten(), new Linear(784, 128)), 128, 128, 64);
        var opt = new LARS(LARS.groupsExcludingVectors(net.parameters()), LARS.options().lr(0.3));
        Tensor z = net.forward(Tensor.cat(List.of(views[0], views[1]), 0));
        Tensor loss = F.ntXent(z.narrow(0, 0, 16), z.narrow(0, 16, 16), 0.5);
        opt.zeroGrad();
        loss.backward();
        opt.step();

        assertArrayEquals(new int[] {32, 64}, z.shape());
        assertTrue(loss.item() > 0 && loss.item() < 10, "loss " + loss.item());
    }
}
