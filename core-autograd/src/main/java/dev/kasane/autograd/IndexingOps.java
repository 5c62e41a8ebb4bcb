package dev.kasane.autograd;

import static dev.kasane.autograd.ElementwiseOps.scalarLike;
import static dev.kasane.autograd.ElementwiseOps.t;

import dev.kasane.tensor.NDArray;
import java.util.Arrays;

/** Indexing ops: gather / scatterAdd / indexSelect (each other's adjoints), maskedFill, where. */
final class IndexingOps {
    private IndexingOps() {
    }

    static final class Gather extends Function {
        private final int dim;
        private final NDArray index;

        Gather(int dim, NDArray index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(in[0].data.gather(dim, index));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            int[] shape = inputShape(0);
            if (shape.length == 0) {
                return new Tensor[] {g.sum()};
            }
            Tensor zeros = t(NDArray.zeros(g.data.dtype(), g.data.device(), shape));
            return new Tensor[] {zeros.scatterAdd(dim, t(index), g)};
        }
    }

    /** {@code self} with {@code src} added at the indexed positions; differentiable in both. */
    static final class ScatterAdd extends Function {
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
    static final class IndexSelect extends Function {
        private final int dim;
        private final NDArray index;

        IndexSelect(int dim, NDArray index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(in[0].data.indexSelect(dim, index));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            int[] shape = inputShape(0);
            if (shape.length == 0) {
                return new Tensor[] {g.sum()};
            }
            int d = Dims.norm("indexSelect", dim, shape.length, shape);
            int[] gShape = g.shape();
            int[] idxShape = new int[shape.length];
            Arrays.fill(idxShape, 1);
            idxShape[d] = index.numel();
            NDArray idx = index.reshape(idxShape).expand(gShape);
            Tensor zeros = t(NDArray.zeros(g.data.dtype(), g.data.device(), shape));
            return new Tensor[] {zeros.scatterAdd(d, t(idx), g)};
        }
    }

    static final class MaskedFill extends Function {
        private final NDArray mask;
        private final double value;

        MaskedFill(NDArray mask, double value) {
            this.mask = mask;
            this.value = value;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(in[0].data.maskedFill(mask, value));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.maskedFill(t(mask), 0)};
        }
    }

    /** {@code cond ? a : b} with broadcasting; the gradient goes to the side that was picked. */
    static final class Where extends Function {
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
