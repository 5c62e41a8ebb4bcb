package dev.kasane.nn.functional;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;

/**
 * The three differentiable convolution primitives. Each one's backward is made of the other two, so gradients
 * of gradients through a convolution (a WGAN-GP penalty) work to any order.
 */
final class ConvOps {
    private ConvOps() {
    }

    /**
     * {@code conv2d(x, w)}: cross-correlation, optionally plus a bias. Inputs: x [N, C, H, W], w [O, C/g, kH, kW] and
     * optionally bias [O] of the output's dtype, added in place to this op's own fresh output (no second
     * activation-sized array, as a separate broadcast add would allocate); its gradient is gradOut summed over N, H, W.
     */
    static final class Conv2d extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final Conv2dSpec spec;
        private boolean hasBias;

        Conv2d(Conv2dSpec spec) {
            super("conv2d");
            this.spec = spec;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            // a weight that needs no gradient here (inference, a frozen layer) is taken as fixed across calls
            NDArray y = Function.array(in[0]).conv2d(Function.array(in[1]), spec, !needsInputGrad(1));
            hasBias = in.length > 2;
            if (hasBias) {
                y.binaryInPlace(BinaryOp.ADD, Function.array(in[2]).view(1, y.size(1), 1, 1));
            }
            return Function.tensor(y);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor x = s[0];
            Tensor w = s[1];
            Tensor gx = needsInputGrad(0) ? Conv2dGrad.ofInput(spec, x.size(2), x.size(3)).apply(g, w) : null;
            Tensor gw = needsInputGrad(1) ? Conv2dGrad.ofWeight(spec, w.size(2), w.size(3)).apply(x, g) : null;
            if (!hasBias) {
                return new Tensor[] {gx, gw};
            }
            Tensor gb = needsInputGrad(2) ? g.sum(new int[] {0, 2, 3}, false) : null;
            return new Tensor[] {gx, gw, gb};
        }
    }

    /**
     * A gradient of conv2d as a function of two tensors, bilinear in them: the input gradient (the transposed
     * convolution) of (gradOut [N, O, OH, OW], weight [O, C/g, kH, kW]), giving [N, C, rows, cols], or the weight
     * gradient of (input [N, C, H, W], gradOut [N, O, OH, OW]), giving [O, C/g, rows, cols]. Its backward is a conv2d
     * and the other gradient.
     */
    static final class Conv2dGrad extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final Conv2dSpec spec;
        private final boolean ofWeight;
        private final int rows;
        private final int cols;

        private Conv2dGrad(String name, Conv2dSpec spec, boolean ofWeight, int rows, int cols) {
            super(name);
            this.spec = spec;
            this.ofWeight = ofWeight;
            this.rows = rows;
            this.cols = cols;
        }

        /** The input gradient of (gradOut, weight) for an input of {@code h x w}. */
        static Conv2dGrad ofInput(Conv2dSpec spec, int h, int w) {
            return new Conv2dGrad("conv2dInputGrad", spec, false, h, w);
        }

        /** The weight gradient of (input, gradOut) for a {@code kh x kw} kernel. */
        static Conv2dGrad ofWeight(Conv2dSpec spec, int kh, int kw) {
            return new Conv2dGrad("conv2dWeightGrad", spec, true, kh, kw);
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            NDArray a = Function.array(in[0]);
            NDArray b = Function.array(in[1]);
            return Function.tensor(ofWeight ? a.conv2dWeightGrad(b, rows, cols, spec) : a.conv2dInputGrad(b, rows, cols, spec));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            if (ofWeight) {
                Tensor input = s[0];
                Tensor gradOut = s[1];
                return new Tensor[] {needsInputGrad(0) ? ofInput(spec, input.size(2), input.size(3)).apply(gradOut, g) : null,
                        needsInputGrad(1) ? new Conv2d(spec).apply(input, g) : null};
            }
            Tensor gradOut = s[0];
            Tensor weight = s[1];
            return new Tensor[] {needsInputGrad(0) ? new Conv2d(spec).apply(g, weight) : null,
                    needsInputGrad(1) ? ofWeight(spec, weight.size(2), weight.size(3)).apply(g, gradOut) : null};
        }
    }
}
