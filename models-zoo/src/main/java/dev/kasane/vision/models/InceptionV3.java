package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Init;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.vision.models.GoogLeNet.BasicConv2d;
import java.util.ArrayList;
import java.util.List;

/**
 * Inception v3 (Szegedy et al. 2016) as torchvision 0.14's {@code inception_v3} builds it, with its module names and
 * state-dict keys ({@code Conv2d_1a_3x3} ... {@code Mixed_7c}, {@code AuxLogits}, {@code fc}), so torchvision's
 * weights (a state dict converted to safetensors) load; {@link #features} gives the 2048 "pool3" features (global
 * average pooling of {@code Mixed_7c}) that FID uses. Each convolution is a {@link BasicConv2d} (bias-free
 * convolution, batch norm with eps 0.001, ReLU).
 *
 * <p>For FID proper, the Fréchet distance must be computed on the features of the FID paper's TensorFlow Inception
 * weights (pytorch-fid's {@code pt_inception-2015-12-05} port, whose blocks also pool slightly differently) at
 * 299x299; this class is torchvision's architecture, and no Inception weights ship with this project. Without
 * weights, the network is initialised as torchvision does: normal weights with std 0.1 (0.01 in
 * {@code AuxLogits.conv1}, 0.001 in {@code AuxLogits.fc}; torchvision truncates at +-2, 20 or more standard
 * deviations, which never binds), batch norms ones and zeros.
 *
 * <p>With {@code transformInput} (torchvision sets it when loading its ImageNet weights), inputs normalised with the
 * ImageNet mean and deviation are turned into inputs normalised with mean and deviation 0.5. Inputs of at least
 * 75x75 pixels work.
 *
 * <pre>{@code
 * var inception = new InceptionV3(1000, true, true);
 * inception.loadStateDict(Safetensors.load(Path.of("inception_v3.safetensors")), true);
 * inception.eval();
 * Tensor pool3 = inception.features(images);   // [N, 2048]
 * }</pre>
 */
public final class InceptionV3 extends Module {
    private static final double[] INPUT_SCALE = {0.229 / 0.5, 0.224 / 0.5, 0.225 / 0.5};
    private static final double[] INPUT_SHIFT = {(0.485 - 0.5) / 0.5, (0.456 - 0.5) / 0.5, (0.406 - 0.5) / 0.5};
    /** The size of {@link #features}. */
    public static final int FEATURES = 2048;

    private final boolean transformInput;
    private final List<Module> stem = new ArrayList<>();
    private final List<Module> mixed6 = new ArrayList<>();
    private final List<Module> mixed7 = new ArrayList<>();
    private final Aux aux;
    private final Linear fc;

