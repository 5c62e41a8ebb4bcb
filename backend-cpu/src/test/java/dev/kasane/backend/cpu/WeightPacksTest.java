package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link WeightPacks}: a forward convolution keeps its packed weight from the second call at one weight version, serves
 * it while the weight is unchanged, and never after an in-place write; a weight written between calls (training)
 * keeps nothing. Every result is compared exactly (tolerance 0) with the same convolution of a fresh copy of the
 * weight, which nothing was kept for.
 */
class WeightPacksTest {
    /** n, c, h, w, o, k, stride, pad, and the forward strategy {@link ConvChooser} picks for it. */
    private static final Object[][] CASES = {
        {1, 8, 15, 15, 12, 3, 3, 1, "im2col"},
        {1, 8, 15, 15, 12, 3, 2, 1, "in-place"},
        {1, 16, 9, 9, 24, 1, 1, 0, "pointwise"},
        {1, 16, 9, 9, 24, 1, 2, 0, "pointwise"},
        {2, 3, 10, 12, 5, 3, 1, 1, "in-place"},
        {1, 64, 64, 64, 64, 3, 1, 1, "winograd"},
    };

    private final CpuBackend be = new CpuBackend(new Parallel(2), null, null);

    private static int i(Object o) {
        return (Integer) o;
    }

    private static Conv2dSpec spec(Object[] k) {
        return Conv2dSpec.of(i(k[6]), i(k[7]), 1, 1);
    }

    private static NDArray[] operands(Object[] k, Random r) {
        return new NDArray[] {ConvTest.random(r, DType.F32, i(k[0]), i(k[1]), i(k[2]), i(k[3])),
            ConvTest.random(r, DType.F32, i(k[4]), i(k[1]), i(k[5]), i(k[5]))};
    }

    /** The convolution with a fresh copy of {@code wt}: packed for this call only. */
    private float[] fresh(NDArray x, NDArray wt, Conv2dSpec spec) {
        return ConvRun.conv2d(be, x, wt.copy(), spec).toFloatArray();
    }

    @Test
    void keepsThePackingWhileTheWeightIsUnchangedAndDropsItOnAWrite() {
        Random r = new Random(7);
        for (Object[] k : CASES) {
            Conv2dSpec spec = spec(k);
            NDArray[] xw = operands(k, r);
            NDArray x = xw[0];
            NDArray wt = xw[1];
            Conv.Geo gm = new Conv.Geo(i(k[0]), i(k[1]), i(k[2]), i(k[3]), i(k[4]), i(k[5]), i(k[5]),
                    spec.outHeight(i(k[2]), i(k[5])), spec.outWidth(i(k[3]), i(k[5])), spec);
            // without the Vector API (the scalar-kernels run) there is no Winograd kernel: the taps are read in place
            Object want = k[8].equals("winograd") && !Winograd.available(DType.F32) ? "in-place" : k[8];
            assertEquals(want, ConvChooser.forward(gm, DType.F32, VectorSupport.gemmF32(), false).name(), Arrays.toString(k));

            float[] first = ConvRun.conv2d(be, x, wt, spec).toFloatArray();
            assertEquals(0, WeightPacks.keptFor(wt.storage()), "first call keeps nothing: " + k[8]);
            float[] second = ConvRun.conv2d(be, x, wt, spec).toFloatArray();
            assertEquals(1, WeightPacks.keptFor(wt.storage()), "second call at the same version keeps it: " + k[8]);
            float[] third = ConvRun.conv2d(be, x, wt, spec).toFloatArray();
            assertArrayEquals(fresh(x, wt, spec), first, 0f, k[8].toString());
            assertArrayEquals(first, second, 0f, k[8].toString());
            assertArrayEquals(first, third, 0f, k[8] + ": served from the kept packing");

            wt.binaryInPlace(BinaryOp.MUL, -0.5); // bumps the version
            float[] written = ConvRun.conv2d(be, x, wt, spec).toFloatArray();
            assertArrayEquals(fresh(x, wt, spec), written, 0f, k[8] + ": after an in-place write");
            assertFalse(Arrays.equals(first, written), k[8] + ": the write changed the result");
            assertEquals(0, WeightPacks.keptFor(wt.storage()), k[8] + ": the stale packing is gone");
        }
    }

    @Test
    void aWeightWrittenBetweenCallsKeepsNothing() {
        Random r = new Random(8);
        for (Object[] k : CASES) {
            Conv2dSpec spec = spec(k);
            NDArray[] xw = operands(k, r);
            for (int step = 0; step < 4; step++) {
                float[] y = ConvRun.conv2d(be, xw[0], xw[1], spec).toFloatArray();
                assertArrayEquals(fresh(xw[0], xw[1], spec), y, 0f, k[8] + " step " + step);
                xw[1].binaryInPlace(BinaryOp.SUB, 0.01); // an optimizer step
            }
            assertEquals(0, WeightPacks.keptFor(xw[1].storage()), k[8].toString());
        }
    }

    /**
     * A lease gives back a packing made for its call alone (a first request, a weight written since, a temporary
     * without storage) and never one that is kept, which later calls are served.
     */
    @Test
    void aLeaseReleasesOnlyPackingsNothingKeeps() {
        NDArray wt = ConvTest.random(new Random(9), DType.F32, 4, 4);
        View w = View.of(wt, "test");
        java.util.List<Object> released = new java.util.ArrayList<>();
        Object layout = "layout";
        Object[] made = new Object[4];
        int[] calls = {0};
        java.util.function.Supplier<Object> pack = () -> made[calls[0]++] = new Object();
        try (WeightPacks.Lease<Object> a = WeightPacks.lease(w, layout, pack, released::add)) {
            assertEquals(made[0], a.value());
        }
        assertEquals(java.util.List.of(made[0]), released, "first request: packed for this call, given back");
        try (WeightPacks.Lease<Object> b = WeightPacks.lease(w, layout, pack, released::add)) {
            assertEquals(made[1], b.value());
        }
        try (WeightPacks.Lease<Object> c = WeightPacks.lease(w, layout, pack, released::add)) {
            assertEquals(made[1], c.value(), "served the kept packing");
        }
        assertEquals(java.util.List.of(made[0]), released, "a kept packing is never given back");
        wt.binaryInPlace(BinaryOp.MUL, 2);
        try (WeightPacks.Lease<Object> d = WeightPacks.lease(w, layout, pack, released::add)) {
            assertEquals(made[2], d.value(), "repacked after a write");
        }
        assertEquals(java.util.List.of(made[0], made[2]), released);
        try (WeightPacks.Lease<Object> e = WeightPacks.lease(View.contiguous(new float[16], DType.F32, 4, 4), layout, pack,
                released::add)) {
            assertEquals(made[3], e.value());
        }
        assertEquals(java.util.List.of(made[0], made[2], made[3]), released, "a temporary weight's packing is given back");
    }
}
