package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.ConvTranspose2d;
import dev.kasane.nn.InstanceNorm2d;
import dev.kasane.nn.LeakyReLU;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.ReflectionPad2d;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.Tanh;

/**
 * The networks of CycleGAN (Zhu et al. 2017) as pytorch-CycleGAN-and-pix2pix defines them with its defaults
 * ({@code --norm instance}, no dropout): a ResNet generator and the PatchGAN discriminator, layer for layer and
 * state-dict key for key ({@code model.1.weight}, {@code model.10.conv_block.1.weight}, ...), so weights saved from
 * that code load by name. Instance norm is not affine, so every convolution has a bias. Generators end in tanh
 * (images in [-1, 1]); discriminators return a map of patch logits {@code [N, 1, h, w]}.
 *
 * <pre>{@code
 * Module g = CycleGAN.resnetGenerator(3, 3, 64, 9);     // the paper's 256x256 generator: c7s1-64, d128, d256, R256 x 9, u128, u64, c7s1-3
 * Module d = CycleGAN.patchDiscriminator(3, 64, 3);     // the 70x70 PatchGAN
 * Module small = CycleGAN.resnetGenerator(1, 1, 16, 3); // for 28x28 or 32x32 images
 * }</pre>
 */
public final class CycleGAN {
    private CycleGAN() {
    }

    /**
     * The ResNet generator: ReflectionPad(3) - Conv7x7(in, ngf) - IN - ReLU; two stride-2 Conv3x3 downsamplings to
     * 2ngf and 4ngf (IN, ReLU); {@code blocks} residual blocks at 4ngf; two ConvTranspose3x3 (stride 2, output padding
     * 1) upsamplings to 2ngf and ngf (IN, ReLU); ReflectionPad(3) - Conv7x7(ngf, out) - Tanh. Height and width must be
     * multiples of 4 for the output to keep the input's size.
     *
     * @param inChannels input image channels
     * @param outChannels output image channels
     * @param ngf the first layer's width (64 in the paper)
     * @param blocks residual blocks (9 for 256x256 images, 6 for 128x128 in the paper)
     * @return a model named as PyTorch's {@code ResnetGenerator} (one child, {@code model})
     */
    public static Module resnetGenerator(int inChannels, int outChannels, int ngf, int blocks) {
        positive("resnetGenerator", inChannels, outChannels, ngf);
        if (blocks < 0) {
            throw new IllegalArgumentException("CycleGAN.resnetGenerator: blocks must be >= 0, got " + blocks);
        }
        Sequential m = new Sequential(new ReflectionPad2d(3), new Conv2d(inChannels, ngf, 7), new InstanceNorm2d(ngf), new ReLU());
        for (int mult = 1; mult <= 2; mult *= 2) {
            m.add(new Conv2d(ngf * mult, ngf * mult * 2, 3, 2, 1)).add(new InstanceNorm2d(ngf * mult * 2)).add(new ReLU());
        }
        for (int i = 0; i < blocks; i++) {
            m.add(new ResnetBlock(ngf * 4));
        }
        for (int mult = 4; mult >= 2; mult /= 2) {
            m.add(new ConvTranspose2d(ngf * mult, ngf * mult / 2, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                    new int[] {1, 1}, 1, true, new int[] {1, 1})).add(new InstanceNorm2d(ngf * mult / 2)).add(new ReLU());
        }
        m.add(new ReflectionPad2d(3)).add(new Conv2d(ngf, outChannels, 7)).add(new Tanh());
        return new Wrapped(m);
    }

    /**
     * The PatchGAN discriminator: Conv4x4(in, ndf, stride 2) - LeakyReLU(0.2); {@code layers - 1} more stride-2
     * Conv4x4 with widths ndf * min(2^n, 8) (IN, LeakyReLU); a stride-1 Conv4x4 to ndf * min(2^layers, 8) (IN,
     * LeakyReLU); a stride-1 Conv4x4 to one logit per patch. All padding 1. With {@code layers = 3} each logit sees a
     * 70x70 patch (the paper's discriminator); fewer layers see smaller patches (34x34 with 2, 16x16 with 1).
     *
     * @param inChannels input image channels
     * @param ndf the first layer's width (64 in the paper)
     * @param layers stride-2 layers (3 in the paper)
     * @return a model named as PyTorch's {@code NLayerDiscriminator} (one child, {@code model})
     */
    public static Module patchDiscriminator(int inChannels, int ndf, int layers) {
        positive("patchDiscriminator", inChannels, ndf, layers);
        Sequential m = new Sequential(new Conv2d(inChannels, ndf, 4, 2, 1), new LeakyReLU(0.2));
        int mult = 1;
        for (int n = 1; n <= layers; n++) {
            int prev = mult;
            mult = Math.min(1 << n, 8);
            m.add(new Conv2d(ndf * prev, ndf * mult, 4, n < layers ? 2 : 1, 1)).add(new InstanceNorm2d(ndf * mult))
                    .add(new LeakyReLU(0.2));
        }
        m.add(new Conv2d(ndf * mult, 1, 4, 1, 1));
        return new Wrapped(m);
    }

    private static void positive(String op, int... v) {
        for (int x : v) {
            if (x < 1) {
                throw new IllegalArgumentException("CycleGAN." + op + ": sizes must be >= 1, got " + java.util.Arrays.toString(v));
            }
        }
    }

    /** A {@code Sequential} under the name {@code model}, as the PyTorch classes hold their layers. */
    private static final class Wrapped extends Module {
        private final Sequential model;

        Wrapped(Sequential model) {
            this.model = registerModule("model", model);
        }

        @Override
        public Tensor forward(Tensor input) {
            return model.forward(input);
        }
    }

    /**
     * {@code x + conv_block(x)}, conv_block = ReflectionPad(1) - Conv3x3 - IN - ReLU - ReflectionPad(1) - Conv3x3 -
     * IN (PyTorch's {@code ResnetBlock}).
     */
    private static final class ResnetBlock extends Module {
        private final Sequential convBlock;

        ResnetBlock(int dim) {
            convBlock = registerModule("conv_block", new Sequential(new ReflectionPad2d(1), new Conv2d(dim, dim, 3),
                    new InstanceNorm2d(dim), new ReLU(), new ReflectionPad2d(1), new Conv2d(dim, dim, 3), new InstanceNorm2d(dim)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.add(convBlock.forward(x));
        }
    }
}
