package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.ReduceOp;

/**
 * View ops (no copy in forward): reshape-like views, permute, slice with step, select, expand, and the
 * scatter-into-zeros ops that are their backward. Each forward result is computed by the {@link Tensor} method
 * with the matching NDArray call (which validates the arguments) and handed in.
 */
final class ViewOps {
    private ViewOps() {
    }

    /** Any view that only changes the shape (view, reshape, flatten, squeeze, unsqueeze, unflatten). */
    static final class Reshape extends LinearFunction {
        Reshape(String name, NDArray result) {
            super(name, a -> result, (g, shape) -> g.reshape(shape));
        }
    }

    /** permute / transpose. */
    static final class Permute extends LinearFunction {
        Permute(NDArray result, int[] inverse) {
            super(a -> result, (g, shape) -> g.permute(inverse));
        }
    }

    /** Broadcast view; the gradient is summed back. */
    static final class Expand extends LinearFunction {
        Expand(int[] sizes) {
            super(a -> a.expand(sizes), (g, shape) -> g.sumTo(shape));
        }
    }

    /** Sums a tensor down to a shape it broadcasts from (the adjoint of expand). */
    static final class SumTo extends LinearFunction {
        SumTo(int[] shape) {
            super(a -> sumTo(a, shape), (g, in) -> g.expand(in));
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
            return a.reduce(ReduceOp.SUM, java.util.Arrays.copyOf(dims, n), true).reshape(shape);
        }
    }

    /** slice(dim, start, end, step) and narrow. */
    static final class Slice extends LinearFunction {
        Slice(int dim, int start, int end, int step) {
            super(a -> a.slice(dim, start, end, step), (g, shape) -> new SliceScatter(shape, dim, start, end, step).apply(g));
        }
    }

    /** Writes its input into the slice of a zero tensor of {@code shape}: the adjoint of {@link Slice}. */
    static final class SliceScatter extends LinearFunction {
        SliceScatter(int[] shape, int dim, int start, int end, int step) {
            super(g -> scatterIntoZeros(g, shape, dim, start, end, step), (gg, in) -> gg.slice(dim, start, end, step));
        }

        private static NDArray scatterIntoZeros(NDArray g, int[] shape, int dim, int start, int end, int step) {
            NDArray out = NDArray.zeros(g.dtype(), g.device(), shape);
            out.slice(dim, start, end, step).copyFrom(g);
            return out;
        }
    }

    /** select(dim, index): removes the dim. */
    static final class Select extends LinearFunction {
        Select(int dim, int index) {
            super(a -> a.select(dim, index), (g, shape) -> unselect(g, shape, dim, index));
        }

        private static Tensor unselect(Tensor g, int[] shape, int dim, int index) {
            int d = Dims.norm("select", dim, shape.length, shape);
            int i = index < 0 ? index + shape[d] : index;
            return new SliceScatter(shape, d, i, i + 1, 1).apply(g.unsqueeze(d));
        }
    }
}
