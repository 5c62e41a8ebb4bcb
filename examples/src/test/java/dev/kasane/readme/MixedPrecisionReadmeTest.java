package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.amp.Autocast;
import dev.kasane.amp.GradScaler;
import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Linear;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ```java} block of README.md's "Mixed precision" section, as written (ReadmeBlocksTest finds it here). */
class MixedPrecisionReadmeTest {
    @Test
    void mixedPrecision(@TempDir Path dir) throws IOException {
        Tensor w = Tensor.randn(256, 128);
        Tensor half = w.toType(DType.BF16);                            // 2 bytes per element, rounded to nearest even
        Safetensors.save(Map.of("w", half), dir.resolve("w-bf16.safetensors"));   // dtype "BF16", as PyTorch writes it
        float[] values = half.toFloatArray();                          // exact; to compute, half.toType(DType.F32)

        Linear model = new Linear(128, 10);
        SGD opt = new SGD(model.parameters(), 0.1);
        GradScaler scaler = new GradScaler();                          // loss scaling: needed for F16, not for BF16
        Tensor x = Tensor.randn(32, 128);
        Tensor y = Tensor.randint(0, 10, 32);
        Tensor loss;
        try (Autocast ignored = Autocast.open(DType.F16, true)) {      // or Autocast.bf16()
            loss = F.crossEntropy(model.forward(x), y);                // linear's operands rounded to F16, F32 accumulation
        }
        scaler.scale(loss).backward();
        scaler.step(opt);                                              // skipped if a gradient overflowed
        scaler.update();                                               // halves the scale after an overflow

        Tensor back = Safetensors.load(dir.resolve("w-bf16.safetensors")).get("w");
        assertEquals(DType.BF16, back.dtype());
        assertArrayEquals(values, back.toFloatArray(), 0f, "the file holds the BF16 values");
        assertTrue(w.sub(Tensor.of(values, 256, 128)).abs().max().item() <= w.abs().max().item() / 256,
                "BF16 keeps 8 significant bits: error at most 2^-9 relative (tested at 2^-8 of the largest value)");
        assertTrue(Files.size(dir.resolve("w-bf16.safetensors")) < 256 * 128 * 2 + 200, "2 bytes per element");
        assertNotNull(model.weight().grad());
        assertEquals(DType.F32, loss.dtype());
        assertEquals(65536.0, scaler.getScale(), 0.0, "no overflow at this loss: the scale stays");
        assertEquals(1, scaler.getGrowthTracker());
    }
}
