package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Prune;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QuantDtype;
import dev.kasane.nn.quantization.Quantization;
import dev.kasane.nn.quantization.QuantizedConv2d;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ```java} block of README.md's "Smaller models" section, as written (ReadmeBlocksTest finds it here). */
class CompressionReadmeTest {
    @Test
    void quantizePruneDistill(@TempDir Path dir) throws IOException {
        Tensor calibrationImages = Tensor.randn(8, 1, 28, 28);
        Tensor studentLogits = Tensor.randn(4, 10).requiresGrad(true);
        Tensor teacherLogits = Tensor.randn(4, 10);
        Tensor labels = Tensor.of(new long[] {0, 3, 9, 1}, 4);

        Sequential model = new Sequential(new Conv2d(1, 6, 5, 1, 2), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(6 * 14 * 14, 10));
        // ... train it, then:
        model.eval();
        Quantization.fuse(model);                                   // conv + bn folded into one conv
        Quantization.prepare(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        model.forward(calibrationImages);                           // observers record the activation ranges
        Quantization.convert(model);                                // QuantizedConv2d (ReLU fused), QuantizedLinear
        Quantization.save(model, dir.resolve("model-int8.safetensors"));

        Linear fc = new Linear(100, 10);
        Prune.l1Unstructured(fc, "weight", 0.3);                    // fc.weight() = weight_orig * weight_mask
        Prune.remove(fc, "weight");                                 // a plain parameter again, 300 zeros in it

        Tensor loss = F.distillationLoss(studentLogits, teacherLogits, labels, 4.0, 0.7);

        assertInstanceOf(QuantizedConv2d.class, model.get(0));
        assertEquals(6 * 25, Safetensors.load(dir.resolve("model-int8.safetensors")).get("0.weight").numel());
        assertEquals(0.3, Prune.sparsity(fc, "weight"), 1e-9);
        assertTrue(loss.item() > 0, "loss " + loss.item());
    }
}
