package dev.kasane.amp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.io.PyTorchFixtures;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Linear;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BF16 and F16 against PyTorch through the fixtures of {@code src/test/python/gen_amp_fixtures.py}: PyTorch's
 * rounding of F32 reproduced bit for bit, PyTorch's 16-bit tensors loaded bit for bit, and Kasane's written byte for
 * byte as the reference writer does (and, where PyTorch is installed and CI is unset, loaded by PyTorch). Tolerance 0.
 */
class HalfSafetensorsTest {
    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return PyTorchFixtures.resource("amp", name, "gen_amp_fixtures.py");
    }

    private static short[] bits(Tensor t) {
        return (short[]) Function.array(t).toHostArray();
    }

    @Test
    void pyTorchsRoundingIsReproducedBitForBit() throws Exception {
        Map<String, Tensor> f = Safetensors.load(resource("conversions.safetensors"));
        Tensor x = f.get("x");
        assertEquals(DType.F32, x.dtype());
        assertEquals(DType.BF16, f.get("x_bf16").dtype());
        assertEquals(DType.F16, f.get("x_f16").dtype());
        float[] xs = x.toFloatArray();
        for (String name : new String[] {"x_bf16", "x_f16"}) {
            Tensor torch = f.get(name);
            short[] want = bits(torch);
            short[] got = bits(x.toType(torch.dtype()));
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                if (Float.isNaN(xs[i])) {
                    // PyTorch's vectorised and scalar paths pick different NaN bits; both must be NaN
                    assertTrue(Float.isNaN(torch.toFloatArray()[i]) && Float.isNaN(x.toType(torch.dtype()).toFloatArray()[i]));
                    continue;
                }
                assertEquals(want[i], got[i], name + "[" + i + "] from " + xs[i]);
            }
        }
    }

    /** Mirrors kasane_half_tensors() in gen_amp_fixtures.py. */
    static Map<String, Tensor> kasaneHalfTensors() {
        short[] h = {0x0000, (short) 0x8000, 0x3C00, (short) 0xC500, 0x7BFF, 0x0001, 0x03FF, 0x7C00, (short) 0xFC00, 0x3555};
        short[] b = {0x3F80, (short) 0xC049, 0x7F7F, 0x0001, 0x7F80, (short) 0xFF80, 0x3DCD, (short) 0x8000};
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("f", Tensor.of(new float[] {1.5f, -2.25f}));
        m.put("b", Tensor.fromHost(b, DType.BF16, Device.CPU, b.length));
        m.put("h", Tensor.fromHost(h, DType.F16, Device.CPU, 5, 2).transpose(0, 1).contiguous().transpose(0, 1)
                .reshape(5, 2).reshape(2, 5)); // through a strided copy
        return m;
    }

    @Test
    void writesTheReferenceWritersBytesAndReadsThemBack() throws Exception {
        Path f = dir.resolve("half.safetensors");
        Safetensors.save(kasaneHalfTensors(), f);
        assertArrayEquals(Files.readAllBytes(resource("kasane_half.safetensors")), Files.readAllBytes(f));
        Map<String, Tensor> back = Safetensors.load(f);
        for (Map.Entry<String, Tensor> e : kasaneHalfTensors().entrySet()) {
            Tensor got = back.get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            if (got.dtype().isHalf()) {
                assertArrayEquals(bits(e.getValue()), bits(got), e.getKey());
            }
        }
    }

    @Test
    void aBf16CheckpointLoadsIntoAnF32ModelExactlyAndTakesHalfTheBytes() throws Exception {
        Linear model = new Linear(64, 32);
        Map<String, Tensor> half = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> half.put(k, v.toType(DType.BF16)));
        Path f32File = dir.resolve("f32.safetensors");
        Path bf16File = dir.resolve("bf16.safetensors");
        Safetensors.save(model.stateDict(), f32File);
        Safetensors.save(half, bf16File);
        long headerSlack = 200; // the two headers differ by a few characters only
        assertTrue(Math.abs(2 * Files.size(bf16File) - Files.size(f32File)) < headerSlack + Files.size(f32File) / 100,
                Files.size(bf16File) + " vs " + Files.size(f32File));
        Linear restored = new Linear(64, 32);
        restored.loadStateDict(Safetensors.load(bf16File), true);
        assertEquals(DType.F32, restored.weight().dtype());
        assertArrayEquals(model.weight().toType(DType.BF16).toFloatArray(), restored.weight().toFloatArray(), 0f,
                "the BF16 values widened exactly");
    }

    @Test
    void pyTorchLoadsWhatKasaneWrites() throws Exception {
        Path f = dir.resolve("half.safetensors");
        Safetensors.save(kasaneHalfTensors(), f);
        PyTorchFixtures.verifyWithPyTorch("gen_amp_fixtures.py", f);
    }
}
