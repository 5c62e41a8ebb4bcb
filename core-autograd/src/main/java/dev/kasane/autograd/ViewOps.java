package dev.kasane.autograd;

import static dev.kasane.autograd.ElementwiseOps.t;

import dev.kasane.tensor.NDArray;

/**
 * View ops (no copy in forward): reshape-like views, permute, slice with step, select, expand, and the
 * scatter-into-zeros ops that are their backward. Each forward result is computed by the {@link Tensor} method
 * with the matching NDArray call (which validates the arguments) and handed in.
 */
final class ViewOps {
    private ViewOps() {
    }

    /** Any view that only changes the shape (view, reshape, flatten, squeeze, unsqueeze, unflatten). */
    static final class Reshape extends Function {
        private NDArray result;
        private final String name;

        Reshape(String name, NDArray result) {
            this.name = name;
            this.result = result;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            NDArray r = result;
            result = null; // the node need not keep the output alive
            return t(r);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.reshape(inputShape(0))};
        }
    }

    /** permute / transpose. */
    static final class Permute extends Function {
        private NDArray result;
        private final int[] inverse;

        Permute(NDArray result, int[] inverse) {
            this.result = result;
            this.inverse = inverse;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            NDArray r = result;
            result = null; // the node need not keep the output alive
            return t(r);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.permute(inverse)};
        }
    }

    /** Broadcast view; the gradient is summed back. */
    static final class Expand extends Function {
        private final int[] sizes;

        Expand(int[] sizes) {
            this.sizes = sizes;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(in[0].data.expand(sizes));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.sumTo(inputShape(0))};
        }
    }

    /** Sums a tensor down to a shape it broadcasts from (the adjoint of expand). */
    static final class SumTo extends Function {
        private final int[] shape;

        SumTo(int[] shape) {
            this.shape = shape;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(sumTo(in[0].data, shape));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.expand(inputShape(0))};
        }

        static NDArray sumTo(NDArray a, int[] shape) {
            int[] have = a.shape();
            int lead = have.length - shape.length;
            int n = 0;
            int[] dims = new int[have.length];
            for (int i = 0; i < have.length; i++) {
                if (i < lead || (shape[i - lead] == 1 && have[i] != 1)) {
                    dims[n++] = i;
                }
            }
            if (n == 0) {
                return a.reshape(shape);
            }
            return a.sum(java.util.Arrays.copyOf(dims, n), true).reshape(shape);
        }
    }

    /** slice(dim, start, end, step) and narrow. */
    static final class Slice extends Function {
        private final int dim;
        private final int start;
        private final int end;
        private final int step;

        Slice(int dim, int start, int end, int step) {
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(in[0].data.slice(dim, start, end, step));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {new SliceScatter(inputShape(0), dim, start, end, step).apply(g)};
        }
    }

    /** Writes its input into the slice of a zero tensor of {@code shape}: the adjoint of {@link Slice}. */
    static final class SliceScatter extends Function {
        private final int[] shape;
        private final int dim;
        private final int start;
        private final int end;
        private final int step;

        SliceScatter(int[] shape, int dim, int start, int end, int step) {
            this.shape = shape;
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            NDArray g = in[0].data;
            NDArray out = NDArray.zeros(g.dtype(), g.device(), shape);
            out.slice(dim, start, end, step).copyFrom(g);
            return t(out);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.slice(dim, start, end, step)};
        }
    }

    /** select(dim, index): removes the dim. */
    static final class Select extends Function {
        private final int dim;
        private final int index;

        Select(int dim, int index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return t(in[0].data.select(dim, index));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            int[] shape = inputShape(0);
            int d = Dims.norm("select", dim, shape.length, shape);
            int i = index < 0 ? index + shape[d] : index;
            return new Tensor[] {new SliceScatter(shape, d, i, i + 1, 1).apply(g.unsqueeze(d))};
        }
    }
}
