package dev.kasane.autograd;

import static dev.kasane.autograd.ElementwiseOps.t;

import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.PadMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Ops that copy into a new shape: cat (stack and split are built on cat/unsqueeze and narrow), constant pad,
 * flip, repeat. Reflect/replicate/circular padding is composed from indexSelect in {@link Tensor#pad}.
 */
final class ShapeCopyOps {
    private ShapeCopyOps() {
    }

    static final class Cat extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final int dim;
        private int d;
        private int[] sizes;

        Cat(int dim) {
            this.dim = dim;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            List<NDArray> arrays = new ArrayList<>(in.length);
            for (Tensor x : in) {
                arrays.add(x.data);
            }
            NDArray out = NDArray.cat(arrays, dim);
            d = Dims.norm("cat", dim, out.dim(), out.shape());
            sizes = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                sizes[i] = in[i].data.size(d);
            }
            return t(out);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] r = new Tensor[sizes.length];
            int at = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (needsInputGrad(i)) {
                    r[i] = g.narrow(d, at, sizes[i]);
                }
                at += sizes[i];
            }
            return r;
        }
    }

    /** Constant padding (negative pads crop); the backward is the opposite padding. */
    static final class Pad extends LinearFunction {
        Pad(int[] pad, double value) {
            super(a -> a.pad(pad, PadMode.CONSTANT, value), (g, shape) -> g.pad(negated(pad)));
        }

        private static int[] negated(int[] pad) {
            int[] neg = new int[pad.length];
            for (int i = 0; i < pad.length; i++) {
                neg[i] = -pad[i];
            }
            return neg;
        }
    }

    static final class Flip extends LinearFunction {
        Flip(int[] dims) {
            super(a -> a.flip(dims), (g, shape) -> g.flip(dims));
        }
    }

    /** Tiling; the gradient sums the tiles. */
    static final class Repeat extends LinearFunction {
        Repeat(int[] repeats) {
            super(a -> a.repeat(repeats), (g, shape) -> sumTiles(g, shape, repeats));
        }

        private static Tensor sumTiles(Tensor g, int[] in, int[] repeats) {
            int lead = repeats.length - in.length;
            int[] split = new int[2 * repeats.length];
            int[] sumDims = new int[repeats.length];
            for (int i = 0; i < repeats.length; i++) {
                split[2 * i] = repeats[i];
                split[2 * i + 1] = i < lead ? 1 : in[i - lead];
                sumDims[i] = 2 * i;
            }
            return g.reshape(split).sum(sumDims, false).reshape(in);
        }
    }
}