    /**
     * An Inception v3.
     *
     * @param numClasses outputs of {@code fc} (and of {@code AuxLogits})
     * @param auxLogits whether to build the auxiliary classifier {@code AuxLogits} (torchvision's default; its
     *     weights are part of torchvision's state dict)
     * @param transformInput whether to re-normalise ImageNet-normalised inputs as described above
     */
    public InceptionV3(int numClasses, boolean auxLogits, boolean transformInput) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("InceptionV3: numClasses must be >= 1, got " + numClasses);
        }
        this.transformInput = transformInput;
        stem.add(registerModule("Conv2d_1a_3x3", new BasicConv2d(3, 32, 3, 2, 0)));
        stem.add(registerModule("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3, 1, 0)));
        stem.add(registerModule("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, 1, 1)));
        stem.add(new MaxPool2d(3, 2, 0)); // not registered: torchvision's max pools have no state
        stem.add(registerModule("Conv2d_3b_1x1", new BasicConv2d(64, 80, 1, 1, 0)));
        stem.add(registerModule("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3, 1, 0)));
        stem.add(new MaxPool2d(3, 2, 0));
        stem.add(registerModule("Mixed_5b", new BlockA(192, 32)));
        stem.add(registerModule("Mixed_5c", new BlockA(256, 64)));
        stem.add(registerModule("Mixed_5d", new BlockA(288, 64)));
        stem.add(registerModule("Mixed_6a", new BlockB(288)));
        mixed6.add(registerModule("Mixed_6b", new BlockC(768, 128)));
        mixed6.add(registerModule("Mixed_6c", new BlockC(768, 160)));
        mixed6.add(registerModule("Mixed_6d", new BlockC(768, 160)));
        mixed6.add(registerModule("Mixed_6e", new BlockC(768, 192)));
        aux = auxLogits ? registerModule("AuxLogits", new Aux(768, numClasses)) : null;
        mixed7.add(registerModule("Mixed_7a", new BlockD(768)));
        mixed7.add(registerModule("Mixed_7b", new BlockE(1280)));
        mixed7.add(registerModule("Mixed_7c", new BlockE(2048)));
        fc = registerModule("fc", new Linear(FEATURES, numClasses));
        for (Module m : modules()) {
            if (m instanceof dev.kasane.nn.Conv2d || m instanceof Linear) {
                double std = m.path().equals("AuxLogits.conv1.conv") ? 0.01 : m.path().equals("AuxLogits.fc") ? 0.001 : 0.1;
                Init.normal(m.namedParameters().get("weight"), 0, std);
            }
        }
    }

    /** Whether inputs are re-normalised (torchvision's {@code transform_input}). */
    public boolean transformInput() {
        return transformInput;
    }

    /**
     * The pool3 features: {@code Mixed_7c}'s output averaged over space.
     *
     * @param x {@code [N, 3, H, W]}, H and W at least 75
     * @return {@code [N, 2048]}
     */
    public Tensor features(Tensor x) {
        return pooled(trunk(x, false).main());
    }

    /** Class logits {@code [N, numClasses]} (dropout 0.5 before {@code fc} in training; no auxiliary head). */
    @Override
    public Tensor forward(Tensor x) {
        return fc.forward(F.dropout(pooled(trunk(x, false).main()), 0.5, isTraining()));
    }

    /**
     * The logits and, in training mode with {@code AuxLogits}, the auxiliary logits (torchvision's training output).
     *
     * @return {logits, auxiliary logits or null}
     */
    public Tensor[] forwardWithAux(Tensor x) {
        Trunk t = trunk(x, isTraining() && aux != null);
        return new Tensor[] {fc.forward(F.dropout(pooled(t.main()), 0.5, isTraining())), t.aux()};
    }

    private record Trunk(Tensor main, Tensor aux) {
    }

    private Trunk trunk(Tensor x, boolean withAux) {
        if (x.dim() != 4 || x.size(1) != 3 || x.size(2) < 75 || x.size(3) < 75) {
            throw error("expected images [N, 3, H, W] with H, W >= 75, got " + x.describe());
        }
        if (transformInput) {
            x = x.mul(channelConstants(INPUT_SCALE, x)).add(channelConstants(INPUT_SHIFT, x));
        }
        x = chain(mixed6, chain(stem, x));
        Tensor a = withAux ? aux.forward(x) : null;
        return new Trunk(chain(mixed7, x), a);
    }

    private static Tensor pooled(Tensor x) {
        return x.mean(new int[] {2, 3}, false);
    }

    private static Tensor chain(List<? extends Module> modules, Tensor x) {
        for (Module m : modules) {
            x = m.forward(x);
        }
        return x;
    }

    private static Tensor channelConstants(double[] values, Tensor like) {
        return Tensor.of(values, 1, 3, 1, 1).toType(like.dtype()).to(like.device());
    }

    private static Tensor avgPool3(Tensor x) {
        return F.avgPool2d(x, new int[] {3}, new int[] {1}, new int[] {1}, false, true);
    }

    private static int[] k(int h, int w) {
        return new int[] {h, w};
    }

    /** torchvision's {@code InceptionA}: 1x1 | 1x1, 5x5 | 1x1, 3x3, 3x3 | 3x3 average pool, 1x1. */
    private static final class BlockA extends Module {
        private final BasicConv2d b1;
        private final BasicConv2d b5a;
        private final BasicConv2d b5b;
        private final BasicConv2d b3a;
        private final BasicConv2d b3b;
        private final BasicConv2d b3c;
        private final BasicConv2d pool;

        BlockA(int in, int poolFeatures) {
            b1 = registerModule("branch1x1", new BasicConv2d(in, 64, 1, 1, 0));
            b5a = registerModule("branch5x5_1", new BasicConv2d(in, 48, 1, 1, 0));
            b5b = registerModule("branch5x5_2", new BasicConv2d(48, 64, 5, 1, 2));
            b3a = registerModule("branch3x3dbl_1", new BasicConv2d(in, 64, 1, 1, 0));
            b3b = registerModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, 1, 1));
            b3c = registerModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, 1, 1));
            pool = registerModule("branch_pool", new BasicConv2d(in, poolFeatures, 1, 1, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(b1.forward(x), b5b.forward(b5a.forward(x)), b3c.forward(b3b.forward(b3a.forward(x))),
                    pool.forward(avgPool3(x))), 1);
        }
    }

    /** torchvision's {@code InceptionB}: 3x3 stride 2 | 1x1, 3x3, 3x3 stride 2 | 3x3 max pool stride 2. */
    private static final class BlockB extends Module {
        private final BasicConv2d b3;
        private final List<BasicConv2d> d3 = new ArrayList<>();

        BlockB(int in) {
            b3 = registerModule("branch3x3", new BasicConv2d(in, 384, 3, 2, 0));
            d3.add(registerModule("branch3x3dbl_1", new BasicConv2d(in, 64, 1, 1, 0)));
            d3.add(registerModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, 1, 1)));
            d3.add(registerModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, 2, 0)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(b3.forward(x), chain(d3, x), F.maxPool2d(x, 3, 2, 0)), 1);
        }
    }

    /** torchvision's {@code InceptionC}: 1x1 | 1x1, 1x7, 7x1 | 1x1, 7x1, 1x7, 7x1, 1x7 | 3x3 average pool, 1x1. */
    private static final class BlockC extends Module {
        private final BasicConv2d b1;
        private final List<BasicConv2d> b7 = new ArrayList<>();
        private final List<BasicConv2d> d7 = new ArrayList<>();
        private final BasicConv2d pool;

        BlockC(int in, int c7) {
            b1 = registerModule("branch1x1", new BasicConv2d(in, 192, 1, 1, 0));
            b7.add(registerModule("branch7x7_1", new BasicConv2d(in, c7, 1, 1, 0)));
            b7.add(registerModule("branch7x7_2", new BasicConv2d(c7, c7, k(1, 7), 1, k(0, 3))));
            b7.add(registerModule("branch7x7_3", new BasicConv2d(c7, 192, k(7, 1), 1, k(3, 0))));
            d7.add(registerModule("branch7x7dbl_1", new BasicConv2d(in, c7, 1, 1, 0)));
            d7.add(registerModule("branch7x7dbl_2", new BasicConv2d(c7, c7, k(7, 1), 1, k(3, 0))));
            d7.add(registerModule("branch7x7dbl_3", new BasicConv2d(c7, c7, k(1, 7), 1, k(0, 3))));
            d7.add(registerModule("branch7x7dbl_4", new BasicConv2d(c7, c7, k(7, 1), 1, k(3, 0))));
            d7.add(registerModule("branch7x7dbl_5", new BasicConv2d(c7, 192, k(1, 7), 1, k(0, 3))));
            pool = registerModule("branch_pool", new BasicConv2d(in, 192, 1, 1, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(b1.forward(x), chain(b7, x), chain(d7, x),
                    pool.forward(avgPool3(x))), 1);
        }
    }

    /** torchvision's {@code InceptionD}: 1x1, 3x3 stride 2 | 1x1, 1x7, 7x1, 3x3 stride 2 | 3x3 max pool stride 2. */
    private static final class BlockD extends Module {
        private final List<BasicConv2d> b3 = new ArrayList<>();
        private final List<BasicConv2d> b7 = new ArrayList<>();

        BlockD(int in) {
            b3.add(registerModule("branch3x3_1", new BasicConv2d(in, 192, 1, 1, 0)));
            b3.add(registerModule("branch3x3_2", new BasicConv2d(192, 320, 3, 2, 0)));
            b7.add(registerModule("branch7x7x3_1", new BasicConv2d(in, 192, 1, 1, 0)));
            b7.add(registerModule("branch7x7x3_2", new BasicConv2d(192, 192, k(1, 7), 1, k(0, 3))));
            b7.add(registerModule("branch7x7x3_3", new BasicConv2d(192, 192, k(7, 1), 1, k(3, 0))));
            b7.add(registerModule("branch7x7x3_4", new BasicConv2d(192, 192, 3, 2, 0)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(chain(b3, x), chain(b7, x), F.maxPool2d(x, 3, 2, 0)), 1);
        }
    }

    /** torchvision's {@code InceptionE}: 1x1 | 1x1, (1x3 and 3x1) | 1x1, 3x3, (1x3 and 3x1) | 3x3 average pool, 1x1. */
    private static final class BlockE extends Module {
        private final BasicConv2d b1;
        private final BasicConv2d b3;
        private final BasicConv2d b3a;
        private final BasicConv2d b3b;
        private final BasicConv2d d1;
        private final BasicConv2d d2;
        private final BasicConv2d d3a;
        private final BasicConv2d d3b;
        private final BasicConv2d pool;

        BlockE(int in) {
            b1 = registerModule("branch1x1", new BasicConv2d(in, 320, 1, 1, 0));
            b3 = registerModule("branch3x3_1", new BasicConv2d(in, 384, 1, 1, 0));
            b3a = registerModule("branch3x3_2a", new BasicConv2d(384, 384, k(1, 3), 1, k(0, 1)));
            b3b = registerModule("branch3x3_2b", new BasicConv2d(384, 384, k(3, 1), 1, k(1, 0)));
            d1 = registerModule("branch3x3dbl_1", new BasicConv2d(in, 448, 1, 1, 0));
            d2 = registerModule("branch3x3dbl_2", new BasicConv2d(448, 384, 3, 1, 1));
            d3a = registerModule("branch3x3dbl_3a", new BasicConv2d(384, 384, k(1, 3), 1, k(0, 1)));
            d3b = registerModule("branch3x3dbl_3b", new BasicConv2d(384, 384, k(3, 1), 1, k(1, 0)));
            pool = registerModule("branch_pool", new BasicConv2d(in, 192, 1, 1, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor t = b3.forward(x);
            Tensor d = d2.forward(d1.forward(x));
            return Tensor.cat(List.of(b1.forward(x), b3a.forward(t), b3b.forward(t), d3a.forward(d), d3b.forward(d),
                    pool.forward(avgPool3(x))), 1);
        }
    }

    /** torchvision's {@code InceptionAux}: 5x5 average pool stride 3, 1x1 to 128, 5x5 to 768, global average, fc. */
    private static final class Aux extends Module {
        private final BasicConv2d conv0;
        private final BasicConv2d conv1;
        private final Linear fc;

        Aux(int in, int numClasses) {
            conv0 = registerModule("conv0", new BasicConv2d(in, 128, 1, 1, 0));
            conv1 = registerModule("conv1", new BasicConv2d(128, 768, 5, 1, 0));
            fc = registerModule("fc", new Linear(768, numClasses));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor p = F.avgPool2d(x, new int[] {5}, new int[] {3}, new int[] {0}, false, true);
            return fc.forward(pooled(conv1.forward(conv0.forward(p))));
        }
    }
}
