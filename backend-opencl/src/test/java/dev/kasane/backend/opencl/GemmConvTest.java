package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * The im2col and col2im kernels cut rows into runs of positions per work item (256 on CPU devices, single positions on
 * GPUs): with every run length the results must equal the exact ones (quarter-integer data, where every
 * sum is exact in F32; the reference is the CPU backend in F64, tolerance 1e-9). The conformance suite
 * (OpenClConvolutionTest) covers the device's default run length over strides, padding, dilation, groups and layouts.
 */
@RequiresOpenCl
class GemmConvTest {
    private static final int[][] CASES = {
        // input, weight, {stride h, stride w, pad h, pad w, dilation h, dilation w, groups}
        {2, 3, 9, 11}, {4, 3, 3, 3}, {1, 1, 1, 1, 1, 1, 1},
        {1, 4, 10, 13}, {6, 2, 3, 2}, {2, 3, 2, 1, 1, 2, 2},
        {2, 2, 7, 8}, {3, 2, 2, 3}, {3, 2, 0, 2, 2, 1, 1},
    };

    @Test
    void everyRunLengthGivesTheSameBitsAsTheCpu() {
        for (int c = 0; c < CASES.length; c += 3) {
            int[] xs = CASES[c];
            int[] ws = CASES[c + 1];
            int[] p = CASES[c + 2];
            Conv2dSpec spec = new Conv2dSpec(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
            NDArray x = OpenClTestSupport.randomQuarters(c, DType.F32, xs);
            NDArray w = OpenClTestSupport.randomQuarters(c + 1, DType.F32, ws);
            double[] y = x.toType(DType.F64).conv2d(w.toType(DType.F64), spec).toDoubleArray();
            NDArray go = OpenClTestSupport.randomQuarters(c + 2, DType.F32, x.conv2d(w, spec).shape());
            double[] gx = go.toType(DType.F64).conv2dInputGrad(w.toType(DType.F64), xs[2], xs[3], spec).toDoubleArray();
            for (int run : new int[] {0, 1, 3, 1000}) {
                String what = spec + " run " + run;
                NDArray yd = NDArray.empty(DType.F32, OpenClTestSupport.DEVICE, go.shape());
                GemmConv.forward(x.to(yd.device()), w.to(yd.device()), spec, yd, run);
                assertArrayEquals(y, yd.toDoubleArray(), 1e-9, "conv2d " + what);
                NDArray gxd = NDArray.empty(DType.F32, OpenClTestSupport.DEVICE, xs);
                GemmConv.inputGrad(go.to(yd.device()), w.to(yd.device()), spec, gxd, run);
                assertArrayEquals(gx, gxd.toDoubleArray(), 1e-9, "conv2dInputGrad " + what);
            }
        }
    }
}
