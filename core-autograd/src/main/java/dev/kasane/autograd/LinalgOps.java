package dev.kasane.autograd;

import static dev.kasane.autograd.ElementwiseOps.t;

import dev.kasane.tensor.NDArray;

/** Matrix products with PyTorch's matmul rules (1-D operands, broadcast batch dims); bmm is the 3-D case. */
final class LinalgOps {
    private LinalgOps() {
    }

    static final class Matmul extends Function {
        @Override
        protected boolean recyclesGradients() {
            return true;
        }

        private final boolean bmm;
        /** The second operand is a column-major matrix (a transposed weight, as in {@code linear}). */
        private boolean bColumnMajor;

        Matmul(boolean bmm) {
            super(bmm ? "Bmm" : "Matmul");
            this.bmm = bmm;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(needsInputGrad(1) ? in[0] : null, needsInputGrad(0) ? in[1] : null);
            NDArray b = in[1].data;
            bColumnMajor = b.dim() == 2 && b.size(0) > 1 && b.stride(0) == 1 && b.stride(1) == b.size(0);
            return t(bmm ? in[0].data.bmm(in[1].data) : in[0].data.matmul(in[1].data));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            Tensor a = s[0];
            Tensor b = s[1];
            boolean needA = needsInputGrad(0);
            boolean needB = needsInputGrad(1);
            int ra = needA ? inputShape(0).length : a.dim();
            int rb = needB ? inputShape(1).length : b.dim();
            if (ra == 1 && rb == 1) {
                return new Tensor[] {needA ? g.mul(b) : null, needB ? g.mul(a) : null};
            }
            Tensor g2 = g;
            if (rb == 1) {
                g2 = g2.unsqueeze(-1);
            }
            if (ra == 1) {
                g2 = g2.unsqueeze(-2);
            }
            Tensor ga = null;
            Tensor gb = null;
            if (needA) {
                Tensor b2 = rb == 1 ? b.unsqueeze(-1) : b;
                int[] shapeA = inputShape(0);
                ga = g2.matmul(b2.transpose(-1, -2));
                ga = ra == 1 ? ga.sumTo(1, shapeA[0]).reshape(shapeA) : ga.sumTo(shapeA);
            }
            if (needB) {
                Tensor a2 = ra == 1 ? a.unsqueeze(0) : a;
                int[] shapeB = inputShape(1);
                if (rb == 2 && (a2.dim() > 2 || bColumnMajor)) {
                    // [..., M, K] @ [K, N]: fold the batch into M instead of summing per-batch products. A column-major
                    // b (linear's transposed weight) gets its gradient in its own layout, as PyTorch's mm backward
                    // does: (g^T a)^T, so that the weight's gradient comes out contiguous.
                    Tensor a3 = a2.reshape(-1, a2.size(-1));
                    Tensor g3 = g2.reshape(-1, g2.size(-1));
                    gb = bColumnMajor ? g3.transpose(0, 1).matmul(a3).transpose(0, 1) : a3.transpose(0, 1).matmul(g3);
                } else {
                    gb = a2.transpose(-1, -2).matmul(g2);
                    gb = rb == 1 ? gb.sumTo(shapeB[0], 1).reshape(shapeB) : gb.sumTo(shapeB);
                }
            }
            return new Tensor[] {ga, gb};
        }
    }
}
