package dev.kasane.autograd;

import static dev.kasane.autograd.ElementwiseOps.scalarLike;
import static dev.kasane.autograd.ElementwiseOps.t;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;

/**
 * Reductions and the softmax family. {@code dims == null} means all dims. Max/min over one dim send the gradient
 * to the index they return; amax/amin and the whole-tensor max/min split it evenly among ties (PyTorch's rules).
 */
final class ReductionOps {
    private ReductionOps() {
    }

    /** True if any element of {@code a} is non-zero (false for an empty array). */
    static boolean anyNonZero(NDArray a) {
        return a.numel() > 0 && a.toType(DType.BOOL).reduce(ReduceOp.MAX).item() != 0;
    }

    private static int[] dimsOf(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        int[] r = new int[n];
        for (int i = 0, j = 0; i < mask.length; i++) {
            if (mask[i]) {
                r[j++] = i;
            }
        }
        return r;
    }

    private static NDArray requireFloat(String op, NDArray x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expects a float tensor (F32 or F64), got " + x.describe());
        }
        return x;
    }

    /** Variance over the masked dims dividing by {@code N - correction}, in two passes (mean, then squares). */
    static NDArray variance(NDArray x, boolean[] mask, int correction, boolean keepDim) {
        requireFloat("var", x);
        int[] dims = dimsOf(mask);
        NDArray centered = x.binary(BinaryOp.SUB, x.mean(dims, true));
        NDArray ss = centered.unary(UnaryOp.SQUARE).reduce(ReduceOp.SUM, dims, keepDim);
        return ss.binary(BinaryOp.DIV, (double) Math.max(0, Dims.count(x.shape(), mask) - correction));
    }

    /** {@code log(sum(exp(x)))} over the masked dims, shifted by the (finite part of the) maximum for stability. */
    static NDArray logSumExp(NDArray x, boolean[] mask, boolean keepDim) {
        x.dtype().requireComputable("logsumexp", x.describe());
        x = x.dtype().isFloating() ? x : x.toType(DType.getDefault());
        int[] dims = dimsOf(mask);
        if (x.numel() == 0) {
            return x.unary(UnaryOp.EXP).reduce(ReduceOp.SUM, dims, keepDim).unary(UnaryOp.LOG);
        }
        NDArray m = x.reduce(ReduceOp.MAX, dims, true);
        NDArray mSafe = m.maskedFill(m.isInf(), 0);
        NDArray r = x.binary(BinaryOp.SUB, mSafe).unary(UnaryOp.EXP).reduce(ReduceOp.SUM, dims, true).unary(UnaryOp.LOG)
                .binary(BinaryOp.ADD, mSafe);
        return keepDim ? r : r.reshape(Dims.reducedShape(x.shape(), mask));
    }

    /** Softmax ({@code exp(x - max) / sum}) or, if {@code log}, log-softmax ({@code x - max - log(sum)}) along dim. */
    static NDArray softmax(String op, NDArray x, int dim, boolean log) {
        int d = Dims.norm(op, dim, x);
        x.dtype().requireComputable(op, x.describe());
        x = x.dtype().isFloating() ? x : x.toType(DType.getDefault());
        if (x.numel() == 0) {
            return x.copy();
        }
        NDArray shifted = x.binary(BinaryOp.SUB, x.reduce(ReduceOp.MAX, d, true));
        NDArray e = shifted.unary(UnaryOp.EXP);
        NDArray sum = e.reduce(ReduceOp.SUM, d, true);
        return log ? shifted.binary(BinaryOp.SUB, sum.unary(UnaryOp.LOG)) : e.binary(BinaryOp.DIV, sum);
    }

    /** Reshapes a reduced gradient back to keepDim form and broadcasts it to the input shape. */
    static Tensor expandBack(Tensor g, int[] inShape, boolean[] mask, boolean keepDim) {
        if (!keepDim) {
            g = g.reshape(Dims.keptShape(inShape, mask));
        }
        return g.expand(inShape);
    }

    /** Base of the reductions: remembers the reduced dims. */
    abstract static class Reduction extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        final int[] dims;
        final boolean keepDim;
        boolean[] mask;
        int[] inShape;

        Reduction(int[] dims, boolean keepDim) {
            this.dims = dims;
            this.keepDim = keepDim;
        }

        Reduction(String name, int[] dims, boolean keepDim) {
            super(name);
            this.dims = dims;
            this.keepDim = keepDim;
        }

        /** Records the input's shape and the reduced dims, then reduces. */
        @Override
        protected final Tensor forward(Tensor... in) {
            inShape = in[0].data.shape();
            mask = Dims.mask(opName(), dims, in[0].data);
            return reduce(in[0]);
        }

        /**
         * The reduction of {@code x} over {@link #dims}, {@link #inShape} and {@link #mask} already set; saves what
         * backward needs.
         */
        abstract Tensor reduce(Tensor x);

        /** The op's name in error messages: the class name in lower camel case ({@code logSumExp}). */
        String opName() {
            String n = name();
            return Character.toLowerCase(n.charAt(0)) + n.substring(1);
        }

        /** The reduced dims, normalised. */
        int[] reducedDims() {
            return dimsOf(mask);
        }

        /** The output (or the output's gradient) in keepDim form. */
        Tensor kept(Tensor r) {
            return keepDim ? r : r.reshape(Dims.keptShape(inShape, mask));
        }
    }

    static final class Sum extends Reduction {
        Sum(int[] dims, boolean keepDim) {
            super(dims, keepDim);
        }

        @Override
        Tensor reduce(Tensor x) {
            return t(x.data.reduce(ReduceOp.SUM, dims, keepDim));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {expandBack(g, inShape, mask, keepDim)};
        }
    }

    static final class Mean extends Reduction {
        Mean(int[] dims, boolean keepDim) {
            super(dims, keepDim);
        }

        @Override
        Tensor reduce(Tensor x) {
            return t(x.data.mean(dims, keepDim));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {expandBack(g, inShape, mask, keepDim).div((double) Dims.count(inShape, mask))};
        }
    }

    /** Product; zeros are handled exactly (the gradient at a single zero is the product of the others). */
    static final class Prod extends Reduction {
        Prod(int[] dims, boolean keepDim) {
            super(dims, keepDim);
        }

        @Override
        Tensor reduce(Tensor x) {
            Tensor out = t(x.data.reduce(ReduceOp.PROD, dims, keepDim));
            saveForBackward(x, out);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor x = s[0];
            Tensor gE = expandBack(g, inShape, mask, keepDim);
            NDArray zero = x.data.binary(BinaryOp.EQ, 0);
            if (!anyNonZero(zero)) {
                return new Tensor[] {gE.mul(kept(s[1]).div(x))};
            }
            return new Tensor[] {gE.mul(leaveOneOutProducts(x))};
        }

        /**
         * {@code prod_{j != i} x_j} over the reduced dims for every element i, exact with zeros and differentiable
         * (a product over an [n, n] matrix per slice with the diagonal set to 1; only used when zeros are present).
         */
        private Tensor leaveOneOutProducts(Tensor x) {
            int rank = inShape.length;
            int[] red = reducedDims();
            int[] perm = new int[rank];
            int k = 0;
            for (int i = 0; i < rank; i++) {
                if (!mask[i]) {
                    perm[k++] = i;
                }
            }
            int keptCount = k;
            for (int d : red) {
                perm[k++] = d;
            }
            int n = (int) Dims.count(inShape, mask);
            int[] flat = new int[keptCount + 1];
            int[] permuted = new int[rank];
            for (int i = 0; i < rank; i++) {
                permuted[i] = inShape[perm[i]];
            }
            System.arraycopy(permuted, 0, flat, 0, keptCount);
            flat[keptCount] = n;
            Tensor xp = x.permute(perm).reshape(flat).unsqueeze(-2);
            NDArray diag = NDArray.eye(n, n, x.data.dtype(), x.data.device()).binary(BinaryOp.NE, 0);
            Tensor loo = Tensor.where(t(diag), scalarLike(1, x), xp).prod(-1, false);
            return loo.reshape(permuted).permute(Dims.inversePermutation(perm, rank, permuted));

        }
    }

    /** Base of max/min reductions: which of the two it is, and the reduction of {@code x} that gives its values. */
    abstract static class Extremum extends Reduction {
        final boolean isMax;

        Extremum(String maxName, String minName, int[] dims, boolean keepDim, boolean isMax) {
            super(isMax ? maxName : minName, dims, keepDim);
            this.isMax = isMax;
        }

        /** {@code x}'s maximum (or minimum) over {@code dims}. */
        NDArray values(NDArray x) {
            return x.reduce(isMax ? ReduceOp.MAX : ReduceOp.MIN, dims, keepDim);
        }
    }

    /** max/min over one dim: the gradient goes to the index returned by argmax/argmin. */
    static final class MaxMinDim extends Extremum {
        private NDArray index;

        MaxMinDim(int dim, boolean keepDim, boolean isMax) {
            super("Max", "Min", new int[] {dim}, keepDim, isMax);
        }

        @Override
        Tensor reduce(Tensor x) {
            if (anyInputNeedsGrad()) {
                index = x.data.reduce(isMax ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, dims[0], true);
            }
            return t(values(x.data));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {IndexingOps.scatterIntoZeros(kept(g), inShape, dims[0], index)};
        }
    }

    /** amax/amin (and the whole-tensor max/min): the gradient is split evenly among tied extrema. */
    static final class AMaxMin extends Extremum {
        AMaxMin(int[] dims, boolean keepDim, boolean isMax) {
            super("Amax", "Amin", dims, keepDim, isMax);
        }

        @Override
        Tensor reduce(Tensor x) {
            Tensor out = t(values(x.data));
            saveForBackward(x, out);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            NDArray x = s[0].data;
            NDArray hit = x.binary(BinaryOp.EQ, kept(s[1]).data).toType(x.dtype());
            NDArray count = hit.reduce(ReduceOp.SUM, reducedDims(), true);
            return new Tensor[] {expandBack(g, inShape, mask, keepDim).mul(t(hit.binary(BinaryOp.DIV, count)))};
        }
    }

    /** Variance with {@code correction} (1: unbiased). */
    static final class Var extends Reduction {
        private final int correction;

        Var(int[] dims, int correction, boolean keepDim) {
            super(dims, keepDim);
            this.correction = correction;
        }

        @Override
        Tensor reduce(Tensor x) {
            saveForBackward(x);
            return t(variance(x.data, mask, correction, keepDim));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor x = savedTensors()[0];
            double n = Math.max(0, Dims.count(inShape, mask) - correction);
            Tensor centered = x.sub(x.mean(dims, true));
            return new Tensor[] {expandBack(g, inShape, mask, keepDim).mul(centered.mul(2.0 / n))};
        }
    }

    static final class LogSumExp extends Reduction {
        LogSumExp(int[] dims, boolean keepDim) {
            super(dims, keepDim);
        }

        @Override
        Tensor reduce(Tensor x) {
            Tensor out = t(logSumExp(x.data, mask, keepDim));
            saveForBackward(x, out);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            return new Tensor[] {kept(g).mul(s[0].sub(kept(s[1])).exp())};
        }
    }

    /**
     * Softmax or, if {@code log}, log-softmax along one dim: a fused forward ({@link #softmax}) that saves only its
     * output, and PyTorch's backward formulas from it ({@code y * (g - sum(g * y))}, {@code g - exp(y) * sum(g)}).
     */
    static final class Softmax extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final int dim;
        private final boolean log;

        Softmax(int dim, boolean log) {
            super(log ? "LogSoftmax" : "Softmax");
            this.dim = dim;
            this.log = log;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor out = t(softmax(log ? "logSoftmax" : "softmax", in[0].data, dim, log));
            saveForBackward(out);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor y = savedTensors()[0];
            return new Tensor[] {log ? g.sub(y.exp().mul(g.sum(dim, true))) : y.mul(g.sub(g.mul(y).sum(dim, true)))};
        }
    }
}
