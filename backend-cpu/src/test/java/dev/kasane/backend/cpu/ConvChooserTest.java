package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link ConvChooser}'s strategy per pass for the layer geometries of the benchmarked models (ResNet-18 CIFAR at
 * batch 16, LeNet-5 at 64, U-Net(1, 1, 16) at 8 on 64x64, the 28x28 DCGAN at 64; a transposed convolution runs the
 * three passes of the convolution listed), for the AVX-512 Vector API F32 kernel (8x32, with Winograd), its F64 kernel
 * (8x16) and the scalar kernels (4x8). The expected plans were printed by the dispatcher in {@code Conv} before it was
 * split into strategies, so the split changed no choice. Each plan reads "forward inputGrad weightGrad"; an input
 * gradient named after a forward strategy ("im2col", "imagesN") is its GEMM + col2im path.
 */
class ConvChooserTest {
    /** name, "n,c,h,o,k,stride,pad" (square), plan for 8x32 + Winograd, for 8x16, for 4x8. */
    private static final String[][] LAYERS = {
        {"ResNet-18 CIFAR stem", "16,3,32,64,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"ResNet-18 layer1 3x3", "16,64,32,64,3,1,1", "winograd transposed/winograd in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"ResNet-18 layer2 3x3 s2", "16,64,32,128,3,2,1", "in-place im2col im2col", "in-place im2col im2col", "in-place im2col im2col"},
        {"ResNet-18 layer2 3x3", "16,128,16,128,3,1,1", "winograd transposed/winograd in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"ResNet-18 layer2 downsample", "16,64,32,128,1,2,0", "pointwise im2col im2col", "pointwise im2col im2col", "pointwise im2col im2col"},
        {"ResNet-18 layer3 3x3 s2", "16,128,16,256,3,2,1", "images2 images2 images4", "images2 images2 images4", "images2 images2 images4"},
        {"ResNet-18 layer3 3x3", "16,256,8,256,3,1,1", "images2 transposed/images2 images4", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"ResNet-18 layer3 downsample", "16,128,16,256,1,2,0", "images2 images2 images4", "images2 images2 images4", "images2 images2 images4"},
        {"ResNet-18 layer4 3x3 s2", "16,256,8,512,3,2,1", "images2 images2 images16", "images2 images2 images16", "images2 images2 images16"},
        {"ResNet-18 layer4 3x3", "16,512,4,512,3,1,1", "images2 transposed/images2 images14", "images2 transposed/images2 images14", "images2 transposed/images2 images14"},
        {"ResNet-18 layer4 downsample", "16,256,8,512,1,2,0", "images2 images2 images16", "images2 images2 images16", "images2 images2 images16"},
        {"LeNet-5 conv1", "64,1,28,6,5,1,2", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"LeNet-5 conv2", "64,6,14,16,5,1,0", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net enc1a", "8,1,64,16,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net enc1b / dec1b", "8,16,64,16,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net enc2a", "8,16,32,32,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net enc2b / dec2b", "8,32,32,32,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net enc3a", "8,32,16,64,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net enc3b / dec3b", "8,64,16,64,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net bottleneck a", "8,64,8,128,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net bottleneck b", "8,128,8,128,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net up3 (transposed)", "8,64,16,128,2,2,0", "im2col im2col images4", "im2col im2col images4", "im2col im2col images4"},
        {"U-Net dec3a", "8,128,16,64,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net up2 (transposed)", "8,32,32,64,2,2,0", "im2col im2col im2col", "im2col im2col im2col", "im2col im2col im2col"},
        {"U-Net dec2a", "8,64,32,32,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net up1 (transposed)", "8,16,64,32,2,2,0", "im2col im2col im2col", "im2col im2col im2col", "im2col im2col im2col"},
        {"U-Net dec1a", "8,32,64,16,3,1,1", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place", "in-place transposed/in-place in-place"},
        {"U-Net head 1x1", "8,16,64,1,1,1,0", "pointwise transposed/pointwise pointwise", "pointwise transposed/pointwise pointwise", "pointwise transposed/pointwise pointwise"},
        {"DCGAN-28 G1 (transposed) / D2", "64,64,14,128,4,2,1", "images6 images6 images6", "images6 images6 images6", "images6 images6 images6"},
        {"DCGAN-28 G2 (transposed) / D1", "64,1,28,64,4,2,1", "images2 images2 images2", "images2 images2 images2", "images2 images2 images2"},
    };

    private static Conv.Geo geo(String spec) {
        int[] g = Arrays.stream(spec.split(",")).mapToInt(Integer::parseInt).toArray();
        Conv2dSpec s = new Conv2dSpec(g[5], g[5], g[6], g[6], 1, 1, 1);
        int oh = s.outHeight(g[2], g[4]);
        return new Conv.Geo(g[0], g[1], g[2], g[2], g[3], g[4], g[4], oh, oh, s);
    }

    @Test
    void depthwiseConvolutionsTakeTheDirectKernelAndOthersDoNot() {
        Conv2dSpec dw = new Conv2dSpec(1, 1, 1, 1, 1, 1, 32); // MobileNetV2's first depthwise 3x3 at 64 px, batch 16
        Conv.Geo mobile = new Conv.Geo(16, 32, 32, 32, 32, 3, 3, 32, 32, dw);
        Conv2dSpec dw2 = new Conv2dSpec(2, 2, 1, 1, 1, 1, 96); // stride 2, channel multiplier 2
        Conv.Geo strided = new Conv.Geo(16, 96, 16, 16, 192, 3, 3, 8, 8, dw2);
        Conv.Geo multiplied = new Conv.Geo(16, 32, 16, 16, 64, 3, 3, 16, 16, dw); // stride 1, channel multiplier 2
        for (int nr : new int[] {32, 16, 8}) {
            // stride 1, multiplier 1: the input gradient is the depthwise forward pass of the flipped kernel
            assertEquals("depthwise transposed/depthwise depthwise", ConvChooser.plan(mobile, nr, nr == 32).describe());
            assertEquals("depthwise depthwise depthwise", ConvChooser.plan(strided, nr, nr == 32).describe());
            assertEquals("depthwise depthwise depthwise", ConvChooser.plan(multiplied, nr, nr == 32).describe());
        }
        // two input channels per group, or one group of one channel (LeNet-5's conv1), stay on the GEMM paths
        Conv.Geo grouped = new Conv.Geo(16, 64, 16, 16, 64, 3, 3, 16, 16, new Conv2dSpec(1, 1, 1, 1, 1, 1, 32));
        assertFalse(ConvChooser.plan(grouped, 32, true).describe().contains("depthwise"));
        assertFalse(ConvChooser.plan(geo("64,1,28,6,5,1,2"), 32, true).describe().contains("depthwise"));
    }

    @Test
    void theModelsLayersKeepTheirStrategies() {
        for (String[] layer : LAYERS) {
            Conv.Geo gm = geo(layer[1]);
            assertEquals(layer[2], ConvChooser.plan(gm, 32, true).describe(), layer[0] + " with the 8x32 kernel and Winograd");
            assertEquals(layer[3], ConvChooser.plan(gm, 16, false).describe(), layer[0] + " with the 8x16 kernel");
            assertEquals(layer[4], ConvChooser.plan(gm, 8, false).describe(), layer[0] + " with the 4x8 kernel");
        }
    }

    @Test
    void theBackendsKernelsAskForTheSamePlan() {
        Conv.Geo gm = geo("16,64,32,64,3,1,1");
        GemmKernel f32 = VectorSupport.gemmF32();
        for (boolean fixed : new boolean[] {false, true}) {
            assertEquals(ConvChooser.forward(gm, f32.nr, Winograd.available(DType.F32), fixed).name(),
                    ConvChooser.forward(gm, DType.F32, f32, fixed).name());
            // F64 never takes Winograd, whatever the kernel
            assertFalse(ConvChooser.forward(gm, DType.F64, VectorSupport.gemmF64(), fixed) instanceof WinogradConv);
        }
        assertInstanceOf(TransposedConv.class, ConvChooser.inputGrad(gm, DType.F64, VectorSupport.gemmF64()));
    }
}
