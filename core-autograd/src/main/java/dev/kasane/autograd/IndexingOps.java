package dev.kasane.autograd;

import static dev.kasane.autograd.ElementwiseOps.scalarLike;
import static dev.kasane.autograd.ElementwiseOps.t;

import dev.kasane.tensor.NDArray;
import java.util.Arrays;

/** Indexing ops: gather / scatterAdd / indexSelect (each other's adjoints), maskedFill, where. */
final class IndexingOps {
    private IndexingOps() {
    }

    /** {@code g} added at {@code index} along {@code dim} into zeros of {@code shape} (a 0-d shape: the sum of g). */
    static Tensor scatterIntoZeros(Tensor g, int[] shape, int dim, NDArray index) {
        if (shape.length == 0) {
            return g.sum();
        }
        Tensor zeros = t(NDArray.zeros(g.data.dtype(), g.data.device(), shape));
        return zeros.scatterAdd(dim, t(index), g);
    }

    static final class Gather extends LinearFunction {
        Gather(int dim, NDArray index) {
            super(a -> a.gather(dim, index), (g, shape) -> scatterIntoZeros(g, shape, dim, index));
        }
    }

    /** {@code self} with {@code src} added at the indexed positions; differentiable in both. */
    static final class ScatterAdd extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final int dim;
        private final NDArray index;

        ScatterAdd(int dim, NDArray index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(in[0].data.scatterAdd(dim, index, in[1].data));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor gs = null;
            if (needsInputGrad(1)) {
                gs = g.gather(dim, t(index));
                int[] src = inputShape(1);
                int[] idx = index.shape();
                if (!Arrays.equals(src, idx)) {
                    // src elements beyond the index's extent were not used: zero gradient
                    int[] pad = new int[2 * src.length];
                    for (int i = 0; i < src.length; i++) {
                        pad[2 * (src.length - 1 - i) + 1] = src[i] - idx[i];
                    }
                    gs = gs.pad(pad);
                }
            }
            return new Tensor[] {needsInputGrad(0) ? g : null, gs};
        }
    }

    /** Slices along {@code dim} picked by a 1-D index; the backward adds rows back (index_add). */
    static final class IndexSelect extends LinearFunction {
        IndexSelect(int dim, NDArray index) {
            super(a -> a.indexSelect(dim, index), (g, shape) -> indexAdd(g, shape, dim, index));
        }

        private static Tensor indexAdd(Tensor g, int[] shape, int dim, NDArray index) {
            if (shape.length == 0) {
                return g.sum();
            }
            int d = Dims.norm("indexSelect", dim, shape.length, shape);
            int[] idxShape = new int[shape.length];
            Arrays.fill(idxShape, 1);
            idxShape[d] = index.numel();
            return scatterIntoZeros(g, shape, d, index.reshape(idxShape).expand(g.shape()));
        }
    }

    static final class MaskedFill extends LinearFunction {
        MaskedFill(NDArray mask, double value) {
            super(a -> a.maskedFill(mask, value), (g, shape) -> g.maskedFill(t(mask), 0));
        }
    }

    /** {@code cond ? a : b} with broadcasting; the gradient goes to the side that was picked. */
    static final class Where extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final NDArray cond;

        Where(NDArray cond) {
            this.cond = cond;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(NDArray.where(cond, in[0].data, in[1].data));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor ga = null;
            Tensor gb = null;
            if (needsInputGrad(0)) {
                ga = Tensor.where(t(cond), g, scalarLike(0, g)).sumTo(inputShape(0));
            }
            if (needsInputGrad(1)) {
                gb = g.maskedFill(t(cond.expand(g.shape())), 0).sumTo(inputShape(1));
            }
            return new Tensor[] {ga, gb};
        }
    }
}
