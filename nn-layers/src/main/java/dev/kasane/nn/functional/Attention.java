package dev.kasane.nn.functional;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.Arrays;

/** Scaled dot-product attention. */
final class Attention {
    private Attention() {
    }

    /**
     * {@code softmax(q k^T * scale + mask) v} for q [..., L, E], k [..., S, E], v [..., S, Ev]. A BOOL
     * {@code attnMask} marks with true the positions that may be attended (PyTorch's SDPA convention); a float one
     * is added to the scores. {@code isCausal} masks positions j &gt; i.
     */
    static AttentionResult sdpa(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal,
                                double scale, Generator gen) {
        String op = "scaledDotProductAttention";
        if (q.dim() < 2 || k.dim() != q.dim() || v.dim() != q.dim() || q.size(-1 + q.dim()) != k.size(k.dim() - 1)
                || k.size(k.dim() - 2) != v.size(v.dim() - 2)) {
            throw new IllegalArgumentException(op + ": expected q [..., L, E], k [..., S, E], v [..., S, Ev], got "
                    + Arrays.toString(q.shape()) + ", " + Arrays.toString(k.shape()) + ", " + Arrays.toString(v.shape()));
        }
        int l = q.size(q.dim() - 2);
        int s = k.size(k.dim() - 2);
        double sc = Double.isNaN(scale) ? 1.0 / Math.sqrt(q.size(q.dim() - 1)) : scale;
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(sc);
        if (isCausal) {
            NDArray rows = NDArray.arange(l).view(l, 1);
            NDArray cols = NDArray.arange(s).view(1, s);
            scores = scores.maskedFill(Function.tensor(cols.binary(BinaryOp.GT, rows).to(q.device())), Double.NEGATIVE_INFINITY);
        }
        if (attnMask != null) {
            scores = attnMask.dtype() == DType.BOOL
                    ? scores.maskedFill(attnMask.logicalNot(), Double.NEGATIVE_INFINITY)
                    : scores.add(attnMask);
        }
        Tensor weights = scores.softmax(-1);
        Tensor attended = dropoutP > 0 ? F.dropout(weights, dropoutP, true, gen) : weights;
        return new AttentionResult(attended.matmul(v), weights);
    }
}
