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
        private final Conv2dSpec spec;
        private boolean hasBias;

        Conv2d(Conv2dSpec spec) {
            this.spec = spec;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            NDArray y = in[0].data().conv2d(in[1].data(), spec);
            hasBias = in.length > 2;
            if (hasBias) {
                y.binaryInPlace(BinaryOp.ADD, in[2].data().view(1, y.size(1), 1, 1));
            }
            return Tensor.of(y);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor x = s[0];
            Tensor w = s[1];
            Tensor gx = needsInputGrad(0) ? new InputGrad(spec, x.size(2), x.size(3)).apply(g, w) : null;
            Tensor gw = needsInputGrad(1) ? new WeightGrad(spec, w.size(2), w.size(3)).apply(x, g) : null;
            if (!hasBias) {
                return new Tensor[] {gx, gw};
            }
            Tensor gb = needsInputGrad(2) ? g.sum(new int[] {0, 2, 3}, false) : null;
            return new Tensor[] {gx, gw, gb};
        }

        @Override
        public String name() {
            return "conv2d";
        }
    }

    /**
     * The input gradient of conv2d (the transposed convolution) as a function of (gradOut [N, O, OH, OW], weight
     * [O, C/g, kH, kW]), giving [N, C, h, w]. Bilinear, so its backward is a conv2d and a weight gradient.
     */
    static final class InputGrad extends Function {
        private final Conv2dSpec spec;
        private final int h;
        private final int w;

        InputGrad(Conv2dSpec spec, int h, int w) {
            this.spec = spec;
            this.h = h;
            this.w = w;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            return Tensor.of(in[0].data().conv2dInputGrad(in[1].data(), h, w, spec));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor gradOut = s[0];
            Tensor weight = s[1];
            Tensor dGradOut = needsInputGrad(0) ? new Conv2d(spec).apply(g, weight) : null;
            Tensor dWeight = needsInputGrad(1) ? new WeightGrad(spec, weight.size(2), weight.size(3)).apply(g, gradOut) : null;
            return new Tensor[] {dGradOut, dWeight};
        }

        @Override
        public String name() {
            return "conv2dInputGrad";
        }
    }

    /**
     * The weight gradient of conv2d as a function of (input [N, C, H, W], gradOut [N, O, OH, OW]), giving
     * [O, C/g, kH, kW]. Bilinear, so its backward is an input gradient and a conv2d.
     */
    static final class WeightGrad extends Function {
        private final Conv2dSpec spec;
        private final int kh;
        private final int kw;

        WeightGrad(Conv2dSpec spec, int kh, int kw) {
            this.spec = spec;
            this.kh = kh;
            this.kw = kw;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0], in[1]);
            return Tensor.of(in[0].data().conv2dWeightGrad(in[1].data(), kh, kw, spec));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor input = s[0];
            Tensor gradOut = s[1];
            Tensor dInput = needsInputGrad(0) ? new InputGrad(spec, input.size(2), input.size(3)).apply(gradOut, g) : null;
            Tensor dGradOut = needsInputGrad(1) ? new Conv2d(spec).apply(input, g) : null;
            return new Tensor[] {dInput, dGradOut};
        }

        @Override
        public String name() {
            return "conv2dWeightGrad";
        }
    }
}
